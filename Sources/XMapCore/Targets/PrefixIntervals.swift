/// A sorted set of disjoint, non-adjacent inclusive intervals of UInt128 values.
/// Used for prefix sets at `--max-len` granularity (value = the top max-len bits of an address).
public struct PrefixIntervals: Sendable, Equatable {
    /// Intervals in ascending order, non-overlapping and non-adjacent.
    public private(set) var ranges: [ClosedRange<UInt128>] = []

    public init() {}

    /// Builds the union of `ranges` (any order, overlaps allowed) in O(n log n).
    public init(_ ranges: [ClosedRange<UInt128>]) {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt128>] = []
        out.reserveCapacity(sorted.count)
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound || r.lowerBound - last.upperBound == 1 {
                if r.upperBound > last.upperBound { out[out.count - 1] = last.lowerBound...r.upperBound }
            } else {
                out.append(r)
            }
        }
        self.ranges = out
    }

    /// This set minus `other`, in one linear pass over both.
    public func subtracting(_ other: PrefixIntervals) -> PrefixIntervals {
        var out: [ClosedRange<UInt128>] = []
        out.reserveCapacity(ranges.count + other.ranges.count)
        var j = 0
        let b = other.ranges
        for r in ranges {
            var lo = r.lowerBound
            let hi = r.upperBound
            var empty = false
            while j < b.count && b[j].upperBound < lo { j += 1 }
            var k = j
            while k < b.count && b[k].lowerBound <= hi {
                if b[k].lowerBound > lo { out.append(lo...(b[k].lowerBound - 1)) }
                if b[k].upperBound >= hi { empty = true; break }
                lo = b[k].upperBound + 1
                k += 1
            }
            if !empty { out.append(lo...hi) }
        }
        var result = PrefixIntervals()
        result.ranges = out
        return result
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
