/// Builds the allowed prefix set from targets, an allowlist and a blocklist, as XMap does:
/// start from nothing when any allow source was given (else from everything), paint allows,
/// keep only what the bounds allow (an allowlist from the config file), then remove the blocks,
/// then always block the all-zero prefix (the iterator's sentinel).
///
/// Safety rule: once `restrictToAllowed()` or any `allow` was called, the result is inside what
/// was allowed, even when no entry was added (a list with no entry of the scan's family allows
/// nothing; it never widens the scan to the whole space).
public struct TargetSpaceBuilder: Sendable {
    public let family: IPFamily
    public let maxLen: Int
    private var allow: [ClosedRange<UInt128>] = []
    private var block: [ClosedRange<UInt128>] = []
    private var anyAllow = false
    private var bounds: [ClosedRange<UInt128>]? = nil
    /// Entries skipped because they are longer than max-len (reported as warnings).
    public private(set) var ignored: [IPPrefix] = []
    /// The allowed and blocked entries as given (`addr/len`, or `first-last` for ranges), for
    /// the metadata's `allowlisted_networks` and `blocklisted_networks`.
    public private(set) var allowedEntries: [String] = []
    public private(set) var blockedEntries: [String] = []

    public init(family: IPFamily, maxLen: Int) {
        self.family = family
        self.maxLen = maxLen
    }

    /// The interval of max-len prefix values a prefix covers; nil when it is longer than max-len.
    public static func interval(of prefix: IPPrefix, maxLen: Int) -> ClosedRange<UInt128>? {
        let bits = prefix.address.family.bits
        guard prefix.length <= maxLen else { return nil }
        if maxLen == 0 { return 0...0 }
        let value = prefix.network.value >> UInt128(bits - maxLen)
        let span = maxLen - prefix.length
        if span == 128 { return 0...UInt128.max }
        let size = (UInt128(1) << UInt128(span)) - 1
        return value...(value | size)
    }

    /// Starts from nothing: only what `allow` adds is scanned (called for every allow source
    /// before its entries are read, so an allowlist without usable entries allows nothing).
    public mutating func restrictToAllowed() {
        anyAllow = true
    }

    /// Keeps the scan inside `p` (and the other bounds): the final set is intersected with the
    /// union of the bounds. Used for an allowlist that comes from the config file, which must
    /// never add to the targets of the command line.
    public mutating func bound(_ p: IPPrefix) {
        if bounds == nil { bounds = [] }
        guard let r = TargetSpaceBuilder.interval(of: p, maxLen: maxLen) else { ignored.append(p); return }
        bounds?.append(r)
    }

    /// Keeps the scan inside an interval of max-len prefix values (see `bound(_:)`); nil adds a
    /// bound that allows nothing by itself.
    public mutating func bound(range r: ClosedRange<UInt128>?) {
        if bounds == nil { bounds = [] }
        if let r { bounds?.append(r) }
    }

    /// Adds an allowed prefix (a target or an allowlist line).
    public mutating func allow(_ p: IPPrefix) {
        anyAllow = true
        guard let r = TargetSpaceBuilder.interval(of: p, maxLen: maxLen) else { ignored.append(p); return }
        allow.append(r)
        allowedEntries.append("\(p.network)/\(p.length)")
    }

    /// Adds an allowed interval of max-len prefix values (e.g. from an `a-b` range).
    public mutating func allow(range r: ClosedRange<UInt128>) {
        anyAllow = true
        allow.append(r)
        allowedEntries.append(rangeText(r))
    }

    /// An interval of max-len prefix values as `first-last` addresses.
    func rangeText(_ r: ClosedRange<UInt128>) -> String {
        let shift = UInt128(family.bits - maxLen)
        func address(_ v: UInt128) -> IPAddress { IPAddress(family: family, value: maxLen == 0 ? 0 : v << shift) }
        return "\(address(r.lowerBound))-\(address(r.upperBound))"
    }

    /// Adds a blocked interval of max-len prefix values.
    public mutating func block(range r: ClosedRange<UInt128>) {
        block.append(r)
        blockedEntries.append(rangeText(r))
    }

    /// Adds a blocked prefix. A prefix longer than max-len blocks the whole max-len prefix that
    /// contains it (every probe of that prefix could reach it), listed in `widenedBlocks`.
    /// (XMap ignores such entries, so its scan can reach an address the blocklist names.)
    public mutating func block(_ p: IPPrefix) {
        if p.length > maxLen {
            let enclosing = IPPrefix(address: p.address, length: maxLen)
            widenedBlocks.append((p, enclosing))
            block(enclosing)
            return
        }
        guard let r = TargetSpaceBuilder.interval(of: p, maxLen: maxLen) else { return }
        block.append(r)
        blockedEntries.append("\(p.network)/\(p.length)")
    }

    /// Blocklist entries longer than max-len, each with the max-len prefix blocked in its place.
    public private(set) var widenedBlocks: [(entry: IPPrefix, blocked: IPPrefix)] = []

    /// The blocked entries, then the all-zero prefix every scan blocks (as XMap lists it).
    public var blocklistedNetworks: [String] {
        blockedEntries + ["\(IPAddress(family: family, value: 0))/\(maxLen)"]
    }

    /// True when the allowed set, before blocks, is the whole space: no allow source was given,
    /// or an allow entry covers everything (`0.0.0.0/0`, `::/0`).
    public var allowsWholeSpace: Bool {
        let all: ClosedRange<UInt128> = 0...(maxLen >= 128 ? UInt128.max : (UInt128(1) << UInt128(maxLen)) - 1)
        guard bounds == nil else { return false }
        return !anyAllow || PrefixIntervals(allow).ranges == [all]
    }

    /// True when at least one block entry was added.
    public var hasBlocks: Bool { !block.isEmpty }

    /// The final allowed set.
    public func build() -> PrefixIntervals {
        let all: ClosedRange<UInt128> = 0...(maxLen >= 128 ? UInt128.max : (UInt128(1) << UInt128(maxLen)) - 1)
        var allowed = PrefixIntervals(anyAllow ? allow : [all])
        if let bounds { allowed = allowed.subtracting(PrefixIntervals([all]).subtracting(PrefixIntervals(bounds))) }
        // The all-zero prefix is the iterator's sentinel in XMap and is never scanned.
        return allowed.subtracting(PrefixIntervals(block + [0...0]))
    }
}
