import Testing
@testable import XMapCore

@Suite struct AddressListTests {
    func parse(_ s: String, _ f: IPFamily) -> UInt128? {
        Array(s.utf8).withUnsafeBytes { AddressBytes.parse($0, family: f) }
    }

    @Test("byte parser agrees with IPAddress on random and edge addresses")
    func agreesWithIPAddress() {
        var r = AESRandom(seed: 8)
        for _ in 0..<3000 {
            let v6 = UInt128(r.nextWord()) << 64 | UInt128(r.nextWord())
            // Zero out random words so '::' compression shows up.
            var masked = v6
            for w in 0..<8 where r.nextWord() % 3 == 0 { masked &= ~(UInt128(0xFFFF) << UInt128(16 * w)) }
            let a = IPAddress(family: .v6, value: masked)
            #expect(parse(a.description, .v6) == masked, "\(a)")
            let v4 = IPAddress(family: .v4, value: UInt128(UInt32(truncatingIfNeeded: r.nextWord())))
            #expect(parse(v4.description, .v4) == v4.value)
        }
        for text in [
            "::", "::1", "1::", "2001:db8::1", "::ffff:198.51.100.1", "2001:DB8:0:0:0:0:0:1", "fe80::1:2:3:4:5:6"
        ] {
            #expect(parse(text, .v6) == IPAddress(text)?.value, "\(text)")
        }
        #expect(parse("198.51.100.7/24", .v4) == 0xC633_6407)
    }

    @Test(
        "malformed list entries are rejected",
        arguments: [
            "", "1.2.3", "1.2.3.256", "01.2.3.4", "1.2.3.4.5", ":::", "2001:db8::1::1", "1:2:3:4:5:6:7:8:9", "12345::",
            "g::1", ":1", "1:", "1:2:3:4:5:6:7", "::1.2.3", "2001:db8:::1"
        ])
    func malformed(text: String) {
        #expect(parse(text, .v4) == nil && parse(text, .v6) == nil)
    }

    @Test func chunksCoverTheListOnce() {
        var l = AddressList(family: .v4)
        for i in 0..<103 { l.append(UInt128(i + 1)) }
        for total in 1...12 {
            var covered: [Int] = []
            for i in 0..<total { covered += Array(l.chunk(i, of: total)) }
            #expect(covered == Array(0..<103))
        }
        #expect(l.bytesPerEntry == 4)
    }
}
