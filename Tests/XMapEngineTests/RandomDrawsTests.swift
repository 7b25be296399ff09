import Testing
import XMapCore
@testable import XMapEngine

/// XMap's draws from the seed's AES generator, checked against the raw AES chain.
@Suite struct RandomDrawsTests {
    /// Block n of XMap's chain (block 1 = AES_k(0)), as XMap's `getword` reads it (8 bytes LE).
    func word(_ seed: UInt64, block n: Int) -> UInt64 {
        let key = AESKey(seed: seed)
        var b = AESBlock()
        for _ in 0..<n { b = key.encrypt(b) }
        return (0..<8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(b[$1]) }
    }

    @Test("source offset is block 3; thread seeds follow, after the receiver's in a real scan")
    func order() {
        let d = RandomDraws(seed: 9, sources: 3, senderThreads: 2, moduleDraws: true, receiverDraws: false)
        #expect(d.sourceOffset == UInt32(truncatingIfNeeded: word(9, block: 3)) % 3)
        #expect(
            d.threadSeeds == [
                UInt32(truncatingIfNeeded: word(9, block: 4)), UInt32(truncatingIfNeeded: word(9, block: 5))
            ])
        let real = RandomDraws(seed: 9, sources: 1, senderThreads: 1, moduleDraws: true, receiverDraws: true)
        #expect(real.sourceOffset == 0)
        #expect(real.threadSeeds == [UInt32(truncatingIfNeeded: word(9, block: 4))])  // block 3 went to the receiver
        let none = RandomDraws(seed: 9, sources: 1, senderThreads: 3, moduleDraws: false, receiverDraws: true)
        #expect(none.threadSeeds == [0, 0, 0])
    }

    @Test("source choice: offset + probe + address bytes in 8 bits, modulo the count")
    func sourceIndex() {
        let d = RandomDraws(seed: 1, sources: 5, senderThreads: 1, moduleDraws: false, receiverDraws: false)
        let address: UInt128 = 0xC633_64FF  // 198.51.100.255: bytes add up to 652
        for probe in 0..<4 {
            let sum = (Int(d.sourceOffset) + probe + 198 + 51 + 100 + 255) & 0xFF
            #expect(d.sourceIndex(address, probe: probe, count: 5, family: .v4) == sum % 5)
        }
        // Past 256 sources, only the first 256 can be chosen (as in XMap).
        let many = RandomDraws(seed: 1, sources: 300, senderThreads: 1, moduleDraws: false, receiverDraws: false)
        #expect((0..<2000).allSatisfy { many.sourceIndex(UInt128($0) << 8, probe: 0, count: 300, family: .v6) < 256 })
    }
}
