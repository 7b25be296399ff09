import PropertyBased
import Testing
@testable import XMapCore

// MARK: - Helpers

/// The allowed set ZMap builds from subnets (none: all of IPv4) minus blocklist entries.
private func zmapAllowed(allow: String, block: String = "") throws -> PrefixIntervals {
    func ranges(_ text: String) throws -> [ClosedRange<UInt128>] {
        try text.split(separator: " ").map { item in
            let prefix = try IPPrefix.parse(String(item), family: .v4)
            let low = prefix.network.value
            return low...(low | ~IPPrefix.mask(length: prefix.length, bits: 32) & 0xFFFF_FFFF)
        }
    }
    let allowed = allow.isEmpty ? PrefixIntervals([0...0xFFFF_FFFF]) : PrefixIntervals(try ranges(allow))
    return allowed.subtracting(PrefixIntervals(try ranges(block)))
}

/// A target as ziterate prints it: `ip`, or `ip,port` when the scan has a port list.
private func describe(_ target: (address: UInt32, port: UInt16), withPort: Bool) -> String {
    let a = target.address
    let ip = "\(a >> 24).\((a >> 16) & 255).\((a >> 8) & 255).\(a & 255)"
    return withPort ? "\(ip),\(target.port)" : ip
}

/// FNV-1a 64 over address (4 bytes) and port (2 bytes), big-endian, as the fixture's recorder computed it.
private struct TargetHash {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ target: (address: UInt32, port: UInt16)) {
        for shift in stride(from: 24, through: 0, by: -8) { add(UInt8(truncatingIfNeeded: target.address >> shift)) }
        add(UInt8(target.port >> 8))
        add(UInt8(truncatingIfNeeded: target.port))
    }

    private mutating func add(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
}

/// Every thread's targets, in order (for spaces small enough to walk).
private func segments(_ order: ZMapScanOrder) -> [[(address: UInt32, port: UInt16)]] {
    (0..<order.threads).map { thread in
        var it = order.iterator(thread: thread)
        var out: [(address: UInt32, port: UInt16)] = []
        while let t = it.next() { out.append(t) }
        return out
    }
}

// MARK: - The reference binary's orders

@Suite struct ZMapRecordedOrderTests {
    @Test("matches ZMap's recorded order", arguments: zmapRecordedOrders)
    func matchesReference(_ recorded: RecordedOrder) throws {
        let ports = recorded.ports.isEmpty ? [] : try PortList.parse(recorded.ports).ports
        let order = try ZMapScanOrder(
            allowed: try zmapAllowed(allow: recorded.allow, block: recorded.block), ports: ports, seed: recorded.seed,
            shards: recorded.shards, shard: recorded.shard, threads: recorded.threads,
            maxTargets: recorded.maxTargets)
        #expect(order.generator == recorded.generator)
        #expect(recorded.segments.count == recorded.threads)
        for (thread, expected) in recorded.segments.enumerated() {
            var it = order.iterator(thread: thread)
            var hash = TargetHash()
            var head: [String] = [], tail: [String] = []
            var count = 0
            while !(expected.prefixOnly && count == expected.count), let target = it.next() {
                let text = describe(target, withPort: !recorded.ports.isEmpty)
                if head.count < expected.head.count { head.append(text) }
                tail.append(text)
                if tail.count > expected.tail.count { tail.removeFirst() }
                hash.add(target)
                count += 1
            }
            #expect(count == expected.count, "thread \(thread)")
            #expect(hash.value == expected.hash, "thread \(thread)")
            #expect(head == expected.head, "thread \(thread)")
            #expect(tail == expected.tail, "thread \(thread)")
        }
    }
}

// MARK: - The pieces

@Suite struct ZMapOrderPartsTests {
    @Test("the PRNG chains AES-128 blocks keyed by the seed, two words per block")
    func randomKnownAnswer() {
        // `openssl enc -aes-128-ecb -nopad -K 01000000000000000000000000000000` of the zero block, then of
        // its output; each block read as two little-endian words.
        var random = ZMapRandom(seed: 1)
        let words = (0..<4).map { _ in random.nextWord() }
        #expect(words == [0xbb1a_61f9_5dd8_0edc, 0x7e46_c568_d1cd_4972, 0x88fa_1c74_cc9c_1f7e, 0x5d42_40b4_92ad_483a])
    }

    @Test(
        "bits and group: the first prime above 2^(address bits + port bits)",
        arguments: [
            (UInt64(1), 1, 0, 0, UInt64(257)), (256, 1, 8, 0, 257), (3, 3, 2, 2, 257), (257, 1, 9, 0, 65537),
            (65536, 1, 16, 0, 65537), (65537, 1, 17, 0, 16_777_259), (1 << 24, 16, 24, 4, 268_435_459),
            (0xFFFF_FFFF, 1, 32, 0, 4_294_967_311), (0xFFFF_FFFF, 2, 32, 1, 8_589_934_609),
            (0xFFFF_FFFF, 3, 32, 2, 17_179_869_209), (0xFFFF_FFFF, 5, 32, 3, 68_719_476_767),
            (0xFFFF_FFFF, 256, 32, 8, 1_099_511_627_791), (0xFFFF_FFFF, 257, 32, 9, 17_592_186_044_423),
            (0xFFFF_FFFF, 65536, 32, 16, 281_474_976_710_677)
        ])
    func groupChoice(addresses: UInt64, ports: Int, addressBits: Int, portBits: Int, prime: UInt64) {
        let layout = ZMapElementLayout(addressCount: addresses, portCount: ports)
        #expect(layout.bitsForAddress == addressBits)
        #expect(layout.bitsForPort == portBits)
        #expect(ZMapCyclicGroup.smallest(above: layout.minimumGroupSize)?.prime == prime)
    }

    @Test("the table's factorisations make p − 1 whole")
    func tableFactors() {
        for group in ZMapCyclicGroup.table {
            var rest = group.order
            for q in group.primeFactors { while rest % q == 0 { rest /= q } }
            #expect(rest == 1, "\(group.prime)")
        }
    }

    /// Expected values worked out by hand (for 257, a Fermat prime, the generators are its quadratic
    /// non-residues: 3, 5, 6, 7, …) and with Python's `pow` for the others.
    @Test(
        "generator search: upward from a random start, 32-bit wrap, capped below 2^22",
        arguments: [
            (UInt64(257), UInt64(0), UInt64(3)),  // 1 and 2 are not generators
            (257, 3, 5),  // 4 is a square
            (257, 255, 3),  // 256 (= −1) fails, 257 ≡ 0 is skipped, then 1, 2, 3
            (4_294_967_311, 0xFFFF_FFFF, 3),  // 2^32 − 1 + 1 wraps to 0 in 32 bits
            (16_777_259, 0xFFFF_FFFF_00FF_FFFF, 2),  // 2^24 mod 2^22 = 0: the cap, then 1, 2
            (65537, 0x3F_FFFF, 65474),  // only the low 32 bits, reduced mod p
            (281_474_976_710_677, 0xABCD_EF00_1234_5678, 3_430_010)
        ])
    func generatorSearch(prime: UInt64, word: UInt64, generator: UInt64) throws {
        let group = try #require(ZMapCyclicGroup.table.first { $0.prime == prime })
        #expect(ZMapCycle.findGenerator(group: group, word: word) == generator)
    }

    @Test("decoding: padding past the last address, the last port or 2^(32 + port bits) is skipped")
    func decoding() {
        func decoded(_ layout: ZMapElementLayout, _ element: UInt64) -> [UInt64]? {
            layout.decode(element).map { [$0.addressIndex, UInt64($0.portIndex)] }
        }
        let three = ZMapElementLayout(addressCount: 3, portCount: 1)
        #expect(decoded(three, 1) == [0, 0])
        #expect(decoded(three, 3) == [2, 0])
        #expect(decoded(three, 4) == nil)  // address index 3 of 3
        #expect(decoded(three, 256) == nil)
        let ports = ZMapElementLayout(addressCount: 5, portCount: 3)  // 2 port bits
        #expect(decoded(ports, 4) == nil)  // 3 = 0·4 + 3: port index 3 of 3
        #expect(decoded(ports, 7) == [1, 2])  // 6 = 1·4 + 2
        #expect(decoded(ports, 19) == [4, 2])
        #expect(decoded(ports, 21) == nil)  // 20 = 5·4 + 0: address index 5 of 5
        let whole = ZMapElementLayout(addressCount: 0xFFFF_FFFF, portCount: 3)
        #expect(whole.elementLimit == 1 << 34)
        #expect(decoded(whole, 1 << 34) == nil)
        #expect(decoded(whole, (1 << 34) - 1) == nil)  // address index 2^32 − 1 of 2^32 − 1
        #expect(decoded(whole, (1 << 34) - 5) == [0xFFFF_FFFE, 2])
        #expect(decoded(whole, 0) == nil)
    }

    @Test("sub-shards: ⌊Q/S⌋ exponents each, turned by the offset, the last one wrapping with the remainder")
    func subShardBounds() throws {
        let group = try #require(ZMapCyclicGroup.smallest(above: 256))
        let cycle = ZMapCycle(group: group, generator: 3, offset: 250)
        let slices = (0..<3).map {
            ZMapSubShard(
                cycle: cycle, shard: 0, shards: 1, thread: $0, threads: 3,
                maxTotalTargets: nil)
        }
        // Q = 256, S = 3: ⌊256/3⌋ = 85.
        #expect(slices.map(\.beginExponent) == [250, 79, 164])
        #expect(slices.map(\.endExponent) == [79, 164, 250])
        #expect(slices[0].first == ZMapModular.power(3, 250, modulo: 257))
        #expect(slices[2].last == slices[0].first)
        // The same slices as shards: sub-shard i = shard · threads + thread.
        let asShards = (0..<3).map {
            ZMapSubShard(
                cycle: cycle, shard: $0, shards: 3, thread: 0, threads: 1,
                maxTotalTargets: nil)
        }
        #expect(asShards == slices)
        let whole = ZMapSubShard(cycle: cycle, shard: 0, shards: 1, thread: 0, threads: 1, maxTotalTargets: nil)
        #expect(whole.first == whole.last)
    }

    @Test("--max-targets: ⌊M/S⌋ each, one more for the first M mod S sub-shards; none splits 2^64 − 1")
    func maxTargetsSplit() {
        #expect((0..<4).map { ZMapSubShard.share(of: 103, subShard: $0, of: 4) } == [26, 26, 26, 25])
        #expect((0..<6).map { ZMapSubShard.share(of: 101, subShard: $0, of: 6) } == [17, 17, 17, 17, 17, 16])
        #expect(ZMapSubShard.share(of: nil, subShard: 0, of: 1) == UInt64.max)
        #expect(ZMapSubShard.share(of: 0, subShard: 1, of: 2) == UInt64.max / 2)
        #expect(ZMapSubShard.share(of: nil, subShard: 0, of: 2) == UInt64.max / 2 + 1)
    }

    @Test("ZMap drops to one sender thread when 2 × threads ≥ --max-targets (and for -n 0)")
    func senderThreads() {
        #expect(ZMapScanOrder.senderThreads(requested: 4, maxTargets: nil) == 4)
        #expect(ZMapScanOrder.senderThreads(requested: 4, maxTargets: 8) == 1)
        #expect(ZMapScanOrder.senderThreads(requested: 4, maxTargets: 9) == 4)
        #expect(ZMapScanOrder.senderThreads(requested: 2, maxTargets: 0) == 1)
    }
}

// MARK: - Address numbering

@Suite struct ZMapAddressIndexTests {
    @Test("whole /18 blocks first, then the rest ascending; 0.0.0.0 is never allowed")
    func radixFirst() throws {
        let index = try ZMapAddressIndex(allowed: try zmapAllowed(allow: "9.9.9.9 10.0.0.0/16", block: "10.0.64.5"))
        let a = { (n: UInt64) in describe((index.address(at: n), 0), withPort: false) }
        #expect(index.count == 65536)
        #expect(a(0) == "10.0.0.0")
        #expect(a(16383) == "10.0.63.255")
        #expect(a(16384) == "10.0.128.0")  // 10.0.64.0/18 has a hole: it moves to the end
        #expect(a(49151) == "10.0.255.255")
        #expect(a(49152) == "9.9.9.9")
        #expect(a(49153) == "10.0.64.0")
        #expect(a(49158) == "10.0.64.6")
        #expect(a(65535) == "10.0.127.255")
        let zero = try ZMapAddressIndex(allowed: try zmapAllowed(allow: "0.0.0.0/30"))
        #expect(zero.count == 3)
        #expect(zero.address(at: 0) == 1)
    }

    @Test("property: the numbering is a bijection onto the allowed set, whole /18 blocks first")
    func numberingModel() async {
        await propertyCheck(count: 30, input: Gen<Int>.value(in: 0...30), Gen<UInt64>.value()) { holes, seed in
            var random = ZMapRandom(seed: seed)
            let base: UInt32 = 0x0A00_0000 | UInt32(truncatingIfNeeded: random.nextWord() % 4) << 16
            var blocked: [ClosedRange<UInt128>] = []
            for _ in 0..<holes {
                let start = UInt128(base) + UInt128(random.nextWord() % 65536)
                blocked.append(start...min(UInt128(base) + 65535, start + UInt128(random.nextWord() % 2000)))
            }
            let allowed = PrefixIntervals([UInt128(base)...UInt128(base) + 65535]).subtracting(PrefixIntervals(blocked))
            let values = allowed.ranges.flatMap { $0.map { UInt32($0) } }
            var perBlock: [UInt32: Int] = [:]
            for v in values { perBlock[v >> 14, default: 0] += 1 }
            let isWhole = { (v: UInt32) in perBlock[v >> 14] == 1 << 14 }
            let model = values.filter(isWhole) + values.filter { !isWhole($0) }
            guard let index = try? ZMapAddressIndex(allowed: allowed) else { Issue.record("rejected"); return }
            #expect(index.count == UInt64(model.count))
            let mismatches = model.indices.filter { index.address(at: UInt64($0)) != model[$0] }.count
            #expect(mismatches == 0, "holes \(blocked)")
        }
    }
}

// MARK: - Whole scans

@Suite struct ZMapScanOrderTests {
    @Test("a /32 with one port: one target; no port list means ZMap's port 0")
    func tinySpace() throws {
        let order = try ZMapScanOrder(allowed: try zmapAllowed(allow: "192.0.2.7"), ports: [], seed: 3)
        #expect(order.prime == 257)
        #expect(order.ports == [0])
        let targets = segments(order)[0]
        #expect(targets.count == 1 && targets[0].address == 0xC000_0207 && targets[0].port == 0)
    }

    @Test(
        "ZMap's refusals",
        arguments: [
            ("", "0.0.0.0/0", [UInt16(80)], 1, 0, 1, UInt64?.none, "zero eligible addresses to scan"),
            ("0.0.0.0", "", [80], 1, 0, 1, nil, "zero eligible addresses to scan"),
            ("192.0.2.0/30", "", [80], 2, 0, 3, nil, "senders * shards > allowed probes"),
            ("192.0.2.0/24", "", [80], 1, 0, 4, 3, "senders * shards > max targets"),
            ("192.0.2.0/24", "", [80], 16, 3, 16, nil, "more sub-shards than group elements")
        ])
    func refusals(
        allow: String, block: String, ports: [UInt16], shards: Int, shard: Int, threads: Int,
        maxTargets: UInt64?, message: String
    ) throws {
        let allowed = try zmapAllowed(allow: allow, block: block)
        #expect(throws: XMapError.self) {
            try ZMapScanOrder(
                allowed: allowed, ports: ports, seed: 1, shards: shards, shard: shard,
                threads: threads, maxTargets: maxTargets)
        }
        do {
            _ = try ZMapScanOrder(
                allowed: allowed, ports: ports, seed: 1, shards: shards, shard: shard,
                threads: threads, maxTargets: maxTargets)
        } catch let error as XMapError {
            #expect(error.message == message)
        }
    }

    @Test("bad shard and thread numbers are refused")
    func badArguments() throws {
        let net = try zmapAllowed(allow: "192.0.2.0/24")
        #expect(throws: XMapError.self) { try ZMapScanOrder(allowed: net, ports: [80], seed: 1, shards: 2, shard: 2) }
        #expect(throws: XMapError.self) { try ZMapScanOrder(allowed: net, ports: [80], seed: 1, shards: 65536) }
        #expect(throws: XMapError.self) { try ZMapScanOrder(allowed: net, ports: [80], seed: 1, threads: 0) }
        #expect(throws: XMapError.self) { try ZMapScanOrder(allowed: net, ports: [80], seed: 1, threads: 256) }
    }

    /// ZMap's own walk of this group (recorded with `ziterate --seed 1 -p 1-1024`, all of IPv4) wraps its
    /// 64-bit product: its target 1,926,006 (0-based) repeats target 518,787 and it loops from there
    /// for ever. xmap multiplies exactly there: the same start, then no repeat.
    /// ZMap's first target of that scan (its walk agrees with the exact one until the product wraps).
    static let firstOfWholeSpace1024 = "55.159.189.0,898"

    @Test("the 2^44+7 group: ZMap's start, then no repeats where ZMap's wrapping step loops")
    func overflowLoopFixed() throws {
        let order = try ZMapScanOrder(allowed: try zmapAllowed(allow: ""), ports: Array(1...1024), seed: 1)
        #expect(order.prime == 17_592_186_044_423)
        var it = order.iterator(thread: 0)
        var seen = Set<UInt64>()
        var repeats = 0
        for n in 0...2_000_000 {
            guard let target = it.next() else { break }
            if n == 0 { #expect(describe(target, withPort: true) == Self.firstOfWholeSpace1024) }
            if !seen.insert(UInt64(target.address) << 16 | UInt64(target.port)).inserted { repeats += 1 }
        }
        #expect(repeats == 0)
    }

    /// A random small space: one or two prefixes of up to 2^8 addresses, with holes; 1 to 5 distinct ports.
    private static func randomScan(seed: UInt64, shards: Int, threads: Int) -> (PrefixIntervals, [UInt16]) {
        var random = ZMapRandom(seed: seed)
        var ranges: [ClosedRange<UInt128>] = []
        for _ in 0..<(1 + Int(random.nextWord() % 2)) {
            let width = random.nextWord() % 9
            let start = UInt128(random.nextWord() & 0xFFFF_FFFF) & ~((1 << UInt128(width)) - 1)
            ranges.append(start...start + (1 << UInt128(width)) - 1)
        }
        var allowed = PrefixIntervals(ranges)
        for _ in 0..<Int(random.nextWord() % 4) {
            let hole = UInt128(random.nextWord() % 256) + ranges[0].lowerBound
            allowed.remove(hole...hole)
        }
        var ports: [UInt16] = []
        let portCount = 1 + Int(random.nextWord() % 5)
        while ports.count < portCount {
            let p = UInt16(truncatingIfNeeded: random.nextWord())
            if !ports.contains(p) { ports.append(p) }
        }
        return (allowed, ports)
    }

    @Test("property: all sub-shards together are exactly allowed × ports, and in order they are the T=1 order")
    func coverage() async {
        await propertyCheck(
            count: 150, input: Gen<Int>.value(in: 1...3), Gen<Int>.value(in: 1...4),
            Gen<UInt64>.value()
        ) { shards, threads, seed in
            let (allowed, ports) = Self.randomScan(seed: seed, shards: shards, threads: threads)
            let addresses = allowed.subtracting(PrefixIntervals([0...0])).ranges.flatMap { $0.map { UInt32($0) } }
            guard addresses.count * ports.count >= shards * threads, !addresses.isEmpty else { return }
            guard let single = try? ZMapScanOrder(allowed: allowed, ports: ports, seed: seed) else {
                Issue.record("single-threaded order refused")
                return
            }
            var concatenated: [UInt64] = []
            for shard in 0..<shards {
                guard
                    let order = try? ZMapScanOrder(
                        allowed: allowed, ports: ports, seed: seed, shards: shards,
                        shard: shard, threads: threads)
                else {
                    Issue.record("shard \(shard) refused")
                    return
                }
                #expect(order.generator == single.generator)
                for part in segments(order) { concatenated += part.map { UInt64($0.address) << 16 | UInt64($0.port) } }
            }
            let expected = addresses.flatMap { a in ports.map { UInt64(a) << 16 | UInt64($0) } }
            #expect(concatenated.count == expected.count)
            #expect(Set(concatenated) == Set(expected))
            let whole = segments(single)[0].map { UInt64($0.address) << 16 | UInt64($0.port) }
            #expect(concatenated == whole, "shards \(shards) threads \(threads) seed \(seed)")
        }
    }

    @Test("property: with --max-targets each thread yields the first min(share, segment) targets of its segment")
    func maxTargetsPrefix() async {
        await propertyCheck(
            count: 60, input: Gen<Int>.value(in: 1...4), Gen<UInt64>.value(in: 4...400),
            Gen<UInt64>.value()
        ) { threads, maxTargets, seed in
            let (allowed, ports) = Self.randomScan(seed: seed, shards: 1, threads: threads)
            guard let free = try? ZMapScanOrder(allowed: allowed, ports: ports, seed: seed, threads: threads),
                let capped = try? ZMapScanOrder(
                    allowed: allowed, ports: ports, seed: seed, threads: threads,
                    maxTargets: maxTargets)
            else { return }
            let all = segments(free), limited = segments(capped)
            for thread in 0..<threads {
                let share = Int(ZMapSubShard.share(of: maxTargets, subShard: thread, of: threads))
                let expected = all[thread].prefix(share).map { UInt64($0.address) << 16 | UInt64($0.port) }
                #expect(limited[thread].map { UInt64($0.address) << 16 | UInt64($0.port) } == expected)
            }
        }
    }
}
