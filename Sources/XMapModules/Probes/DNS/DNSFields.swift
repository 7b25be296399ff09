import XMapCore

/// The fields of every DNS module, in XMap's definition order and with its descriptions.
public enum DNSField: Int, ModuleFields {
    case clas, success, applicationSuccess, sport, dport, udpPacketSize
    case icmpResponder, icmpType, icmpCode, icmpString
    case id, rd, tc, aa, opcode, qr, rcode, cd, ad, z, ra
    case questionCount, answerCount, authorityCount, additionalCount
    case questions, answers, authorities, additionals
    case parseError, unconsumedBytes, rawData

    public static var appSuccess: DNSField? { .applicationSuccess }

    public var definition: FieldDefinition { definition(for: .v4) }

    public func definition(for family: IPFamily) -> FieldDefinition {
        switch self {
        case .clas: FieldDefinition("clas", .string, "packet protocol")
        case .success: FieldDefinition("success", .bool, "Are the validation bits and question correct")
        case .applicationSuccess: FieldDefinition("app_success", .bool, "Is the RA bit set with no error code?")
        case .sport: FieldDefinition("sport", .int, "UDP source port")
        case .dport: FieldDefinition("dport", .int, "UDP destination port")
        case .udpPacketSize: FieldDefinition("udp_pkt_size", .int, "UDP packet length")
        case .icmpResponder:
            FieldDefinition(
                "icmp_responder", .string,
                family == .v4
                    ? "Source IP of ICMP_UNREACH message"
                    : "Source IPv6 address of ICMPv6 message")
        case .icmpType: FieldDefinition("icmp_type", .int, family == .v4 ? "icmp message type" : "ICMPv6 message type")
        case .icmpCode:
            FieldDefinition("icmp_code", .int, family == .v4 ? "icmp message sub type code" : "ICMPv6 message code")
        case .icmpString:
            FieldDefinition(
                "icmp_str", .string,
                family == .v4
                    ? "for icmp_unreach responses, the string version of icmp_code (e.g. network-unreach)"
                    : "ICMPv6 message detail(code str):\n\t\t\tuse `--probe-args=icmp-type-code-str' to list")
        case .id: FieldDefinition("dns_id", .int, "DNS transaction ID")
        case .rd: FieldDefinition("dns_rd", .int, "DNS recursion desired")
        case .tc: FieldDefinition("dns_tc", .int, "DNS packet truncated")
        case .aa: FieldDefinition("dns_aa", .int, "DNS authoritative answer")
        case .opcode: FieldDefinition("dns_opcode", .int, "DNS opcode (query type)")
        case .qr: FieldDefinition("dns_qr", .int, "DNS query(0) or response (1)")
        case .rcode: FieldDefinition("dns_rcode", .int, "DNS response code")
        case .cd: FieldDefinition("dns_cd", .int, "DNS checking disabled")
        case .ad: FieldDefinition("dns_ad", .int, "DNS authenticated data")
        case .z: FieldDefinition("dns_z", .int, "DNS reserved")
        case .ra: FieldDefinition("dns_ra", .int, "DNS recursion available")
        case .questionCount: FieldDefinition("dns_qdcount", .int, "DNS number questions")
        case .answerCount: FieldDefinition("dns_ancount", .int, "DNS number answer RR's")
        case .authorityCount: FieldDefinition("dns_nscount", .int, "DNS number NS RR's in authority section")
        case .additionalCount: FieldDefinition("dns_arcount", .int, "DNS number additional RR's")
        case .questions: FieldDefinition("dns_questions", .repeated, "DNS question list")
        case .answers: FieldDefinition("dns_answers", .repeated, "DNS answer list")
        case .authorities: FieldDefinition("dns_authorities", .repeated, "DNS authority list")
        case .additionals: FieldDefinition("dns_additionals", .repeated, "DNS additional list")
        case .parseError: FieldDefinition("dns_parse_err", .int, "Problem parsing the DNS response")
        case .unconsumedBytes:
            FieldDefinition("dns_unconsumed_bytes", .int, "Bytes left over when parsing the DNS response")
        case .rawData: FieldDefinition("raw_data", .binary, "UDP payload")
        }
    }
}

/// A parsed DNS message as result values: header fields, the four sections as lists of
/// objects (XMap's keys, plus `rdata_fields` with the typed RDATA), the parse state.
public enum DNSResultFields {
    /// Sets every DNS field of `record` from `message`.
    public static func set(_ message: DNSMessage, into r: inout Record) {
        let h = message.header
        func flag(_ b: Bool) -> FieldValue { .int(b ? 1 : 0) }
        r[DNSField.id] = .int(UInt64(h.id))
        r[DNSField.rd] = flag(h.rd)
        r[DNSField.tc] = flag(h.tc)
        r[DNSField.aa] = flag(h.aa)
        r[DNSField.opcode] = .int(UInt64(h.opcode))
        r[DNSField.qr] = flag(h.qr)
        r[DNSField.rcode] = .int(UInt64(h.rcode))
        r[DNSField.cd] = flag(h.cd)
        r[DNSField.ad] = flag(h.ad)
        r[DNSField.z] = flag(h.z)
        r[DNSField.ra] = flag(h.ra)
        r[DNSField.questionCount] = .int(UInt64(h.questionCount))
        r[DNSField.answerCount] = .int(UInt64(h.answerCount))
        r[DNSField.authorityCount] = .int(UInt64(h.authorityCount))
        r[DNSField.additionalCount] = .int(UInt64(h.additionalCount))
        r[DNSField.questions] = .list(message.questions.map(question))
        r[DNSField.answers] = .list(message.answers.map(record))
        r[DNSField.authorities] = .list(message.authorities.map(record))
        r[DNSField.additionals] = .list(message.additionals.map(record))
        r[DNSField.parseError] = flag(message.parseError)
        r[DNSField.unconsumedBytes] = .int(UInt64(message.unconsumedBytes))
    }

    /// The fields of a reply without a DNS message to show (ICMP errors): header fields null,
    /// empty sections, a parse error.
    public static func setAbsent(into r: inout Record) {
        for f in [
            DNSField.id, .rd, .tc, .aa, .opcode, .qr, .rcode, .cd, .ad, .z, .ra,
            .questionCount, .answerCount, .authorityCount, .additionalCount
        ] {
            r[f] = .null
        }
        for f in [DNSField.questions, .answers, .authorities, .additionals] { r[f] = .list([]) }
        r[DNSField.parseError] = .int(1)
        r[DNSField.unconsumedBytes] = .int(0)
    }

    static func question(_ q: DNSQuestion) -> FieldValue {
        .object([
            FieldMember("name", .string(q.name)), FieldMember("qtype", .int(UInt64(q.type.rawValue))),
            FieldMember("qtype_str", .string(q.type.description)), FieldMember("qclass", .int(UInt64(q.qclass)))
        ])
    }

    static func record(_ rr: DNSResourceRecord) -> FieldValue {
        var members = [
            FieldMember("name", .string(rr.name)), FieldMember("type", .int(UInt64(rr.type.rawValue))),
            FieldMember("type_str", .string(rr.type.description))
        ]
        if rr.type == .opt {
            // CLASS is the UDP payload size; TTL holds the extended RCODE, the version and the flags.
            let flags = UInt16(truncatingIfNeeded: rr.ttl)
            members += [
                FieldMember("udpsize", .int(UInt64(rr.rrclass))),
                FieldMember("ercode", .int(UInt64(rr.ttl >> 24))),
                FieldMember("eversion", .int(UInt64(rr.ttl >> 16 & 0xFF))),
                FieldMember("dodnssec", .int(UInt64(flags >> 15))),
                FieldMember("z", .int(UInt64(flags & 0x7FFF))),
                FieldMember("dlength", .int(UInt64(rr.rdata.count))), FieldMember("data", .binary(rr.rdata))
            ]
            return .object(members)
        }
        members += [
            FieldMember("class", .int(UInt64(rr.rrclass))), FieldMember("ttl", .int(UInt64(rr.ttl))),
            FieldMember("rdlength", .int(UInt64(rr.rdata.count)))
        ]
        if let data = rr.data {
            members += [
                FieldMember("rdata_is_parsed", .int(1)), FieldMember("rdata", .string(data.presentation)),
                FieldMember("rdata_fields", typed(data))
            ]
        } else {
            members += [
                FieldMember("rdata_is_parsed", .int(0)), FieldMember("rdata", .binary(rr.rdata)),
                FieldMember("rdata_fields", .null)
            ]
        }
        return .object(members)
    }

    /// The RDATA's parts as named, typed values.
    static func typed(_ data: DNSRecordData) -> FieldValue {
        func n(_ v: some BinaryInteger) -> FieldValue { .int(UInt64(v)) }
        func s(_ v: String) -> FieldValue { .string(v) }
        switch data {
        case .address(let a): return .object([FieldMember("address", .string(a.description))])
        case .name(let name): return .object([FieldMember("target", s(name))])
        case .mailExchange(let p, let x):
            return .object([FieldMember("preference", n(p)), FieldMember("exchange", s(x))])
        case .text(let strings):
            return .object([FieldMember("strings", .list(strings.map { .string(DNSText.utf8($0)) }))])
        case .startOfAuthority(let soa):
            return .object([
                FieldMember("mname", s(soa.mname)), FieldMember("rname", s(soa.rname)),
                FieldMember("serial", n(soa.serial)), FieldMember("refresh", n(soa.refresh)),
                FieldMember("retry", n(soa.retry)), FieldMember("expire", n(soa.expire)),
                FieldMember("minimum", n(soa.minimum))
            ])
        case .service(let p, let w, let port, let t):
            return .object([
                FieldMember("priority", n(p)), FieldMember("weight", n(w)), FieldMember("port", n(port)),
                FieldMember("target", s(t))
            ])
        case .certificationAuthority(let flags, let tag, let value):
            return .object([
                FieldMember("flags", n(flags)), FieldMember("tag", s(DNSText.utf8(tag))),
                FieldMember("value", s(DNSText.utf8(value)))
            ])
        case .delegationSigner(let k, let a, let d, let digest):
            return .object([
                FieldMember("key_tag", n(k)), FieldMember("algorithm", n(a)),
                FieldMember("digest_type", n(d)),
                FieldMember("digest", s(DNSText.hex(digest, uppercase: false)))
            ])
        case .key(let f, let p, let a, let key):
            return .object([
                FieldMember("flags", n(f)), FieldMember("protocol", n(p)), FieldMember("algorithm", n(a)),
                FieldMember("public_key", s(DNSText.base64(key)))
            ])
        case .signature(let sig):
            return .object([
                FieldMember("type_covered", s(sig.typeCovered.description)),
                FieldMember("algorithm", n(sig.algorithm)), FieldMember("labels", n(sig.labels)),
                FieldMember("original_ttl", n(sig.originalTTL)),
                FieldMember("expiration", n(sig.expiration)),
                FieldMember("inception", n(sig.inception)), FieldMember("key_tag", n(sig.keyTag)),
                FieldMember("signer", s(sig.signer)),
                FieldMember("signature", s(DNSText.base64(sig.signature)))
            ])
        case .tlsAssociation(let u, let sel, let t, let d):
            return .object([
                FieldMember("usage", n(u)), FieldMember("selector", n(sel)),
                FieldMember("matching_type", n(t)),
                FieldMember("data", s(DNSText.hex(d, uppercase: false)))
            ])
        case .serviceBinding(let p, let t, let parameters):
            let params: [FieldValue] = parameters.map { p in
                .object([
                    FieldMember("key", s(p.keyName)),
                    FieldMember("value", p.valueText.map { .string($0) } ?? .binary(p.value))
                ])
            }
            return .object([
                FieldMember("priority", n(p)), FieldMember("target", s(t)),
                FieldMember("params", .list(params))
            ])
        case .options(let o):
            return .object([
                FieldMember(
                    "options",
                    .list(
                        o.options.map {
                            .object([FieldMember("code", n($0.code)), FieldMember("data", .binary($0.data))])
                        }))
            ])
        }
    }
}
