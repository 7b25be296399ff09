/// Builds the allowed prefix set from targets, an allowlist and a blocklist, as XMap does:
/// start from nothing when any allow entry exists (else from everything), paint allows, then
/// blocks, then always block the all-zero prefix (the iterator's sentinel).
public struct TargetSpaceBuilder: Sendable {
    public let family: IPFamily
    public let maxLen: Int
    private var allow = PrefixIntervals()
    private var block = PrefixIntervals()
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
        allow.insert(r)
    }

    /// Adds a blocked prefix.
    public mutating func block(_ p: IPPrefix) {
        guard let r = TargetSpaceBuilder.interval(of: p, maxLen: maxLen) else { ignored.append(p); return }
        block.insert(r)
    }

    /// The final allowed set.
    public func build() -> PrefixIntervals {
        var result = anyAllow ? allow : PrefixIntervals([0...(maxLen >= 128 ? UInt128.max : (UInt128(1) << UInt128(maxLen)) - 1)])
        for r in block.ranges { result.remove(r) }
        result.remove(0...0)
        return result
    }
}
