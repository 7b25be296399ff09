import XMapCore
import XMapModules

/// DNS messages from the network: the whole message parser (names with compression, every
/// section, typed RDATA), the presentation form and the result fields of each record.
enum DNSFuzzing {
    static let schema = RecordSchema(family: .v4, moduleFields: DNSField.self)

    static let target = FuzzTarget(
        name: "dns",
        summary: "DNS message parsing, RDATA decoding and result fields"
    ) { data in
        guard let message = DNSMessage(data) else { return }
        var record = Record(schema: schema)
        DNSResultFields.set(message, into: &record)
        for rr in message.answers + message.authorities + message.additionals { _ = rr.data?.presentation }
    } seeds: {
        seeds
    }

    static func wire(_ name: String) -> [UInt8] {
        name.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }

    /// A response with one record of each decoded type, compressed names, and an OPT record;
    /// plus a referral and an NXDOMAIN.
    static var seeds: [[UInt8]] {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func rr(_ type: Int, _ rdata: [UInt8]) -> [UInt8] {
            [0xC0, 12] + u16(type) + u16(1) + [0, 0, 1, 0x2C] + u16(rdata.count) + rdata
        }
        let question = wire("example.test") + u16(1) + u16(1)
        let records: [[UInt8]] = [
            rr(1, [192, 0, 2, 1]), rr(28, [0x20, 1, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]),
            rr(2, [2] + Array("ns".utf8) + [0xC0, 12]), rr(5, wire("alias.test")), rr(12, wire("ptr.test")),
            rr(15, [0, 10, 4] + Array("mail".utf8) + [0xC0, 12]), rr(16, [3, 97, 98, 99, 2, 100, 101]),
            rr(6, wire("ns.test") + wire("host.test") + Array(repeating: 1, count: 20)),
            rr(33, [0, 1, 0, 2, 0x13, 0xC4] + wire("sip.test")),
            rr(257, [0, 5] + Array("issue".utf8) + Array("ca.test".utf8)),
            rr(43, [0x30, 0x39, 13, 2, 0xAB, 0xCD]), rr(48, [1, 1, 3, 13, 1, 2, 3]),
            rr(
                46,
                [0, 1, 13, 2, 0, 0, 1, 0x2C, 0x69, 0, 0, 0, 0x68, 0, 0, 0, 0x30, 0x39]
                    + wire("example.test") + [9, 9]),
            rr(52, [3, 1, 1, 0xDE, 0xAD]), rr(65, [0, 1, 0, 0, 1, 0, 3, 2, 104, 50])
        ]
        let full =
            [0x12, 0x34, 0x81, 0x80] + u16(1) + u16(records.count) + u16(0) + u16(1) + question
            + records.flatMap { $0 } + [0, 0, 41, 0x10, 0, 0, 0, 0x80, 0, 0, 0]
        let referral =
            [0, 1, 0x80, 0] + u16(1) + u16(0) + u16(1) + u16(1) + question + rr(2, wire("ns.sub.test"))
            + rr(1, [192, 0, 2, 53])
        let nxdomain = [0, 2, 0x81, 0x83] + u16(1) + u16(0) + u16(0) + u16(0) + question
        return [full, referral, nxdomain]
    }
}
