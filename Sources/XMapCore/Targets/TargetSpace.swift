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

    /// First prefix value of each run of consecutive allowed prefixes (in ordinal order).
    @usableFromInline let runStarts: [UInt128]
    /// Ordinal of each run's first prefix.
    @usableFromInline let runOrdinals: [UInt128]
    /// `guide[b]` is the run holding ordinal `b << guideShift`; a lookup searches only between
    /// `guide[b]` and `guide[b + 1]`.
    @usableFromInline let guide: [Int32]
    @usableFromInline let guideShift: UInt128
    /// The port of each slot: `ports`, or the single port 0 for modules without ports.
    @usableFromInline let slotPorts: [UInt16]
    /// Decoding constants.
    @usableFromInline let valueShift: UInt64
    @usableFromInline let slotCount: Int
    @usableFromInline let addressShift: UInt128

    /// Number of allowed prefixes.
    public let prefixCount: UInt128
    /// True when the allowed prefixes form one run (no search needed); its first prefix.
    @usableFromInline let singleRun: Bool
    @usableFromInline let firstStart: UInt128

    /// 64-bit decoding, used when every prefix value fits one word (IPv4, or IPv6 with
    /// max-len ≤ 64): run ordinals and, per run, `start − ordinal` (wrapping), so a prefix is
    /// one addition. The prefix is shifted within one word, which is the address's low word
    /// (IPv4) or high word (IPv6).
    @usableFromInline let wordSized: Bool
    @usableFromInline let runOrdinals64: [UInt64]
    @usableFromInline let runDeltas64: [UInt64]
    @usableFromInline let guideShift64: UInt64
    @usableFromInline let wordShift: UInt64
    @usableFromInline let inHighWord: Bool

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
        valueShift = UInt64(portBits + ib)
        slotCount = max(1, ports.count)
        slotPorts = ports.isEmpty ? [0] : ports
        addressShift = UInt128(family.bits - maxLen)

        // Radix-first ordering: fully allowed aligned blocks of 2^(maxLen-20) prefixes, then the rest.
        let blockBits = max(0, maxLen - 20)
        var full: [ClosedRange<UInt128>] = []
        var rest: [ClosedRange<UInt128>] = []
        if blockBits == 0 {
            full = allowed.ranges
        } else {
            let bmask = (UInt128(1) << UInt128(blockBits)) - 1
            for r in allowed.ranges {
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
        var starts: [UInt128] = [], ordinals: [UInt128] = []
        var ordinal: UInt128 = 0
        for r in full + rest {
            starts.append(r.lowerBound)
            ordinals.append(ordinal)
            ordinal &+= r.upperBound - r.lowerBound &+ 1
        }
        if starts.isEmpty {
            starts = [0]
            ordinals = [0]
        }
        runStarts = starts
        runOrdinals = ordinals
        singleRun = starts.count == 1
        firstStart = starts[0]
        prefixCount = ordinal

        wordSized = maxLen <= 64 && maxLen >= 1
        runOrdinals64 = wordSized ? ordinals.map { UInt64(truncatingIfNeeded: $0) } : []
        runDeltas64 = wordSized ? zip(starts, ordinals).map { UInt64(truncatingIfNeeded: $0 &- $1) } : []
        inHighWord = family.bits == 128
        wordShift = UInt64(max(0, min(64, family.bits) - maxLen))

        // Guide table: about 16 buckets per run (so most lookups land in a bucket inside one
        // run and need no search), at least 2^8 and at most 2^20 buckets.
        var bucketBits = 8
        while bucketBits < 20 && (1 << bucketBits) < 16 * starts.count { bucketBits += 1 }
        let width = ordinal == 0 ? 0 : 128 - ordinal.leadingZeroBitCount
        let shift = max(0, width - bucketBits)
        guideShift = UInt128(shift)
        guideShift64 = UInt64(min(shift, 63))
        let buckets = ordinal == 0 ? 1 : Int((ordinal - 1) >> UInt128(shift)) + 1
        var g = [Int32](repeating: 0, count: buckets + 1)
        var run = 0
        for b in 0..<buckets {
            let first = UInt128(b) << UInt128(shift)
            while run + 1 < ordinals.count && ordinals[run + 1] <= first { run += 1 }
            g[b] = Int32(run)
        }
        g[buckets] = Int32(ordinals.count - 1)
        guide = g
    }

    /// Number of permuted values: allowed prefixes × 2^(portBits + indexBits).
    public var valueCount: UInt192 { UInt192(prefixCount).shiftedLeft(portBits + indexBits) }

    /// Number of real targets (allowed prefixes × ports × indexes).
    public var targetCount: UInt192 {
        var v = UInt192.zero
        let mult = UInt64(max(1, ports.count) * indexCount)
        v = UInt192(prefixCount).multipliedReportingOverflow(by: mult).0
        return v
    }

    /// The prefix value for a prefix ordinal (< `prefixCount`).
    @inlinable @inline(__always) public func prefix(ordinal: UInt128) -> UInt128 {
        if singleRun { return firstStart &+ ordinal }
        let b = Int(truncatingIfNeeded: ordinal >> guideShift)
        var lo = Int(guide[b]), hi = Int(guide[b + 1])
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if runOrdinals[mid] <= ordinal { lo = mid } else { hi = mid - 1 }
        }
        return runStarts[lo] &+ (ordinal &- runOrdinals[lo])
    }

    /// Decodes a permuted value into a target; nil for the padding slots (port slot ≥ #ports or
    /// index ≥ `-P`), which XMap skips.
    @inlinable public func target(value: UInt192) -> Target? {
        if value.l1 == 0 && value.l2 == 0 { return target(value: value.l0) }
        let shift = Int(valueShift)
        let low = value.l0 & ((UInt64(1) << valueShift) &- 1)
        let slot = Int(low >> UInt64(indexBits))
        let index = Int(low & ((UInt64(1) << UInt64(indexBits)) &- 1))
        if slot >= slotCount || index >= indexCount { return nil }
        let ordinal =
            shift == 0
            ? value.low128
            : (value.low128 >> UInt128(shift)) | (UInt128(value.l2) << UInt128(128 - shift))
        let address = maxLen == 0 ? 0 : prefix(ordinal: ordinal) << addressShift
        return Target(address: address, port: slotPorts[slot], index: index)
    }

    /// Same as `target(value:)` for values below 2^64 (the common fast path).
    @inlinable @inline(__always) public func target(value: UInt64) -> Target? {
        var slot = 0, index = 0
        if valueShift != 0 {
            let low = value & ((UInt64(1) << valueShift) &- 1)
            slot = Int(low >> UInt64(indexBits))
            index = Int(low & ((UInt64(1) << UInt64(indexBits)) &- 1))
            if slot >= slotCount || index >= indexCount { return nil }
        }
        let port = slotPorts[slot]
        let ordinal = value &>> valueShift
        guard wordSized else {
            // addressShift < 128 always (max-len >= 1), so the masking shift is exact.
            return Target(address: prefix(ordinal: UInt128(ordinal)) &<< addressShift, port: port, index: index)
        }
        // wordShift < 64 here, so the masking shift is exact.
        let word = prefix64(ordinal: ordinal) &<< wordShift
        let address = inHighWord ? UInt128(word) &<< 64 : UInt128(word)
        return Target(address: address, port: port, index: index)
    }

    /// The prefix value for a prefix ordinal when `wordSized`.
    @inlinable @inline(__always) func prefix64(ordinal: UInt64) -> UInt64 {
        if singleRun { return UInt64(truncatingIfNeeded: firstStart) &+ ordinal }
        let b = Int(truncatingIfNeeded: ordinal &>> guideShift64)
        var run = Int(guide[b])
        let last = Int(guide[b + 1])
        if run != last { run = searchRun64(ordinal, from: run, to: last) }
        return ordinal &+ runDeltas64[run]
    }

    /// The run holding `ordinal`, between runs `lo` and `hi` (a bucket that spans a run start).
    @usableFromInline func searchRun64(_ ordinal: UInt64, from lo: Int, to hi: Int) -> Int {
        var lo = lo, hi = hi
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if runOrdinals64[mid] <= ordinal { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Mask of the host bits below max-len (where the IID goes).
    public var hostMask: UInt128 {
        maxLen >= family.bits
            ? 0 : (family.bits == 128 && maxLen == 0 ? ~0 : (UInt128(1) << UInt128(family.bits - maxLen)) - 1)
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
