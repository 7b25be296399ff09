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

/// Resuming a walk after an element it produced (from a checkpoint) continues exactly where it
/// left off, serially and interleaved, at every word width.
@Suite struct ResumedWalkTests {
    @Test("a resumed walk yields the rest of the sequence", arguments: [UInt64(5), 70, 130])
    func resumed(bits: UInt64) throws {
        var rng = AESRandom(seed: bits)
        let count = UInt192.power2(Int(bits)) - UInt192(UInt64(7))
        let perm = try CyclicPermutation(count: count, rng: &rng)
        var reference = GroupWalker(permutation: perm, subshard: 1, of: 3)
        var all: [UInt192] = []
        while all.count < 500, let v = reference.next() { all.append(v) }
        for cut in [1, 17, 250] where cut < all.count {
            // The element of the cut-th ordinal is that ordinal plus one.
            let element = all[cut - 1] + .one
            var rest: [UInt192] = []
            switch GroupWalker(permutation: perm, subshard: 1, of: 3) {
            case .narrow(let w):
                var r = w.resumed(after: element.l0)
                while rest.count < all.count - cut, let v = r.next() { rest.append(UInt192(v)) }
                var batch = w.resumed(after: element.l0).interleaved
                let buf = UnsafeMutablePointer<UInt64>.allocate(capacity: 64)
                defer { buf.deallocate() }
                var b: [UInt192] = []
                while b.count < rest.count {
                    let n = batch.fill(buf, capacity: 64); if n == 0 { break }; b += (0..<n).map { UInt192(buf[$0]) }
                }
                #expect(Array(b.prefix(rest.count)) == rest)
            case .mid(let w):
                var r = w.resumed(after: element.low128)
                while rest.count < all.count - cut, let v = r.next() { rest.append(UInt192(v)) }
            case .wide(let w):
                var r = w.resumed(after: element)
                while rest.count < all.count - cut, let v = r.next() { rest.append(v) }
            }
            #expect(rest == Array(all[cut...]), "cut \(cut)")
        }
    }
}
