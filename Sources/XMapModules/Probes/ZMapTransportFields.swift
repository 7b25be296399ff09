import XMapCore

/// ZMap's ICMP fields (`icmp_responder`, `icmp_type`, `icmp_code`, `icmp_unreach_str`), which
/// every ZMap module that accepts ICMP errors reports.
public enum ZMapICMPFields {
    /// ZMap's `icmp_unreach_strings` for ICMP (IPv4) codes 0...15, looked up for any type, as
    /// ZMap does ("unknown" above 15). IPv6 uses XMap's ICMPv6 code names.
    static let unreachStrings = [
        "network unreachable", "host unreachable", "protocol unreachable", "port unreachable", "fragments required",
        "source route failed", "network unknown", "host unknown", "source host isolated", "network admin. prohibited",
        "host admin. prohibited", "network unreachable TOS", "host unreachable TOS", "communication admin. prohibited",
        "host presdence violation", "precedence cutoff"
    ]

    /// The `icmp_unreach_str` of an error.
    public static func unreachString(type: UInt8, code: UInt8, family: IPFamily) -> String {
        if family == .v6 { return ICMPStrings.codeName(type: type, code: code, family: .v6) }
        return Int(code) < unreachStrings.count ? unreachStrings[Int(code)] : "unknown"
    }

    /// Sets the four fields of `r` for an ICMP error from `responder`.
    public static func fill<F: ZMapTransportFields>(
        _ r: inout Record, _ fields: F.Type, responder: UInt128,
        type: UInt8, code: UInt8, family: IPFamily
    ) {
        r[F.icmpResponder] = .address(IPAddress(family: family, value: responder))
        r[F.icmpType] = .int(UInt64(type))
        r[F.icmpCode] = .int(UInt64(code))
        r[F.icmpUnreachString] = .string(unreachString(type: type, code: code, family: family))
    }

    /// The four definitions, in ZMap's order.
    public static let definitions = [
        FieldDefinition("icmp_responder", .string, "Source IP of ICMP_UNREACH messages"),
        FieldDefinition("icmp_type", .int, "icmp message type"),
        FieldDefinition("icmp_code", .int, "icmp message sub type code"),
        FieldDefinition(
            "icmp_unreach_str", .string,
            "for icmp_unreach responses, the string version of icmp_code (e.g. network-unreach)")
    ]
}

/// The fields of a ZMap module that answers over a transport with ports and accepts ICMP errors
/// (`tcp_synack`, `ntp`, `upnp`, `bacnet`, `ipip`): each module's field enum has these cases,
/// wherever its own order puts them, so shared code sets them by name and `sharedDefinition`
/// describes them.
public protocol ZMapTransportFields: ModuleFields {
    static var classification: Self { get }
    static var sport: Self { get }
    static var dport: Self { get }
    static var icmpResponder: Self { get }
    static var icmpType: Self { get }
    static var icmpCode: Self { get }
    static var icmpUnreachString: Self { get }
    /// The transport the ports belong to, as the field descriptions name it ("UDP" unless a
    /// module says otherwise).
    static var portProtocol: String { get }
}

extension ZMapTransportFields {
    public static var portProtocol: String { "UDP" }

    /// The definition of one of the shared cases (classification, success, sport, dport and
    /// the four ICMP fields), as ZMap names and describes them. A module's `definition` lists
    /// those cases together and answers with this.
    public var sharedDefinition: FieldDefinition {
        let r = rawValue
        if r == Self.classification.rawValue {
            return FieldDefinition("classification", .string, "packet classification")
        }
        if r == Self.success.rawValue { return FieldDefinition("success", .bool, "is response considered success") }
        if r == Self.sport.rawValue { return FieldDefinition("sport", .int, "\(Self.portProtocol) source port") }
        if r == Self.dport.rawValue { return FieldDefinition("dport", .int, "\(Self.portProtocol) destination port") }
        let icmp = [Self.icmpResponder, .icmpType, .icmpCode, .icmpUnreachString].firstIndex { $0.rawValue == r }
        guard let icmp else { preconditionFailure("\(self) is not one of the shared ZMap transport fields") }
        return ZMapICMPFields.definitions[icmp]
    }
}
