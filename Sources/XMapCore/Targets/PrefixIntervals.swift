/// A sorted set of disjoint, non-adjacent inclusive intervals of UInt128 values.
/// Used for prefix sets at `--max-len` granularity (value = the top max-len bits of an address).
public struct PrefixIntervals: Sendable, Equatable {
    /// Intervals in ascending order, non-overlapping and non-adjacent.
    public private(set) var ranges: [ClosedRange<UInt128>] = []

    public init() {}

    public init(_ ranges: [ClosedRange<UInt128>]) {
        for r in ranges { insert(r) }
    }

    /// Adds an interval (merging with neighbours).
    public mutating func insert(_ r: ClosedRange<UInt128>) {
        var lo = r.lowerBound, hi = r.upperBound
        var out: [ClosedRange<UInt128>] = []
        out.reserveCapacity(ranges.count + 1)
        var placed = false
        for x in ranges {
            if x.upperBound < lo && lo - x.upperBound > 1 {
                out.append(x)
            } else if x.lowerBound > hi && x.lowerBound - hi > 1 {
                if !placed { out.append(lo...hi); placed = true }
                out.append(x)
            } else {
                lo = min(lo, x.lowerBound)
                hi = max(hi, x.upperBound)
            }
        }
        if !placed { out.append(lo...hi) }
        ranges = out
    }

    /// Removes an interval.
    public mutating func remove(_ r: ClosedRange<UInt128>) {
        var out: [ClosedRange<UInt128>] = []
        out.reserveCapacity(ranges.count + 1)
        for x in ranges {
            if x.upperBound < r.lowerBound || x.lowerBound > r.upperBound {
                out.append(x)
                continue
            }
            if x.lowerBound < r.lowerBound { out.append(x.lowerBound...(r.lowerBound - 1)) }
            if x.upperBound > r.upperBound { out.append((r.upperBound + 1)...x.upperBound) }
        }
        ranges = out
    }

    /// True when `v` lies in one of the intervals.
    public func contains(_ v: UInt128) -> Bool {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < v { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count && ranges[lo].contains(v)
    }

    /// Total number of values (fits: the all-zero value is never counted by callers that need 2^128).
    public var count: UInt192 {
        ranges.reduce(UInt192.zero) { (acc: UInt192, r: ClosedRange<UInt128>) -> UInt192 in
            acc + UInt192(r.upperBound - r.lowerBound) + UInt192.one
        }
    }
}
