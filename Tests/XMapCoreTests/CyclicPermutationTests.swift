import Testing
@testable import XMapCore

@Suite struct CyclicPermutationTests {
    /// Walks a whole space in one sub-shard and returns the decoded targets.
    func walk(_ space: TargetSpace, seed: UInt64, subshard: Int = 0, of total: Int = 1) throws -> [Target] {
        var rng = AESRandom(seed: seed)
        let perm = try CyclicPermutation(count: space.valueCount, rng: &rng)
        var walker = GroupWalker(permutation: perm, subshard: subshard, of: total)
        var out: [Target] = []
        while let v = walker.next() {
            if let t = space.target(value: v) { out.append(t) }
        }
        return out
    }

    @Test("seed 42 over 198.51.100.0/24 matches XMap 2.0.2's recorded order")
    func matchesXMapOrder() throws {
        var b = TargetSpaceBuilder(family: .v4, maxLen: 32)
        b.allow(try IPPrefix.parse("198.51.100.0/24"))
        let space = TargetSpace(family: .v4, maxLen: 32, ports: [80], indexCount: 1, allowed: b.build())
        let order = try walk(space, seed: 42)
        let octets = order.map { UInt8(truncatingIfNeeded: $0.address) }
        #expect(octets == xmapSeed42Order)
        #expect(order.allSatisfy { $0.port == 80 && ($0.address >> 8) == 0xC63364 })
    }
}
