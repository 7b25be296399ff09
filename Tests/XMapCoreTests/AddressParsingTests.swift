import Testing
@testable import XMapCore

@Suite struct AddressParsingTests {
    @Test(
        "IPv4 addresses parse",
        arguments: [
            ("0.0.0.0", UInt128(0)), ("198.51.100.7", UInt128(0xC633_6407)), ("255.255.255.255", UInt128(0xFFFF_FFFF))
        ])
    func ipv4(text: String, value: UInt128) {
        let a = IPAddress(text)
        #expect(a?.family == .v4)
        #expect(a?.value == value)
        #expect(a?.description == text)
    }

    @Test(
        "IPv6 addresses parse and print like inet_ntop",
        arguments: [
            ("2001:db8::1", "2001:db8::1"),
            ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
            ("::", "::"),
            ("::1", "::1"),
            ("1::", "1::"),
            ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:6"),
            ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
            ("::ffff:198.51.100.1", "::ffff:198.51.100.1"),
            ("fe80::1:2", "fe80::1:2")
        ])
    func ipv6(text: String, printed: String) {
        let a = IPAddress(text)
        #expect(a?.family == .v6)
        #expect(a?.description == printed)
        #expect(IPAddress(printed)?.value == a?.value)
    }

    @Test(
        "malformed addresses are rejected",
        arguments: [
            "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-1", "01.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.4 ",
            ":::", "2001:db8::1::1", "2001:db8:1:2:3:4:5:6:7", "12345::", "2001:db8::g", ":1:2", "1:2:3:4:5:6:7",
            "::1.2.3", "2001:db8:", "2001::db8::"
        ])
    func malformed(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func prefixes() throws {
        let p = try IPPrefix.parse("2001:db8::/32")
        #expect(p.length == 32)
        #expect(p.network.description == "2001:db8::")
        let q = try IPPrefix.parse("198.51.100.77", defaultLength: 24)
        #expect(q.length == 24)
        #expect(q.network.description == "198.51.100.0")
        #expect(try IPPrefix.parse("0.0.0.0/0").network.value == 0)
    }

    @Test(
        "malformed prefixes name the bad token",
        arguments: [
            ("198.51.100.0/33", "invalid prefix length '33'"),
            ("198.51.100.0/", "invalid prefix length ''"),
            ("198.51.100.0/2x", "invalid prefix length '2x'"),
            ("2001:db8::/129", "invalid prefix length '129'"),
            ("nonsense/8", "invalid address 'nonsense'")
        ])
    func badPrefixes(text: String, message: String) {
        #expect {
            try IPPrefix.parse(text)
        } throws: { ($0 as? XMapError)?.message.contains(message) == true }
    }

    @Test func familyMismatch() {
        #expect(throws: XMapError.self) { try IPPrefix.parse("198.51.100.0/24", family: .v6) }
    }

    @Test func ports() throws {
        #expect(try PortList.parse("80").ports == [80])
        #expect(try PortList.parse("80,443,8080-8082").ports == [80, 443, 8080, 8081, 8082])
        #expect(try PortList.parse("0,65535").ports == [0, 65535])
        #expect(try PortList.parse("80,443").bits == 1)
        #expect(try PortList.parse("1-5").bits == 3)
        for bad in ["", "65536", "80,", "-1", "a", "90-80", "1-2-3", "80 ", "1,,2"] {
            #expect(throws: XMapError.self, "\(bad)") { try PortList.parse(bad) }
        }
    }

    @Test func sourcePorts() throws {
        #expect(try SourcePortRange.parse("32768-61000") == SourcePortRange(first: 32768, last: 61000))
        #expect(try SourcePortRange.parse("5000").count == 1)
        #expect(throws: XMapError.self) { try SourcePortRange.parse("6000-5000") }
        #expect(throws: XMapError.self) { try SourcePortRange.parse("1,2") }
    }

    @Test func macs() {
        #expect(MACAddress("00:1a:2B:3c:4d:5e")?.description == "00:1a:2b:3c:4d:5e")
        for bad in [
            "", "00:1a:2b:3c:4d", "00:1a:2b:3c:4d:5e:6f", "0:1a:2b:3c:4d:5e", "00-1a-2b-3c-4d-5e", "zz:1a:2b:3c:4d:5e"
        ] {
            #expect(MACAddress(bad) == nil, "\(bad)")
        }
    }
}
