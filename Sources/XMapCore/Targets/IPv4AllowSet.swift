/// The IPv4 addresses a ZMap-style allowlist and blocklist leave: the allowlist's prefixes (all of
/// IPv4 when there is no allowlist) minus the blocklist's, and never 0.0.0.0 — ZMap's constraint
/// tree, where allowlist entries are painted first, blocklist entries over them, then 0.0.0.0.
public struct IPv4AllowSet: Sendable, Equatable {
    /// The allowed addresses as disjoint intervals.
    public let intervals: PrefixIntervals

    /// - Parameters:
    ///   - allow: the allowlist's prefixes (address, length; host bits are ignored), or nil
    ///     without an allowlist. An empty allowlist allows nothing.
    ///   - block: the blocklist's prefixes.
    public init(allow: [(address: UInt32, length: Int)]?, block: [(address: UInt32, length: Int)]) {
        let allowed = allow.map { PrefixIntervals($0.map(Self.range)) } ?? PrefixIntervals([0...0xFFFF_FFFF])
        let blocked = PrefixIntervals(block.map(Self.range) + [0...0])
        intervals = allowed.subtracting(blocked)
    }

    /// Whether `address` (host order) is allowed.
    public func contains(_ address: UInt32) -> Bool { intervals.contains(UInt128(address)) }

    /// The number of allowed addresses.
    public var count: UInt64 {
        intervals.ranges.reduce(0) { $0 + UInt64($1.upperBound - $1.lowerBound) + 1 }
    }

    /// The addresses of `address/length` (0 to 32).
    static func range(_ p: (address: UInt32, length: Int)) -> ClosedRange<UInt128> {
        let hostBits = UInt32(32 - p.length)
        let mask: UInt64 = (1 << UInt64(hostBits)) - 1
        let first = UInt64(p.address) & ~mask
        return UInt128(first)...UInt128(first | mask)
    }
}
