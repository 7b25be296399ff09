/// The set of `<prefix, port, index>` targets of a scan, and XMap's mapping from a permutation
/// ordinal to a target.
///
/// A permuted value packs `prefix << (portBits + indexBits) | slot << indexBits | index`. Prefixes
/// are ordered as XMap's constraint radix orders them: first every fully allowed aligned block of
/// 2^(maxLen−20) prefixes (ascending), then the remaining allowed prefixes (ascending).
public struct TargetSpace: Sendable {
    public let family: IPFamily
    /// Number of permuted address bits (`-x`).
    public let maxLen: Int
    /// Target ports in order (empty for modules without ports: one slot, port 0).
    public let ports: [UInt16]
    /// `-P`: payload indexes per target (at least 1).
    public let indexCount: Int
    public let portBits: Int
    public let indexBits: Int
    /// Allowed prefixes (after allow, block and the all-zero sentinel).
    public let allowed: PrefixIntervals

    @usableFromInline let runs: [Run]

    @usableFromInline struct Run: Sendable {
        /// First prefix value of the run.
        @usableFromInline let start: UInt128
        /// Ordinal of the run's first prefix.
        @usableFromInline let ordinal: UInt128
    }

    /// Number of allowed prefixes.
    public let prefixCount: UInt128

    public init(family: IPFamily, maxLen: Int, ports: [UInt16], indexCount: Int, allowed: PrefixIntervals) {
        self.family = family
        self.maxLen = maxLen
        self.ports = ports
        self.indexCount = max(1, indexCount)
        self.allowed = allowed
        portBits = PortList(ports.isEmpty ? [0] : ports).bits
        var ib = 0
        while (1 << ib) < max(1, indexCount) { ib += 1 }
        indexBits = ib

        // Radix-first ordering.
        let blockBits = max(0, maxLen - 20)
        var full: [ClosedRange<UInt128>] = []
        var rest: [ClosedRange<UInt128>] = []
        if blockBits == 0 {
            full = allowed.ranges
        } else {
            let bmask = (UInt128(1) << UInt128(blockBits)) - 1
            for r in allowed.ranges {
                // First aligned block start at or after lo, and last aligned block end at or before hi.
                let lo = r.lowerBound, hi = r.upperBound
                let firstStart: UInt128? = (lo & bmask) == 0 ? lo : (lo | bmask) == UInt128.max ? nil : (lo | bmask) + 1
                let lastEnd: UInt128? = (hi & bmask) == bmask ? hi : (hi & ~bmask) == 0 ? nil : (hi & ~bmask) - 1
                if let fs = firstStart, let le = lastEnd, fs <= le, fs >= lo, le <= hi {
                    full.append(fs...le)
                    if fs > lo { rest.append(lo...(fs - 1)) }
                    if le < hi { rest.append((le + 1)...hi) }
                } else {
                    rest.append(r)
                }
            }
        }
        var runs: [Run] = []
        var ordinal: UInt128 = 0
        for r in full + rest {
            runs.append(Run(start: r.lowerBound, ordinal: ordinal))
            ordinal += r.upperBound - r.lowerBound + 1
        }
        self.runs = runs
        prefixCount = ordinal
    }

    /// Number of permuted values: allowed prefixes × 2^(portBits + indexBits).
    public var valueCount: UInt192 {
        var v = UInt192(prefixCount)
        for _ in 0..<(portBits + indexBits) { v = v + v }
        return v
    }

    /// Number of real targets (allowed prefixes × ports × indexes).
    public var targetCount: UInt192 {
        var v = UInt192.zero
        let mult = UInt64(max(1, ports.count) * indexCount)
        v = UInt192(prefixCount).multipliedReportingOverflow(by: mult).0
        return v
    }

    /// The prefix value for a prefix ordinal.
    @inlinable public func prefix(ordinal: UInt128) -> UInt128 {
        var lo = 0, hi = runs.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if runs[mid].ordinal <= ordinal { lo = mid } else { hi = mid - 1 }
        }
        let r = runs[lo]
        return r.start &+ (ordinal &- r.ordinal)
    }

    /// Decodes a permuted value into a target; nil for the padding slots (port slot ≥ #ports or
    /// index ≥ `-P`), which XMap skips.
    @inlinable public func target(value: UInt192) -> Target? {
        let shift = portBits + indexBits
        let low = value.l0 & ((UInt64(1) << UInt64(shift)) &- 1)
        let slot = Int(low >> UInt64(indexBits))
        let index = Int(low & ((UInt64(1) << UInt64(indexBits)) &- 1))
        if slot >= max(1, ports.count) || index >= indexCount { return nil }
        // value >> shift (shift <= 40 here; the prefix ordinal fits 128 bits).
        let ordinal: UInt128
        if shift == 0 {
            ordinal = value.low128
        } else {
            ordinal = (value.low128 >> UInt128(shift)) | (UInt128(value.l2) << UInt128(128 - shift))
        }
        let p = prefix(ordinal: ordinal)
        let address = maxLen == 0 ? 0 : p << UInt128(family.bits - maxLen)
        return Target(address: address, port: ports.isEmpty ? 0 : ports[slot], index: index)
    }

    /// Same as `target(value:)` for values below 2^64 (the common fast path).
    @inlinable public func target(value: UInt64) -> Target? {
        let shift = portBits + indexBits
        let low = value & ((UInt64(1) << UInt64(shift)) &- 1)
        let slot = Int(low >> UInt64(indexBits))
        let index = Int(low & ((UInt64(1) << UInt64(indexBits)) &- 1))
        if slot >= max(1, ports.count) || index >= indexCount { return nil }
        let p = prefix(ordinal: UInt128(value >> UInt64(shift)))
        let address = maxLen == 0 ? 0 : p << UInt128(family.bits - maxLen)
        return Target(address: address, port: ports.isEmpty ? 0 : ports[slot], index: index)
    }

    /// Mask of the host bits below max-len (where the IID goes).
    public var hostMask: UInt128 {
        maxLen >= family.bits ? 0 : (family.bits == 128 && maxLen == 0 ? ~0 : (UInt128(1) << UInt128(family.bits - maxLen)) - 1)
    }
}

/// One probe destination before the IID is applied.
public struct Target: Sendable, Equatable {
    /// The prefix in the top max-len bits, host bits zero.
    public var address: UInt128
    /// Destination port (0 for ICMP).
    public var port: UInt16
    /// Payload index (`-P`).
    public var index: Int

    public init(address: UInt128, port: UInt16, index: Int) {
        self.address = address
        self.port = port
        self.index = index
    }
}
