import Testing
import PropertyBased
@testable import XMapCore

@Suite struct TargetSpaceTests {
    @Test func allowAndBlock() throws {
        var b = TargetSpaceBuilder(family: .v4, maxLen: 32)
        b.allow(try IPPrefix.parse("198.51.100.0/24"))
        b.block(try IPPrefix.parse("198.51.100.128/25"))
        b.block(try IPPrefix.parse("198.51.100.7"))
        let set = b.build()
        #expect(set.count == UInt192(UInt64(127)))
        #expect(set.contains(0xC633_6406))
        #expect(!set.contains(0xC633_6407))
        #expect(!set.contains(0xC633_6480))
    }

    @Test func zeroPrefixIsNeverScanned() throws {
        var b = TargetSpaceBuilder(family: .v4, maxLen: 8)
        b.allow(try IPPrefix.parse("0.0.0.0/6"))
        #expect(b.build().count == UInt192(UInt64(3)))
        #expect(!b.build().contains(0))
    }

    @Test func longerThanMaxLenIsReported() throws {
        var b = TargetSpaceBuilder(family: .v6, maxLen: 32)
        b.allow(try IPPrefix.parse("2001:db8::1/128"))
        #expect(b.ignored.count == 1)
        #expect(b.build().count == .zero)
    }

    @Test func portsAndIndexesArePacked() throws {
        var b = TargetSpaceBuilder(family: .v4, maxLen: 32)
        b.allow(try IPPrefix.parse("198.51.100.0/30"))
        let s = TargetSpace(family: .v4, maxLen: 32, ports: [80, 443, 8080], indexCount: 1, allowed: b.build())
        #expect(s.portBits == 2)
        #expect(s.valueCount == UInt192(UInt64(16)))
        #expect(s.target(value: UInt64(0b00_01)) == Target(address: 0xC633_6400, port: 443, index: 0))
        #expect(s.target(value: UInt64(0b01_10)) == Target(address: 0xC633_6401, port: 8080, index: 0))
        #expect(s.target(value: UInt64(0b01_11)) == nil)  // padding slot
    }

    /// Every allowed target exactly once over all sub-shards, and nothing else.
    func coverage(
        width: Int, blocks: [(UInt128, Int)], ports: Int, seed: UInt64, shards: Int, threads: Int
    ) throws -> Bool {
        var b = TargetSpaceBuilder(family: .v4, maxLen: 32)
        let base: UInt128 = 0xC612_0000  // 198.18.0.0
        b.allow(IPPrefix(address: IPAddress(family: .v4, value: base), length: 32 - width))
        for (offset, len) in blocks {
            b.block(IPPrefix(address: IPAddress(family: .v4, value: base + offset), length: len))
        }
        let allowed = b.build()
        let portList = (0..<ports).map { UInt16(1000 + $0) }
        let space = TargetSpace(family: .v4, maxLen: 32, ports: portList, indexCount: 1, allowed: allowed)
        guard space.prefixCount > 0 else { return true }
        var rng = AESRandom(seed: seed)
        let perm = try CyclicPermutation(count: space.valueCount, rng: &rng)
        var seen = Set<[UInt64]>()
        var total = 0
        for i in 0..<(shards * threads) {
            var w = GroupWalker(permutation: perm, subshard: i, of: shards * threads)
            while let v = w.next() {
                guard let t = space.target(value: v) else { continue }
                guard allowed.contains(t.address) else { return false }
                seen.insert([UInt64(t.address), UInt64(t.port)])
                total += 1
            }
        }
        let expected = Int(space.prefixCount) * ports
        return total == expected && seen.count == expected
    }

    @Test("property: shards and threads cover the allowed space exactly once")
    func shardUnionProperty() async {
        await propertyCheck(
            count: 60, input: Gen<Int>.value(in: 0...12), Gen<Int>.value(in: 1...5),
            Gen<Int>.value(in: 1...4), Gen<Int>.value(in: 1...3), Gen<UInt64>.value()
        ) { width, ports, shards, threads, seed in
            let blocks: [(UInt128, Int)] = width > 3 ? [(UInt128(seed % (1 << UInt64(width))), 32 - width + 2)] : []
            let ok =
                (try? coverage(width: width, blocks: blocks, ports: ports, seed: seed, shards: shards, threads: threads))
                ?? false
            #expect(ok, "width \(width) ports \(ports) shards \(shards) threads \(threads) seed \(seed)")
        }
    }

    @Test("a 2^40 group (wide arithmetic not needed) and a 2^68 group walk consistently")
    func largeGroupsStep() throws {
        for bits in [40, 68, 130] {
            var rng = AESRandom(seed: 99)
            let count = UInt192.power2(bits) - UInt192.one
            let perm = try CyclicPermutation(count: count, rng: &rng)
            var w = GroupWalker(permutation: perm, subshard: 0, of: 1)
            var seen = Set<UInt192>()
            for _ in 0..<1000 { if let v = w.next() { seen.insert(v); #expect(v < count) } }
            #expect(seen.count == 1000)
        }
    }

    @Test("narrow step equals the generic modular multiply")
    func narrowMatchesWide() throws {
        for g in CyclicGroup.table where g.modulus.k <= 60 {
            var rng = AESRandom(seed: UInt64(g.modulus.k))
            let perm = try CyclicPermutation(count: g.prime - UInt192.one - UInt192.one, rng: &rng)
            var narrow = GroupWalker(permutation: perm, subshard: 0, of: 1)
            guard case .narrow = narrow else { Issue.record("2^\(g.modulus.k) is not walked at 64 bits"); continue }
            var current = perm.subshard(0, of: 1).first
            var produced = 0
            while produced < 200, let v = narrow.next() {
                // Reproduce with the 192-bit multiply.
                while current - UInt192.one != v { current = g.modulus.multiply(current, perm.generator) }
                produced += 1
                current = g.modulus.multiply(current, perm.generator)
            }
            #expect(produced > 0)
        }
    }
}

@Suite struct GroupArithmeticTests {
    /// Reference (a·b) mod p by shift-and-add with modulo after each step (no pseudo-Mersenne).
    func reference(_ a: UInt192, _ b: UInt192, _ p: UInt192) -> UInt192 {
        var result = UInt192.zero
        var x = a.modulo(p)
        for i in 0..<b.bitWidth {
            if b.bit(i) { result = (result + x).modulo(p) }
            x = (x + x).modulo(p)
        }
        return result
    }

    @Test("192-bit multiply matches a reference for every group")
    func wideMultiply() {
        var r = AESRandom(seed: 5)
        for g in CyclicGroup.table {
            let p = g.prime
            for _ in 0..<40 {
                let a = UInt192(l0: r.nextWord(), l1: r.nextWord(), l2: r.nextWord()).modulo(p)
                let b = UInt192(l0: r.nextWord(), l1: r.nextWord(), l2: r.nextWord()).modulo(p)
                #expect(g.modulus.multiply(a, b) == reference(a, b, p))
            }
            let pm1 = p - UInt192.one
            #expect(g.modulus.multiply(pm1, pm1) == UInt192.one)  // (−1)·(−1) = 1
        }
    }

    @Test("128-bit and 192-bit walks agree with the generic multiply")
    func midAndWideWalks() throws {
        for g in CyclicGroup.table where g.modulus.k >= 64 {
            var rng = AESRandom(seed: UInt64(g.modulus.k))
            let perm = try CyclicPermutation(count: g.prime - UInt192.one - UInt192.one, rng: &rng)
            var walker = GroupWalker(permutation: perm, subshard: 0, of: 1)
            switch walker {
            case .narrow: Issue.record("2^\(g.modulus.k) is walked at 64 bits")
            case .mid: #expect(g.modulus.k <= 124)
            case .wide: #expect(g.modulus.k > 124)
            }
            var current = perm.subshard(0, of: 1).first
            for _ in 0..<300 {
                guard let v = walker.next() else { break }
                while current - UInt192.one != v { current = g.modulus.multiply(current, perm.generator) }
                current = g.modulus.multiply(current, perm.generator)
            }
        }
    }

    @Test("a small group walked by the 128-bit code covers every element once")
    func fullCycleCoverage() throws {
        // 2^16+1 through the narrow walk; all 65536 elements, each once.
        var rng = AESRandom(seed: 11)
        let perm = try CyclicPermutation(count: UInt192(UInt64(65536)), rng: &rng)
        var w = GroupWalker(permutation: perm, subshard: 0, of: 1)
        var seen = [Bool](repeating: false, count: 65536)
        var n = 0
        while let v = w.next() {
            #expect(!seen[Int(v.l0)])
            seen[Int(v.l0)] = true
            n += 1
        }
        #expect(n == 65536)
    }
}

@Suite struct MidBatchWalkTests {
    @Test("128-bit batched walk yields the serial walk's ordinals in order, and stops where it does")
    func sameSequence() throws {
        var rng = AESRandom(seed: 5)
        let count = UInt192(UInt128(1) << 70 + 12345)
        let perm = try CyclicPermutation(count: count, rng: &rng)
        // Real sub-shards: the first 20,000 ordinals agree.
        for i in 0..<3 {
            guard case .mid(var serial) = GroupWalker(permutation: perm, subshard: i, of: 3) else {
                Issue.record("not a 128-bit walk")
                return
            }
            var batch = serial.interleaved
            let buf = UnsafeMutablePointer<UInt128>.allocate(capacity: 256)
            defer { buf.deallocate() }
            var b: [UInt128] = []
            while b.count < 20_000 { let n = batch.fill(buf, capacity: 256); b += (0..<n).map { buf[$0] } }
            var a: [UInt128] = []
            while a.count < b.count, let v = serial.next() { a.append(v) }
            #expect(a == b, "sub-shard \(i)")
        }
        // Short walks that end after every possible lane.
        guard case .mid(let w) = GroupWalker(permutation: perm, subshard: 0, of: 1) else {
            Issue.record("not a 128-bit walk")
            return
        }
        for length in 1...23 {
            var last = w.current
            for _ in 0..<length { last = w.group.multiply(last, w.generator) }
            var serial = GroupWalk(
                group: w.group, generator: w.generator, first: w.current, last: last, count: w.group.p)
            var batch = serial.interleaved
            var a: [UInt128] = [], b: [UInt128] = []
            while let v = serial.next() { a.append(v) }
            let buf = UnsafeMutablePointer<UInt128>.allocate(capacity: 5)
            defer { buf.deallocate() }
            while true {
                let n = batch.fill(buf, capacity: 5)
                if n == 0 { break }
                b += (0..<n).map { buf[$0] }
            }
            #expect(a == b && a.count == length, "length \(length)")
        }
    }
}

@Suite struct NarrowBatchWalkTests {
    @Test(
        "batched walk yields exactly the serial walk's ordinals, in order, for every sub-shard",
        arguments: [UInt64(1), 42, 0xDEAD_BEEF])
    func sameSequence(seed: UInt64) throws {
        for count in [1, 2, 5, 200, 4096, 20_000] as [UInt64] {
            for total in [1, 3, 7] where UInt64(total) <= count {
                var rng = AESRandom(seed: seed)
                let perm = try CyclicPermutation(count: UInt192(count), rng: &rng)
                for i in 0..<total {
                    guard case .narrow(var serial) = GroupWalker(permutation: perm, subshard: i, of: total) else {
                        Issue.record("not a 64-bit walk")
                        return
                    }
                    var batch = serial.interleaved
                    var a: [UInt64] = [], b: [UInt64] = []
                    while let v = serial.next() { a.append(v) }
                    let buf = UnsafeMutablePointer<UInt64>.allocate(capacity: 7)
                    defer { buf.deallocate() }
                    while true {
                        let n = batch.fill(buf, capacity: 7)
                        if n == 0 { break }
                        b += (0..<n).map { buf[$0] }
                    }
                    #expect(a == b, "count \(count) shard \(i)/\(total)")
                }
            }
        }
    }

    @Test("radix order: fully allowed /20 blocks come first (XMap's constraint order)")
    func radixOrder() throws {
        var b = TargetSpaceBuilder(family: .v4, maxLen: 32)
        b.allow(try IPPrefix.parse("10.0.0.0/24"))
        b.allow(try IPPrefix.parse("10.0.16.0/20"))
        let s = TargetSpace(family: .v4, maxLen: 32, ports: [], indexCount: 1, allowed: b.build())
        #expect(s.target(value: UInt64(0))?.address == 0x0A00_1000)  // 10.0.16.0
        #expect(s.target(value: UInt64(4096))?.address == 0x0A00_0000)  // then 10.0.0.0
        #expect(s.target(value: UInt64(4096 + 255))?.address == 0x0A00_00FF)
    }

    /// The ordinal → prefix mapping, checked against a model built by enumeration: allowed
    /// prefixes whose aligned 2^(maxLen−20) block is fully allowed come first (ascending), then
    /// the rest (ascending). Covers the 64-bit tables (IPv4, IPv6 ≤ /64) and the 128-bit path.
    @Test("property: every ordinal decodes to the model's prefix, many runs, all decode paths")
    func decodeMatchesModel() async {
        let cases: [(IPFamily, Int, UInt128)] = [
            (.v4, 32, 0xC612_0000),  // 198.18.0.0/18 at /32: /20 blocks of 4096
            (.v6, 24, 0x2001_0D),  // a /14 at /24: blocks of 16 prefixes
            (.v6, 72, 0x20_010D_B800_0000_0000)  // a /62 at /72: the 128-bit path
        ]
        await propertyCheck(
            count: 40, input: Gen<Int>.value(in: 0...2), Gen<Int>.value(in: 0...40),
            Gen<UInt64>.value()
        ) { which, blockCount, seed in
            let (family, maxLen, base) = cases[which]
            let width: UInt128 = which == 0 ? 14 : 10
            let lo = base & ~((1 << width) - 1), hi = lo | ((1 << width) - 1)
            var rng = AESRandom(seed: seed)
            var blocks: [ClosedRange<UInt128>] = []
            for _ in 0..<blockCount {
                let start = lo + UInt128(rng.nextWord() % UInt64(1 << width))
                let len = UInt128(rng.nextWord() % 300)
                blocks.append(start...min(hi, start + len))
            }
            var b = TargetSpaceBuilder(family: family, maxLen: maxLen)
            b.allow(range: lo...hi)
            for r in blocks { b.block(range: r) }
            let space = TargetSpace(family: family, maxLen: maxLen, ports: [], indexCount: 1, allowed: b.build())

            var blocked = [Bool](repeating: false, count: Int(hi - lo + 1))
            for r in blocks { for v in r { blocked[Int(v - lo)] = true } }
            let allowed = (lo...hi).filter { $0 != 0 && !blocked[Int($0 - lo)] }
            let blockBits = UInt128(max(0, maxLen - 20))
            var allowedPerBlock: [UInt128: UInt128] = [:]
            for v in allowed { allowedPerBlock[v >> blockBits, default: 0] += 1 }
            let isFull = { (v: UInt128) -> Bool in allowedPerBlock[v >> blockBits] == 1 << blockBits }
            let model = allowed.filter(isFull) + allowed.filter { !isFull($0) }
            #expect(space.prefixCount == UInt128(model.count))
            let shift = UInt128(family.bits - maxLen)
            var mismatches = 0
            for (i, prefix) in model.enumerated() where space.target(value: UInt64(i))?.address != prefix << shift {
                mismatches += 1
            }
            #expect(mismatches == 0, "family \(family) max-len \(maxLen) blocks \(blocks)")
        }
    }
}
