import Testing
@testable import XMapEngine
import XMapCore
import XMapModules

/// The receive thread's repeat detection against a `Set` model.
@Suite("Repeat filter")
struct RepeatFilterTests {
    @Test("agrees with a Set on streams with repeats, through several resizes", arguments: [IPFamily.v4, .v6])
    func matchesSet(_ family: IPFamily) {
        var filter = RepeatFilter(family: family, expected: 10, seed: 7)
        var model = Set<RepeatKey>()
        var rng = SplitMix64(seed: family == .v4 ? 1 : 2)
        var mismatches = 0
        for _ in 0..<120_000 {
            // Draw from a small pool so that about half the keys repeat.
            let n = rng.next() % 60_000
            let address: UInt128 =
                family == .v4 ? UInt128(0xC633_0000 | (n >> 2)) : (0x2001_0db8 << 96) | UInt128(n >> 2) << 20
            let key = RepeatKey(address: address, extra: UInt32(n & 3))
            if filter.insert(key) != model.insert(key).inserted { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(filter.count == model.count)
        #expect(filter.memoryBytes <= 16 * 8 * model.count / 6)  // at most 21.3 bytes per entry
    }

    @Test("IPv4 fingerprints are the keys themselves: distinct keys never collide")
    func exactForIPv4() {
        let f = RepeatFilter(family: .v4, seed: 1)
        #expect(f.fingerprint(RepeatKey(address: 0xC633_6401, extra: 80)) == 0xC633_6401_0000_0050)
        #expect(f.fingerprint(RepeatKey(address: 0, extra: 0)) != 0)
    }

    @Test("-E sizes the table up front")
    func presized() {
        let f = RepeatFilter(family: .v6, expected: 1_000_000, seed: 1)
        #expect(f.memoryBytes == 8 * (1 << 21))
    }

    @Test("--dedup-method: none never reports a repeat; window remembers the recent half-window at least")
    func methods() {
        func key(_ i: Int) -> RepeatKey { RepeatKey(address: UInt128(0xC633_6400 + i), extra: 80) }
        var none = RepeatDetector(method: .none, family: .v4, expected: 10, seed: 1)
        let first = none.isRepeat(key(1)), second = none.isRepeat(key(1))
        #expect(!first && !second)
        var window = RepeatDetector(method: .window(100), family: .v4, expected: 10, seed: 1)
        var early = 0, recent = 0
        for i in 0..<1000 where window.isRepeat(key(i)) { early += 1 }
        for i in 950..<1000 where window.isRepeat(key(i)) { recent += 1 }
        let old = window.isRepeat(key(0))
        #expect(early == 0)
        #expect(recent == 50, "the last half-window is remembered")
        #expect(!old, "an old key is forgotten")
        var full = RepeatDetector(method: .full, family: .v4, expected: 10, seed: 1)
        for i in 0..<1000 { _ = full.isRepeat(key(i)) }
        let oldFull = full.isRepeat(key(0))
        #expect(oldFull)
    }
}

@Suite("Repeat limit")
struct RepeatLimitTests {
    @Test("the full method stops growing at its limit and goes on as a window")
    func bounded() {
        var d = RepeatDetector(method: .full, family: .v4, expected: 16, seed: 1, limit: 1000)
        var fresh = 0
        for i in 0..<1000 where !d.isRepeat(RepeatKey(address: UInt128(i))) { fresh += 1 }
        #expect(fresh == 1000)
        // Still remembers the recent ones, forgets old ones once two windows have passed.
        let recent = d.isRepeat(RepeatKey(address: 999))
        #expect(recent)
        for i in 1000..<3000 { _ = d.isRepeat(RepeatKey(address: UInt128(i))) }
        let old = d.isRepeat(RepeatKey(address: 0)), newest = d.isRepeat(RepeatKey(address: 2999))
        #expect(!old && newest)
    }
}
