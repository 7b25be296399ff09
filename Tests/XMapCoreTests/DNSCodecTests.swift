import Testing
import XMapCore

/// The DNS codec: names (encoding, compression, hostile pointers), the message parser, typed
/// RDATA and its presentation form.
@Suite struct DNSCodecTests {
    /// A name in wire form from dotted text (test helper, independent of `DNSName.encode`).
    static func wire(_ name: String) -> [UInt8] {
        name.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }

    static func u16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func u32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }

    /// A response header: ID 0x1234, QR, RD, RA, the given RCODE and counts.
    static func header(rcode: UInt8 = 0, qd: Int = 1, an: Int = 0, ns: Int = 0, ar: Int = 0) -> [UInt8] {
        [0x12, 0x34, 0x81, 0x80 | rcode] + u16(qd) + u16(an) + u16(ns) + u16(ar)
    }

    /// A resource record with an uncompressed owner name.
    static func rr(_ name: [UInt8], type: Int, ttl: UInt32 = 300, rdata: [UInt8], rrclass: Int = 1) -> [UInt8] {
        name + u16(type) + u16(rrclass) + u32(ttl) + u16(rdata.count) + rdata
    }

    static func parse(_ bytes: [UInt8]) -> DNSMessage? { bytes.withUnsafeBytes { DNSMessage($0) } }
    static func readName(_ bytes: [UInt8], at offset: Int) -> DNSName.Read? {
        bytes.withUnsafeBytes { DNSName.read($0, at: offset) }
    }

    @Test("encoding: labels, trailing dot, root; empty, long labels and long names are errors")
    func encode() throws {
        #expect(try DNSName.encode("www.example.com") == Self.wire("www.example.com"))
        #expect(try DNSName.encode("www.example.com.") == Self.wire("www.example.com"))
        #expect(try DNSName.encode("") == [0])
        #expect(try DNSName.encode(".") == [0])
        #expect(throws: XMapError.self) { try DNSName.encode("a..b") }
        #expect(throws: XMapError.self) { try DNSName.encode(".a") }
        #expect(throws: XMapError.self) { try DNSName.encode(String(repeating: "a", count: 64) + ".com") }
        #expect(try DNSName.encode(String(repeating: "a", count: 63) + ".com").count == 63 + 1 + 4 + 1)
        let long = Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".")  // 4*64+1 = 257
        #expect(throws: XMapError.self) { try DNSName.encode(long) }
    }

    @Test("reading: compression pointers, escapes, where the name ends")
    func readNames() {
        // "example.com" at 12, then "www" + pointer to it.
        let m = Self.header() + Self.wire("example.com") + [3] + Array("www".utf8) + [0xC0, 12]
        #expect(Self.readName(m, at: 12) == DNSName.Read(text: "example.com", end: 25))
        #expect(Self.readName(m, at: 25) == DNSName.Read(text: "www.example.com", end: 31))
        // A name that is just a pointer, and the root.
        #expect(Self.readName(m + [0xC0, 25], at: 31)?.text == "www.example.com")
        #expect(Self.readName(Self.header() + [0], at: 12) == DNSName.Read(text: "", end: 13))
        // Dots, backslashes and non-printable bytes inside a label are escaped as dig escapes them.
        let odd = Self.header() + [5, UInt8(ascii: "a"), UInt8(ascii: "."), UInt8(ascii: "\\"), 0x01, 0xFF, 0]
        #expect(Self.readName(odd, at: 12)?.text == "a\\.\\\\\\001\\255")
    }

    @Test("hostile names: loops, forward pointers, truncation, over 255 bytes, reserved label types")
    func hostileNames() {
        let h = Self.header()
        #expect(Self.readName(h + [0xC0, 12], at: 12) == nil)  // points at itself
        #expect(Self.readName(h + [1, 97, 0xC0, 12], at: 12) == nil)  // a loop through a label
        #expect(Self.readName(h + [0xC0, 14, 1, 97, 0], at: 12) == nil)  // points forward
        #expect(Self.readName(h + [0xC0, 200], at: 12) == nil)  // outside the message
        #expect(Self.readName(h + [3, 97, 98], at: 12) == nil)  // label runs past the end
        #expect(Self.readName(h + [1, 97], at: 12) == nil)  // no final zero
        #expect(Self.readName(h + [0xC0], at: 12) == nil)  // half a pointer
        #expect(Self.readName(h + [0x40, 0], at: 12) == nil)  // extended label type
        #expect(Self.readName(h + [0x80, 0], at: 12) == nil)  // reserved label type
        // 5 labels of 50 bytes = 255 bytes plus the final zero: one too many.
        let label = [UInt8(50)] + Array(repeating: UInt8(ascii: "a"), count: 50)
        #expect(Self.readName(h + Array(repeating: label, count: 5).flatMap { $0 } + [0], at: 12) == nil)
        #expect(Self.readName(h + Array(repeating: label, count: 4).flatMap { $0 } + [0], at: 12) != nil)
        // The same through pointers: each part is short, the whole is too long.
        var chain = h + label + [0]  // name 0 at 12
        for _ in 0..<5 { let at = chain.count - 52; chain += label + [0xC0, UInt8(at)] }
        #expect(Self.readName(chain, at: chain.count - 53) == nil)
        // A chain of pointers each pointing further back is bounded by the pointer limit.
        var pointers = h + [0]
        for i in 0..<100 { pointers += [0xC0, UInt8(i == 0 ? 12 : 12 + 1 + 2 * (i - 1))] }
        #expect(Self.readName(pointers, at: pointers.count - 2) == nil)
    }

    @Test("a message: header bits, question, every section")
    func message() throws {
        let name = Self.wire("example.com")
        let m =
            Self.header(qd: 1, an: 1, ns: 1, ar: 1) + name + Self.u16(1) + Self.u16(1)
            + Self.rr([0xC0, 12], type: 1, rdata: [192, 0, 2, 7])
            + Self.rr([0xC0, 12], type: 2, rdata: Self.wire("ns1.example.com"))
            + Self.rr([0], type: 41, ttl: 0x0000_8000, rdata: [], rrclass: 1232)
        let p = try #require(Self.parse(m))
        #expect(
            p.header.id == 0x1234 && p.header.qr && p.header.rd && p.header.ra && !p.header.aa && p.header.rcode == 0)
        #expect(p.questions == [DNSQuestion(name: "example.com", type: .a, qclass: 1)])
        #expect(p.answers.map(\.data) == [.address(IPAddress("192.0.2.7")!)])
        #expect(p.authorities.map(\.data) == [.name("ns1.example.com")])
        #expect(p.additionals.first?.type == .opt && p.additionals.first?.rrclass == 1232)
        #expect(!p.parseError && p.unconsumedBytes == 0)
    }

    @Test("counts larger than the message, truncated records, trailing bytes")
    func malformedMessages() throws {
        let q = Self.wire("example.com") + Self.u16(1) + Self.u16(1)
        let a = Self.rr([0xC0, 12], type: 1, rdata: [192, 0, 2, 7])
        // Two answers promised, one present: the first is kept, the error is reported.
        let short = try #require(Self.parse(Self.header(an: 2) + q + a))
        #expect(short.answers.count == 1 && short.parseError && short.unconsumedBytes == 0)
        // An answer cut in its RDATA: nothing of it is kept, its bytes are unconsumed.
        let cut = try #require(Self.parse(Self.header(an: 1) + q + a.dropLast(1)))
        #expect(cut.answers.isEmpty && cut.parseError && cut.unconsumedBytes == a.count - 1)
        // An error in the answers leaves the later sections empty.
        // RDLENGTH too large
        let badAnswer: [UInt8] = [0xC0, 0x0C] + Self.u16(1) + Self.u16(1) + Self.u32(0) + Self.u16(200)
        let later = try #require(
            Self.parse(Self.header(an: 1, ns: 1) + q + badAnswer + Self.rr([0], type: 2, rdata: [0])))
        #expect(later.answers.isEmpty && later.authorities.isEmpty && later.parseError)
        // Trailing bytes after the last record.
        let trailing = try #require(Self.parse(Self.header() + q + [1, 2, 3]))
        #expect(trailing.parseError && trailing.unconsumedBytes == 3)
        // A question whose name loops.
        #expect(Self.parse(Self.header() + [0xC0, 12] + Self.u16(1) + Self.u16(1))?.parseError == true)
        // 65535 of everything in a 12-byte message: bounded work, an error.
        let huge = try #require(Self.parse([0, 0, 0x81, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]))
        #expect(huge.parseError && huge.questions.isEmpty)
        #expect(Self.parse([0, 1, 2]) == nil)
    }

    /// Parses one answer of `type` with `rdata` and returns its data.
    static func data(type: Int, _ rdata: [UInt8]) -> DNSRecordData? {
        let m =
            Self.header(an: 1) + Self.wire("x.test") + Self.u16(type) + Self.u16(1)
            + Self.rr([0xC0, 12], type: type, rdata: rdata)
        return parse(m)?.answers.first?.data
    }

    @Test("typed RDATA and its presentation form (as dig prints it, without final dots)")
    func recordData() throws {
        func text(_ type: Int, _ rdata: [UInt8]) -> String? { Self.data(type: type, rdata)?.presentation }
        #expect(text(1, [192, 0, 2, 1]) == "192.0.2.1")
        #expect(text(28, IPAddress("2001:db8::1")!.bytes) == "2001:db8::1")
        #expect(text(5, Self.wire("target.example")) == "target.example")
        #expect(text(12, Self.wire("host.example")) == "host.example")
        #expect(text(15, Self.u16(10) + Self.wire("mail.example")) == "10 mail.example")
        #expect(text(15, Self.u16(0) + [0]) == "0 .")
        #expect(text(16, [3] + Array("one".utf8) + [3] + Array("two".utf8)) == "onetwo")
        #expect(
            Self.data(type: 16, [3] + Array("one".utf8) + [3] + Array("two".utf8))
                == .text([Array("one".utf8), Array("two".utf8)]))
        #expect(
            text(
                6,
                Self.wire("ns1.example") + Self.wire("hostmaster.example") + Self.u32(2024010101) + Self.u32(3600)
                    + Self.u32(900) + Self.u32(604800) + Self.u32(300))
                == "ns1.example hostmaster.example 2024010101 3600 900 604800 300")
        #expect(
            text(33, Self.u16(10) + Self.u16(5) + Self.u16(5060) + Self.wire("sip.example")) == "10 5 5060 sip.example")
        #expect(text(257, [0, 5] + Array("issue".utf8) + Array("ca.example".utf8)) == "0 issue \"ca.example\"")
        #expect(text(43, Self.u16(12345) + [13, 2] + [0xAB, 0xCD]) == "12345 13 2 ABCD")
        #expect(text(48, Self.u16(257) + [3, 13] + [1, 2, 3, 4]) == "257 3 13 AQIDBA==")
        #expect(text(52, [3, 1, 1, 0xDE, 0xAD]) == "3 1 1 DEAD")
        #expect(
            text(
                46,
                Self.u16(1) + [13, 2] + Self.u32(300) + Self.u32(1_767_225_600) + Self.u32(1_764_547_200)
                    + Self.u16(777)
                    + Self.wire("example") + [9, 9, 9]) == "A 13 2 300 20260101000000 20251201000000 777 example CQkJ")
        #expect(
            text(
                65,
                Self.u16(1) + [0] + Self.u16(1) + Self.u16(6) + [2] + Array("h2".utf8) + [2] + Array("h3".utf8)
                    + Self.u16(3) + Self.u16(2) + Self.u16(8443) + Self.u16(4) + Self.u16(4) + [192, 0, 2, 1])
                == "1 . alpn=\"h2,h3\" port=8443 ipv4hint=192.0.2.1")
        // Malformed for the type: not decoded (the record keeps its raw bytes).
        #expect(Self.data(type: 1, [1, 2, 3]) == nil)
        #expect(Self.data(type: 28, [1, 2, 3, 4]) == nil)
        #expect(Self.data(type: 16, [5, 1, 2]) == nil)
        #expect(Self.data(type: 15, [0, 10]) == nil)
        #expect(Self.data(type: 5, Self.wire("a.b") + [7]) == nil)
        #expect(Self.data(type: 99, [1, 2, 3]) == nil)
    }

    @Test("type mnemonics, TYPE<n> for the rest; RRSIG times; UTF-8 one replacement per bad byte")
    func text() {
        #expect(DNSType(28).description == "AAAA" && DNSType(65479).description == "HTTPSSVC")
        #expect(DNSType(41).description == "OPT" && DNSType(65000).description == "TYPE65000")
        #expect(
            DNSType(mnemonic: "aaaa") == .aaaa && DNSType(mnemonic: "TYPE99") == DNSType(99)
                && DNSType(mnemonic: "nope") == nil)
        #expect(DNSText.timestamp(0) == "19700101000000" && DNSText.timestamp(951_782_400) == "20000229000000")
        #expect(DNSText.timestamp(UInt32.max) == "21060207062815")
        #expect(DNSText.utf8([0xE2, 0x82, 0x41]) == "\u{FFFD}\u{FFFD}A")
        #expect(DNSText.utf8(Array("héllo".utf8)) == "héllo")
        #expect(
            DNSText.base64([]) == "" && DNSText.base64([0xFF]) == "/w=="
                && DNSText.base64(Array("foobar".utf8)) == "Zm9vYmFy")
    }

    @Test("queries: header, question, EDNS0")
    func query() throws {
        let q = DNSQuery.message(
            name: try DNSName.encode("example.com"), type: .txt, qclass: 3, recursionDesired: false,
            opt: DNSQuery.OPTRecord(udpPayloadSize: 4096, dnssecOK: true))
        #expect(
            q == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1] + Self.wire("example.com") + [0, 16, 0, 3]
                + [0, 0, 41, 0x10, 0, 0, 0, 0x80, 0, 0, 0])
        let p = try #require(Self.parse(q))
        #expect(p.questions == [DNSQuestion(name: "example.com", type: .txt, qclass: 3)] && !p.header.rd)
        #expect(p.additionals.first?.ttl == 0x8000 && !p.parseError)
    }
}
