import Testing
@testable import XMapCore

@Suite struct CryptoTests {
    @Test("AES-128 FIPS-197 appendix C.1 vector, hardware and software paths")
    func fips197() {
        let key = AESKey(key: (0..<16).map { UInt8($0) })
        var block = AESBlock()
        for i in 0..<16 { block[i] = UInt8(i * 16 + i) }  // 00112233...ff
        let expected: [UInt8] = [
            0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
            0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a
        ]
        #expect(key.encrypt(block).bytes == expected)
        key.forceSoftware(true)
        #expect(key.encrypt(block).bytes == expected)
    }

    @Test func softwareMatchesHardware() {
        let hw = AESKey(seed: 0x1234_5678_9ABC_DEF0)
        let sw = AESKey(seed: 0x1234_5678_9ABC_DEF0)
        sw.forceSoftware(true)
        var block = AESBlock()
        for i in 0..<200 {
            block.b.0 = UInt64(i) &* 0x9E37_79B9_7F4A_7C15
            block.b.1 = ~block.b.0
            #expect(hw.encrypt(block) == sw.encrypt(block))
        }
    }

    @Test func seedKeyLayout() {
        #expect(AESKey(seed: 42).keyBytes == [42] + [UInt8](repeating: 0, count: 15))
        #expect(
            AESKey(seed: UInt64(bitPattern: -1)).keyBytes == [UInt8](repeating: 0xFF, count: 8)
                + [UInt8](repeating: 0, count: 8))
    }

    @Test("validation values change with every input")
    func validationBlocks() {
        let v = Validator(key: AESKey(seed: 7), family: .v4)
        let a = v.block(src: 0xC000_0201, dst: 0xC633_6401, port: 80)
        #expect(a != v.block(src: 0xC000_0201, dst: 0xC633_6402, port: 80))
        #expect(a != v.block(src: 0xC000_0201, dst: 0xC633_6401, port: 81))
        #expect(a == v.block(src: 0xC000_0201, dst: 0xC633_6401, port: 80))
    }

    @Test("source port checks accept exactly the probe ports")
    func sourcePortWindow() {
        let range = SourcePortRange(first: 1000, last: 1009)
        var v = AESBlock()
        v[0] = 0; v[1] = 8  // base offset 8
        let accepted = (1000...1009).filter { ValidationValues.isSourcePort(UInt16($0), v, probes: 3, range: range) }
        #expect(accepted == [1000, 1008, 1009])  // 8, 9 and wrap to 0
        #expect(ValidationValues.sourcePort(v, probe: 2, range: range) == 1000)
        #expect(!ValidationValues.isSourcePort(999, v, probes: 3, range: range))
    }
}
