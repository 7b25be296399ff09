/// A DNS resource record type (RFC 1035 TYPE / QTYPE), with its mnemonic.
public struct DNSType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    @inlinable public init(_ value: UInt16) { self.rawValue = value }

    public static let a = DNSType(1)
    public static let ns = DNSType(2)
    public static let cname = DNSType(5)
    public static let soa = DNSType(6)
    public static let ptr = DNSType(12)
    public static let mx = DNSType(15)
    public static let txt = DNSType(16)
    public static let sig = DNSType(24)
    public static let aaaa = DNSType(28)
    public static let srv = DNSType(33)
    public static let dname = DNSType(39)
    public static let opt = DNSType(41)
    public static let ds = DNSType(43)
    public static let rrsig = DNSType(46)
    public static let dnskey = DNSType(48)
    public static let tlsa = DNSType(52)
    public static let svcb = DNSType(64)
    public static let https = DNSType(65)
    public static let any = DNSType(255)
    public static let caa = DNSType(257)
    /// XMap's name for the draft HTTPS type code 65479.
    public static let httpssvc = DNSType(65479)

    /// The mnemonic (`AAAA`), or RFC 3597's `TYPE<n>` for a type without one.
    public var description: String { Self.mnemonics[rawValue] ?? "TYPE\(rawValue)" }

    /// The type a mnemonic names (case-insensitive), also `TYPE<n>`.
    public init?(mnemonic text: some StringProtocol) {
        let upper = text.uppercased()
        if let code = Self.codes[upper] { self.init(code); return }
        guard upper.hasPrefix("TYPE"), let n = UInt16(upper.dropFirst(4)) else { return nil }
        self.init(n)
    }

    /// IANA's mnemonics for the types a scanner meets (RFC 1035, 3596, 4034, 6698, 8659, 9460 …).
    static let mnemonics: [UInt16: String] = [
        1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR", 10: "NULL",
        11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT", 17: "RP", 18: "AFSDB",
        19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP-PTR", 24: "SIG", 25: "KEY", 26: "PX",
        27: "GPOS", 28: "AAAA", 29: "LOC", 30: "NXT", 31: "EID", 32: "NIMLOC", 33: "SRV", 34: "ATMA",
        35: "NAPTR", 36: "KX", 37: "CERT", 38: "A6", 39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL",
        43: "DS", 44: "SSHFP", 45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID",
        50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA", 53: "SMIMEA", 55: "HIP", 56: "NINFO", 57: "RKEY",
        58: "TALINK", 59: "CDS", 60: "CDNSKEY", 61: "OPENPGPKEY", 62: "CSYNC", 63: "ZONEMD", 64: "SVCB",
        65: "HTTPS", 99: "SPF", 104: "NID", 105: "L32", 106: "L64", 107: "LP", 108: "EUI48", 109: "EUI64",
        249: "TKEY", 250: "TSIG", 251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "ANY",
        256: "URI", 257: "CAA", 258: "AVC", 259: "DOA", 260: "AMTRELAY", 32768: "TA", 32769: "DLV",
        65479: "HTTPSSVC"
    ]

    static let codes: [String: UInt16] = Dictionary(uniqueKeysWithValues: mnemonics.map { ($1, $0) })
}
