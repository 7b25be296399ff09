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
    }

    /// Adds an allowed interval of max-len prefix values (e.g. from an `a-b` range).
    public mutating func allow(range r: ClosedRange<UInt128>) {
        anyAllow = true
        allow.append(r)
    }

    /// Adds a blocked interval of max-len prefix values.
    public mutating func block(range r: ClosedRange<UInt128>) { block.append(r) }

    /// Adds a blocked prefix.
    public mutating func block(_ p: IPPrefix) {
        guard let r = TargetSpaceBuilder.interval(of: p, maxLen: maxLen) else { ignored.append(p); return }
        block.append(r)
    }

    /// The final allowed set.
    public func build() -> PrefixIntervals {
        let all: ClosedRange<UInt128> = 0...(maxLen >= 128 ? UInt128.max : (UInt128(1) << UInt128(maxLen)) - 1)
        let allowed = PrefixIntervals(anyAllow ? allow : [all])
        // The all-zero prefix is the iterator's sentinel in XMap and is never scanned.
        return allowed.subtracting(PrefixIntervals(block + [0...0]))
    }
}
