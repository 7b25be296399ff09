/// The 12-byte DNS message header (RFC 1035 §4.1.1, RFC 2535 for AD and CD).
public struct DNSHeader: Sendable, Equatable {
    public static let length = 12

    public var id: UInt16
    public var qr, aa, tc, rd, ra, z, ad, cd: Bool
    public var opcode: UInt8
    public var rcode: UInt8
    public var questionCount, answerCount, authorityCount, additionalCount: UInt16

    /// Reads the header at the start of `message`; nil when it is shorter than 12 bytes.
    public init?(_ message: UnsafeRawBufferPointer) {
        guard message.count >= Self.length else { return nil }
        func u16(_ o: Int) -> UInt16 { UInt16(message[o]) << 8 | UInt16(message[o + 1]) }
        id = u16(0)
        let b2 = message[2], b3 = message[3]
        qr = b2 & 0x80 != 0
        opcode = (b2 >> 3) & 0x0F
        aa = b2 & 0x04 != 0
        tc = b2 & 0x02 != 0
        rd = b2 & 0x01 != 0
        ra = b3 & 0x80 != 0
        z = b3 & 0x40 != 0
        ad = b3 & 0x20 != 0
        cd = b3 & 0x10 != 0
        rcode = b3 & 0x0F
        questionCount = u16(4)
        answerCount = u16(6)
        authorityCount = u16(8)
        additionalCount = u16(10)
    }
}

/// RCODE values a scanner looks at.
public enum DNSResponseCode {
    public static let noError: UInt8 = 0
    public static let nameError: UInt8 = 3
}

/// One entry of the question section.
public struct DNSQuestion: Sendable, Equatable {
    public var name: String
    public var type: DNSType
    public var qclass: UInt16

    public init(name: String, type: DNSType, qclass: UInt16) {
        self.name = name
        self.type = type
        self.qclass = qclass
    }
}

/// One resource record. `data` is the decoded RDATA, or nil when it is malformed for its type.
public struct DNSResourceRecord: Sendable, Equatable {
    public var name: String
    public var type: DNSType
    /// CLASS (for OPT: the requestor's UDP payload size).
    public var rrclass: UInt16
    /// TTL (for OPT: extended RCODE, version and flags).
    public var ttl: UInt32
    /// The RDATA bytes as received.
    public var rdata: [UInt8]
    public var data: DNSRecordData?
}

/// A DNS message parsed as far as it is well-formed. Parsing stops at the first record that
/// runs past the message or is malformed; the sections after it stay empty.
public struct DNSMessage: Sendable, Equatable {
    public var header: DNSHeader
    public var questions: [DNSQuestion] = []
    public var answers: [DNSResourceRecord] = []
    public var authorities: [DNSResourceRecord] = []
    public var additionals: [DNSResourceRecord] = []
    /// True when a record could not be read (the counts promise more than the message holds,
    /// a name is malformed, …) or bytes are left over after the last record.
    public var parseError = false
    /// Bytes not consumed: after the last record, or from the record that could not be read.
    public var unconsumedBytes = 0

    /// Parses `message` (starting at the DNS header). Nil when it is shorter than a header.
    public init?(_ message: UnsafeRawBufferPointer) {
        guard let header = DNSHeader(message) else { return nil }
        self.header = header
        var offset = DNSHeader.length
        var failed = false
        for _ in 0..<header.questionCount {
            guard let name = DNSName.read(message, at: offset), name.end + 4 <= message.count else {
                failed = true; break
            }
            let type = UInt16(message[name.end]) << 8 | UInt16(message[name.end + 1])
            let qclass = UInt16(message[name.end + 2]) << 8 | UInt16(message[name.end + 3])
            questions.append(DNSQuestion(name: name.text, type: DNSType(type), qclass: qclass))
            offset = name.end + 4
        }
        func section(_ count: UInt16, into list: inout [DNSResourceRecord]) {
            guard !failed else { return }
            for _ in 0..<count {
                guard let (record, next) = Self.record(message, at: offset) else { failed = true; return }
                list.append(record)
                offset = next
            }
        }
        section(header.answerCount, into: &answers)
        section(header.authorityCount, into: &authorities)
        section(header.additionalCount, into: &additionals)
        unconsumedBytes = message.count - offset
        parseError = failed || unconsumedBytes != 0
    }

    /// The record at `offset` and where the next one starts.
    static func record(_ message: UnsafeRawBufferPointer, at offset: Int) -> (DNSResourceRecord, Int)? {
        guard let name = DNSName.read(message, at: offset), name.end + 10 <= message.count else { return nil }
        let o = name.end
        func u16(_ i: Int) -> UInt16 { UInt16(message[i]) << 8 | UInt16(message[i + 1]) }
        let type = DNSType(u16(o))
        let rrclass = u16(o + 2)
        let ttl = UInt32(u16(o + 4)) << 16 | UInt32(u16(o + 6))
        let length = Int(u16(o + 8))
        let start = o + 10
        guard start + length <= message.count else { return nil }
        let data = DNSRecordData(type: type, message: message, range: start..<(start + length))
        let record = DNSResourceRecord(
            name: name.text, type: type, rrclass: rrclass, ttl: ttl,
            rdata: Array(message[start..<(start + length)]), data: data)
        return (record, start + length)
    }
}
