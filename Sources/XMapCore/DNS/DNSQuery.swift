/// Builds DNS query messages: one question, optionally an EDNS0 OPT record.
public enum DNSQuery {
    /// The EDNS0 OPT pseudo-record a query carries (RFC 6891).
    public struct OPTRecord: Sendable, Equatable {
        /// The requestor's UDP payload size.
        public var udpPayloadSize: UInt16
        /// The DO bit (DNSSEC OK, RFC 3225).
        public var dnssecOK: Bool

        public init(udpPayloadSize: UInt16, dnssecOK: Bool = false) {
            self.udpPayloadSize = udpPayloadSize
            self.dnssecOK = dnssecOK
        }

        /// Its 11 bytes: root name, TYPE 41, CLASS = payload size, TTL = extended RCODE 0,
        /// version 0 and the flags, RDLENGTH 0.
        public var bytes: [UInt8] {
            [0, 0, 41, UInt8(udpPayloadSize >> 8), UInt8(udpPayloadSize & 0xFF), 0, 0, dnssecOK ? 0x80 : 0, 0, 0, 0]
        }
    }

    /// The message for one question: ID 0 (set per packet), RD as given, QDCOUNT 1 and
    /// ARCOUNT 1 when `opt` is set. `name` is in wire form.
    public static func message(
        name: [UInt8], type: DNSType, qclass: UInt16, recursionDesired: Bool,
        opt: OPTRecord?
    ) -> [UInt8] {
        var m: [UInt8] = [0, 0, recursionDesired ? 0x01 : 0x00, 0, 0, 1, 0, 0, 0, 0, 0, opt == nil ? 0 : 1]
        m += name
        m += [UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xFF), UInt8(qclass >> 8), UInt8(qclass & 0xFF)]
        if let opt { m += opt.bytes }
        return m
    }

    /// The largest DNS message xmap sends (XMap's limit, the classic UDP size).
    public static let maximumLength = 512
}
