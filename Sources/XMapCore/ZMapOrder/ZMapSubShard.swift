/// One of ZMap's N × T sub-shards: the slice of the cycle that thread t of shard n walks.
///
/// With S = N·T sub-shards, sub-shard i = n·T + t covers the exponents from ⌊Q/S⌋·i up to, but not
/// including, ⌊Q/S⌋·((i + 1) mod S), both shifted by the cycle's offset modulo Q = p − 1. Its first
/// element is g^begin and it stops on reaching g^end. So the slices cut the cycle at S points; the
/// last one wraps round to the first slice's start and absorbs the Q mod S remainder. With S = 1
/// begin and end coincide and the slice is the whole cycle. Concatenated in sub-shard order, the
/// slices are the single-threaded order.
public struct ZMapSubShard: Sendable, Equatable {
    /// The sub-shard's number i = shard · threads + thread.
    public let index: Int
    /// The number of sub-shards S = shards · threads.
    public let count: Int
    /// The first exponent (already shifted by the offset).
    public let beginExponent: UInt64
    /// The stopping exponent (already shifted by the offset).
    public let endExponent: UInt64
    /// g^beginExponent mod p: the first element walked.
    public let first: UInt64
    /// g^endExponent mod p: the element that ends the walk (not part of this slice).
    public let last: UInt64
    /// How many targets this sub-shard may yield (ZMap's per-thread `--max-targets` share).
    public let maxTargets: UInt64

    /// Sub-shard `thread` of shard `shard`.
    /// - Parameter maxTotalTargets: the scan's `--max-targets` in targets; nil or 0 means none (ZMap then
    ///   splits 2^64 − 1, which no scan reaches).
    public init(cycle: ZMapCycle, shard: Int, shards: Int, thread: Int, threads: Int, maxTotalTargets: UInt64?) {
        precondition(shards >= 1 && threads >= 1 && (0..<shards).contains(shard) && (0..<threads).contains(thread))
        count = shards * threads
        index = shard * threads + thread
        precondition(UInt64(count) < cycle.order, "more sub-shards than group elements")
        let q = cycle.order
        let step = q / UInt64(count)
        beginExponent = (step * UInt64(index) + cycle.offset) % q
        endExponent = (step * UInt64((index + 1) % count) + cycle.offset) % q
        first = ZMapModular.power(cycle.generator, beginExponent, modulo: cycle.group.prime)
        last = ZMapModular.power(cycle.generator, endExponent, modulo: cycle.group.prime)
        maxTargets = Self.share(of: maxTotalTargets, subShard: index, of: count)
    }

    /// ZMap's split of `--max-targets` M over S sub-shards: ⌊M/S⌋, plus one for the first M mod S
    /// sub-shards. No limit (nil or 0) splits 2^64 − 1.
    public static func share(of total: UInt64?, subShard i: Int, of s: Int) -> UInt64 {
        let m = (total ?? 0) == 0 ? UInt64.max : total!
        return m / UInt64(s) + (UInt64(i) < m % UInt64(s) ? 1 : 0)
    }
}
