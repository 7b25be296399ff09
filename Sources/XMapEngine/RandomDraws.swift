import XMapCore

/// What XMap draws from the AES generator keyed by the seed, after the permutation's generator
/// and offset (two blocks), and in this order: the source-address offset (only with several
/// source addresses), then one word per thread that initialises a probe module with a random
/// stream (udp, DNS) — the receive thread first in a real scan, then each sender thread. With the
/// same seed, these give XMap's source addresses and random payload bytes.
struct RandomDraws {
    /// Added to the address bytes when choosing among several source addresses.
    let sourceOffset: UInt32
    /// Each sender thread's seed for its module's random stream (0 when the module has none).
    let threadSeeds: [UInt32]
    /// ZMap's choice among several source addresses instead of XMap's.
    var zmapSources = false

    init(seed: UInt64, sources: Int, senderThreads: Int, moduleDraws: Bool, receiverDraws: Bool) {
        var rng = AESRandom(seed: seed)
        _ = rng.next128()  // the permutation's generator candidate
        _ = rng.next128()  // and its offset
        sourceOffset = sources > 1 ? UInt32(truncatingIfNeeded: rng.nextWord()) % UInt32(sources) : 0
        guard moduleDraws else {
            threadSeeds = Array(repeating: 0, count: senderThreads)
            return
        }
        if receiverDraws { _ = rng.nextWord() }
        threadSeeds = (0..<senderThreads).map { _ in UInt32(truncatingIfNeeded: rng.nextWord()) }
    }

    /// XMap's choice among `count` source addresses for probe `probe` to `address`: the offset,
    /// the probe number and every byte of the address added up in 8 bits, modulo `count` (so only
    /// the first 256 addresses can be chosen, as in XMap).
    /// With `zmapSources`, ZMap's: the address (as a number) plus the probe number, modulo `count`.
    @inline(__always) func sourceIndex(_ address: UInt128, probe: Int, count: Int, family: IPFamily) -> Int {
        if zmapSources {
            return Int((UInt64(truncatingIfNeeded: address) & 0xFFFF_FFFF &+ UInt64(probe)) % UInt64(count))
        }
        var sum = UInt8(truncatingIfNeeded: sourceOffset) &+ UInt8(truncatingIfNeeded: probe)
        var a = address
        for _ in 0..<family.bytes {
            sum &+= UInt8(truncatingIfNeeded: a)
            a >>= 8
        }
        return Int(sum) % count
    }
}
