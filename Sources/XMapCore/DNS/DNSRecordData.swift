/// The decoded RDATA of a resource record, for the types a scan meets. Names are in
/// presentation form without the final dot (`""` is the root).
public enum DNSRecordData: Sendable, Equatable {
    case address(IPAddress)  // A, AAAA
    case name(String)  // NS, CNAME, PTR, DNAME
    case mailExchange(preference: UInt16, exchange: String)
    case text([[UInt8]])  // TXT: every character-string
    case startOfAuthority(DNSStartOfAuthority)
    case service(priority: UInt16, weight: UInt16, port: UInt16, target: String)  // SRV
    case certificationAuthority(flags: UInt8, tag: [UInt8], value: [UInt8])  // CAA
    case delegationSigner(keyTag: UInt16, algorithm: UInt8, digestType: UInt8, digest: [UInt8])  // DS
    case key(flags: UInt16, protocol: UInt8, algorithm: UInt8, publicKey: [UInt8])  // DNSKEY
    case signature(DNSSignature)  // RRSIG
    case tlsAssociation(usage: UInt8, selector: UInt8, matchingType: UInt8, data: [UInt8])  // TLSA
    case serviceBinding(priority: UInt16, target: String, parameters: [DNSServiceParameter])  // SVCB, HTTPS
    case options(DNSOptions)  // OPT

    /// Decodes the RDATA in `range` of `message` for `type`; nil for a type not decoded here or
    /// RDATA that is malformed for its type. Names may use compression pointers into `message`.
    public init?(type: DNSType, message m: UnsafeRawBufferPointer, range: Range<Int>) {
        var r = RDataReader(message: m, position: range.lowerBound, end: range.upperBound)
        switch type {
        case .a, .aaaa:
            let family: IPFamily = type == .a ? .v4 : .v6
            guard range.count == family.bytes else { return nil }
            self = .address(IPAddress(family: family, bytes: UnsafeRawBufferPointer(rebasing: m[range])))
            return
        case .ns, .cname, .ptr, .dname:
            guard let n = r.name() else { return nil }
            self = .name(n)
        case .mx:
            guard let p = r.u16(), let n = r.name() else { return nil }
            self = .mailExchange(preference: p, exchange: n)
        case .txt:
            var strings: [[UInt8]] = []
            while !r.atEnd {
                guard let s = r.characterString() else { return nil }
                strings.append(s)
            }
            guard !strings.isEmpty else { return nil }
            self = .text(strings)
        case .soa:
            guard let mname = r.name(), let rname = r.name(), let serial = r.u32(), let refresh = r.u32(),
                let retry = r.u32(), let expire = r.u32(), let minimum = r.u32()
            else { return nil }
            self = .startOfAuthority(
                DNSStartOfAuthority(
                    mname: mname, rname: rname, serial: serial, refresh: refresh,
                    retry: retry, expire: expire, minimum: minimum))
        case .srv:
            guard let p = r.u16(), let w = r.u16(), let port = r.u16(), let t = r.name() else { return nil }
            self = .service(priority: p, weight: w, port: port, target: t)
        case .caa:
            guard let flags = r.u8(), let tag = r.characterString(), !tag.isEmpty else { return nil }
            self = .certificationAuthority(flags: flags, tag: tag, value: r.rest())
        case .ds:
            guard let k = r.u16(), let a = r.u8(), let d = r.u8() else { return nil }
            self = .delegationSigner(keyTag: k, algorithm: a, digestType: d, digest: r.rest())
        case .dnskey:
            guard let f = r.u16(), let p = r.u8(), let a = r.u8() else { return nil }
            self = .key(flags: f, protocol: p, algorithm: a, publicKey: r.rest())
        case .rrsig, .sig:
            guard let covered = r.u16(), let a = r.u8(), let labels = r.u8(), let ttl = r.u32(), let exp = r.u32(),
                let inc = r.u32(), let tag = r.u16(), let signer = r.name()
            else { return nil }
            self = .signature(
                DNSSignature(
                    typeCovered: DNSType(covered), algorithm: a, labels: labels, originalTTL: ttl,
                    expiration: exp, inception: inc, keyTag: tag, signer: signer,
                    signature: r.rest()))
        case .tlsa:
            guard let u = r.u8(), let s = r.u8(), let t = r.u8() else { return nil }
            self = .tlsAssociation(usage: u, selector: s, matchingType: t, data: r.rest())
        case .svcb, .https:
            guard let p = r.u16(), let t = r.name() else { return nil }
            var parameters: [DNSServiceParameter] = []
            while !r.atEnd {
                guard let key = r.u16(), let length = r.u16(), let value = r.bytes(Int(length)) else { return nil }
                parameters.append(DNSServiceParameter(key: key, value: value))
            }
            self = .serviceBinding(priority: p, target: t, parameters: parameters)
        case .opt:
            var options: [DNSOptions.Option] = []
            while !r.atEnd {
                guard let code = r.u16(), let length = r.u16(), let value = r.bytes(Int(length)) else { return nil }
                options.append(DNSOptions.Option(code: code, data: value))
            }
            self = .options(DNSOptions(options: options))
        default:
            return nil
        }
        guard r.atEnd else { return nil }  // trailing bytes: malformed for the type
    }
}

public struct DNSStartOfAuthority: Sendable, Equatable {
    public var mname, rname: String
    public var serial, refresh, retry, expire, minimum: UInt32
}

public struct DNSSignature: Sendable, Equatable {
    public var typeCovered: DNSType
    public var algorithm, labels: UInt8
    public var originalTTL, expiration, inception: UInt32
    public var keyTag: UInt16
    public var signer: String
    public var signature: [UInt8]
}

/// One SvcParam of an SVCB or HTTPS record (RFC 9460).
public struct DNSServiceParameter: Sendable, Equatable {
    public var key: UInt16
    public var value: [UInt8]
}

/// The options of an OPT pseudo-record (RFC 6891).
public struct DNSOptions: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public var code: UInt16
        public var data: [UInt8]
    }
    public var options: [Option]
}

/// Bounds-checked reads inside one record's RDATA; names may point anywhere before them in
/// the message, but their own bytes must lie inside the RDATA.
struct RDataReader {
    let message: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    var atEnd: Bool { position == end }

    mutating func u8() -> UInt8? {
        guard position < end else { return nil }
        defer { position += 1 }
        return message[position]
    }

    mutating func u16() -> UInt16? {
        guard position + 2 <= end else { return nil }
        defer { position += 2 }
        return UInt16(message[position]) << 8 | UInt16(message[position + 1])
    }

    mutating func u32() -> UInt32? {
        guard let hi = u16(), let lo = u16() else { return nil }
        return UInt32(hi) << 16 | UInt32(lo)
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, position + count <= end else { return nil }
        defer { position += count }
        return Array(message[position..<(position + count)])
    }

    /// A `<length><bytes>` character-string.
    mutating func characterString() -> [UInt8]? {
        guard let n = u8() else { return nil }
        return bytes(Int(n))
    }

    mutating func rest() -> [UInt8] { bytes(end - position) ?? [] }

    mutating func name() -> String? {
        guard let n = DNSName.read(message, at: position), n.end <= end else { return nil }
        position = n.end
        return n.text
    }
}
