/// Builds the allowed prefix set from targets, an allowlist and a blocklist, as XMap does:
/// start from nothing when any allow entry exists (else from everything), paint allows, then
/// blocks, then always block the all-zero prefix (the iterator's sentinel).
public struct TargetSpaceBuilder: Sendable {
    public let family: IPFamily
    public let maxLen: Int
    private var allow: [ClosedRange<UInt128>] = []
    private var block: [ClosedRange<UInt128>] = []
    private var anyAllow = false
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

    /// Adds a blocked prefix.
    public mutating func block(_ p: IPPrefix) {
        guard let r = TargetSpaceBuilder.interval(of: p, maxLen: maxLen) else { ignored.append(p); return }
        block.append(r)
        blockedEntries.append("\(p.network)/\(p.length)")
    }

    /// The blocked entries, then the all-zero prefix every scan blocks (as XMap lists it).
    public var blocklistedNetworks: [String] {
        blockedEntries + ["\(IPAddress(family: family, value: 0))/\(maxLen)"]
    }

    /// The final allowed set.
    public func build() -> PrefixIntervals {
        let all: ClosedRange<UInt128> = 0...(maxLen >= 128 ? UInt128.max : (UInt128(1) << UInt128(maxLen)) - 1)
        let allowed = PrefixIntervals(anyAllow ? allow : [all])
        // The all-zero prefix is the iterator's sentinel in XMap and is never scanned.
        return allowed.subtracting(PrefixIntervals(block + [0...0]))
    }
}
