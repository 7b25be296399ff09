/// ZMap's numbering of the allowed IPv4 addresses (its constraint tree's `lookup_index`): the n-th
/// allowed address for an address index n.
///
/// ZMap does not number addresses in plain ascending order. Its constraint tree keeps a radix table of
/// every aligned /18 block (16,384 addresses) that is allowed as a whole; those blocks come first, in
/// ascending order, and only then the allowed addresses of the partly allowed /18 blocks, in ascending
/// order. So a /32 or a /20 listed before a /16 still comes after it, and a /16 with one blocked
/// address has its three untouched /18s first and the fourth at the end.
///
/// Lookups allocate nothing: a table of whole blocks (one entry per block, as ZMap) and a binary search
/// over the remaining runs.
public final class ZMapAddressIndex: Sendable {
    /// log2 of the radix block size: /18 blocks.
    public static let radixBits = 14
    /// Number of allowed addresses.
    public let count: UInt64
    /// First address of each whole block, ascending.
    @usableFromInline let blocks: [UInt32]
    /// Start of each remaining run of allowed addresses, ascending.
    @usableFromInline let runStarts: [UInt32]
    /// Address index of each run's first address.
    @usableFromInline let runIndexes: [UInt64]

    /// Numbers the addresses of `allowed` (values are IPv4 addresses as 32-bit numbers). ZMap always
    /// blocks 0.0.0.0, so it is left out here too.
    /// - Throws: `XMapError` if a value exceeds 2^32 − 1.
    public init(allowed: PrefixIntervals) throws {
        let size: UInt64 = 1 << UInt64(Self.radixBits)
        var blocks: [UInt32] = []
        var rest: [ClosedRange<UInt64>] = []
        for range in allowed.subtracting(PrefixIntervals([0...0])).ranges {
            guard range.upperBound <= UInt128(UInt32.max) else {
                throw XMapError("IPv4 target value out of range: \(range.upperBound)")
            }
            let lo = UInt64(range.lowerBound), hi = UInt64(range.upperBound)
            let firstBlock = (lo + size - 1) & ~(size - 1)
            let endBlock = (hi + 1) & ~(size - 1)
            if firstBlock >= endBlock {
                rest.append(lo...hi)
                continue
            }
            for start in stride(from: firstBlock, to: endBlock, by: Int(size)) { blocks.append(UInt32(start)) }
            if lo < firstBlock { rest.append(lo...(firstBlock - 1)) }
            if endBlock <= hi { rest.append(endBlock...hi) }
        }
        rest.sort { $0.lowerBound < $1.lowerBound }
        var index = UInt64(blocks.count) << UInt64(Self.radixBits)
        var starts: [UInt32] = [], indexes: [UInt64] = []
        starts.reserveCapacity(rest.count)
        indexes.reserveCapacity(rest.count)
        for run in rest {
            starts.append(UInt32(run.lowerBound))
            indexes.append(index)
            index += run.upperBound - run.lowerBound + 1
        }
        self.blocks = blocks
        runStarts = starts
        runIndexes = indexes
        count = index
    }

    /// The allowed address with index `n` (< `count`), as a host-order 32-bit value.
    @inlinable @inline(__always) public func address(at n: UInt64) -> UInt32 {
        let block = n >> UInt64(Self.radixBits)
        if block < UInt64(blocks.count) {
            return blocks[Int(truncatingIfNeeded: block)] | UInt32(truncatingIfNeeded: n & 0x3FFF)
        }
        return runAddress(n)
    }

    /// The address for an index past the whole blocks: the last run starting at or before it.
    @inlinable func runAddress(_ n: UInt64) -> UInt32 {
        var lo = 0, hi = runIndexes.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if runIndexes[mid] <= n { lo = mid } else { hi = mid - 1 }
        }
        return runStarts[lo] &+ UInt32(truncatingIfNeeded: n - runIndexes[lo])
    }
}
