import Testing
@testable import XMapCore

/// The builder's safety rules: an allow source that adds nothing allows nothing, blocks longer
/// than max-len block their whole max-len prefix, allow ranges round inward, bounds intersect.
@Suite("Target space bounds")
struct TargetBoundsTests {
    func v4(_ s: String) -> IPAddress { IPAddress(s)! }
    func prefix(_ s: String) -> IPPrefix { try! IPPrefix.parse(s, family: .v4) }

    @Test("an allow source with no entry allows nothing (never the whole space)")
    func emptyAllowSource() {
        var b = TargetSpaceBuilder(family: .v6, maxLen: 32)
        #expect(b.allowsWholeSpace)
        b.restrictToAllowed()
        #expect(b.build().ranges.isEmpty)
        #expect(!b.allowsWholeSpace)
    }

    @Test("a blocklist entry longer than max-len blocks the max-len prefix around it")
    func widenedBlock() {
        var b = TargetSpaceBuilder(family: .v4, maxLen: 24)
        b.allow(prefix("198.51.100.0/23"))
        b.block(prefix("198.51.100.7/32"))
        let allowed = b.build()
        let value100 = v4("198.51.100.0").value >> 8, value101 = v4("198.51.101.0").value >> 8
        #expect(!allowed.contains(value100) && allowed.contains(value101))
        #expect(b.widenedBlocks.count == 1 && b.widenedBlocks[0].blocked.length == 24)
    }

    @Test("allow ranges keep only the max-len prefixes wholly inside them")
    func innerRanges() {
        #expect(TargetSpec.innerIntervals(from: v4("198.51.100.10"), to: v4("198.51.100.20"), maxLen: 24) == nil)
        let base = v4("198.51.100.0").value >> 8
        #expect(
            TargetSpec.innerIntervals(from: v4("198.51.100.0"), to: v4("198.51.101.255"), maxLen: 24)
                == base...(base + 1))
        #expect(
            TargetSpec.innerIntervals(from: v4("198.51.100.1"), to: v4("198.51.102.254"), maxLen: 24)
                == (base + 1)...(base + 1))
        #expect(TargetSpec.innerIntervals(from: v4("0.0.0.0"), to: v4("0.0.0.255"), maxLen: 24) == 0...0)
        #expect(TargetSpec.innerIntervals(from: v4("0.0.0.0"), to: v4("0.0.0.254"), maxLen: 24) == nil)
        #expect(
            TargetSpec.innerIntervals(from: v4("198.51.100.10"), to: v4("198.51.100.20"), maxLen: 32)
                == v4("198.51.100.10").value...v4("198.51.100.20").value)
        #expect(TargetSpec.innerIntervals(from: v4("0.0.0.0"), to: v4("255.255.255.255"), maxLen: 0) == 0...0)
        let six = IPAddress("2001:db8::")!, sixEnd = IPAddress("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")!
        #expect(TargetSpec.innerIntervals(from: six, to: sixEnd, maxLen: 32) == (six.value >> 96)...(six.value >> 96))
    }

    @Test("bounds intersect the targets; they never add to them")
    func bounds() {
        var b = TargetSpaceBuilder(family: .v4, maxLen: 32)
        b.allow(prefix("198.51.100.0/24"))
        b.bound(prefix("198.51.100.128/25"))
        b.bound(prefix("203.0.113.0/24"))
        let allowed = b.build()
        #expect(allowed.ranges == [v4("198.51.100.128").value...v4("198.51.100.255").value])
        var empty = TargetSpaceBuilder(family: .v4, maxLen: 32)
        empty.allow(prefix("198.51.100.0/24"))
        empty.bound(range: nil)
        #expect(empty.build().ranges.isEmpty)
    }
}
