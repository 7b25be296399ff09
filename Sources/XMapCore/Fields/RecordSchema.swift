/// The layout of every result of a scan, declared in one place: the IP fields, then the probe
/// module's fields, then the system fields (XMap's order). The engine, the filter and the output
/// modules all find fields through it; the slots the engine itself reads or writes are resolved
/// once, here.
public struct RecordSchema: Sendable, Equatable {
    public let family: IPFamily
    /// Every field in record order: what `-f '*'` and `--list-output-fields` show.
    public let fields: [FieldDefinition]
    /// Fields a record also holds but `*` does not select: ZMap's `saddr_raw` and `daddr_raw`,
    /// in the slots after `fields`.
    public let unlistedFields: [FieldDefinition]
    /// The number of slots of a record (`fields` and `unlistedFields`).
    public var slotCount: Int { fields.count + unlistedFields.count }
    /// The slot of the module's first field.
    public let moduleStart: Int
    /// The slot of `success`.
    public let success: Int
    /// The slot of `app_success`, for modules that have it.
    public let appSuccess: Int?
    /// The slot of the first system field (`repeat`).
    public let systemStart: Int

    /// The schema for a module whose fields are `F`.
    public init<F: ModuleFields>(family: IPFamily, moduleFields: F.Type) {
        self.init(
            family: family, moduleFields: F.definitions(for: family), success: F.success.rawValue,
            appSuccess: F.appSuccess?.rawValue)
    }

    /// The schema for module fields given as definitions, with the positions of `success` and
    /// `app_success` among them.
    public init(family: IPFamily, moduleFields: [FieldDefinition], success: Int, appSuccess: Int?) {
        let ip = IPField.definitions(family)
        self.family = family
        moduleStart = ip.count
        self.success = ip.count + success
        self.appSuccess = appSuccess.map { ip.count + $0 }
        systemStart = ip.count + moduleFields.count
        fields = ip + moduleFields + SystemField.definitions
        unlistedFields = IPField.rawDefinitions(family)
    }

    /// The slot of the field called `name`, if the record has one. ZMap's names for XMap's
    /// fields (and the reverse) find the same slot: `classification` is `clas`,
    /// `icmp_unreach_str` is `icmp_str`, and so on (`FieldAlias`).
    public func index(of name: String) -> Int? {
        if let i = exactIndex(of: name) { return i }
        for other in FieldAlias.names(for: name, family: family) {
            if let i = exactIndex(of: other) { return i }
        }
        return nil
    }

    func exactIndex(of name: String) -> Int? {
        if let i = fields.firstIndex(where: { $0.name == name }) { return i }
        return unlistedFields.firstIndex { $0.name == name }.map { fields.count + $0 }
    }

    /// The definition of the field in `slot`.
    public func definition(at slot: Int) -> FieldDefinition {
        slot < fields.count ? fields[slot] : unlistedFields[slot - fields.count]
    }

    /// The slots of `saddr_raw` and `daddr_raw`.
    public var rawAddressSlots: (source: Int, destination: Int) { (fields.count, fields.count + 1) }

    /// The slot of a system field.
    @inlinable public func slot(_ field: SystemField) -> Int { systemStart + field.rawValue }
}

/// The IP fields that open every record.
public enum IPField {
    /// `saddr`, `daddr`, `ipid` and `ttl` for IPv4; `saddr`, `daddr` and `hlim` for IPv6.
    public static func definitions(_ family: IPFamily) -> [FieldDefinition] {
        family == .v4
            ? [
                FieldDefinition("saddr", .string, "source IP address of response"),
                FieldDefinition("daddr", .string, "destination IP address of response"),
                FieldDefinition("ipid", .int, "IP identification number of response"),
                FieldDefinition("ttl", .int, "time-to-live of response packet")
            ]
            : [
                FieldDefinition("saddr", .string, "source IPv6 address of response"),
                FieldDefinition("daddr", .string, "destination IPv6 address of response"),
                FieldDefinition("hlim", .int, "hop limit of response packet")
            ]
    }
}

extension IPField {
    /// ZMap's `saddr_raw` and `daddr_raw`: over IPv4 the address's four bytes in network order
    /// read as a little-endian integer (ZMap's value on x86), over IPv6 the 16 bytes.
    public static func rawDefinitions(_ family: IPFamily) -> [FieldDefinition] {
        family == .v4
            ? [
                FieldDefinition("saddr_raw", .int, "network order integer form of source IP address"),
                FieldDefinition("daddr_raw", .int, "network order integer form of destination IP address")
            ]
            : [
                FieldDefinition("saddr_raw", .binary, "source IPv6 address of response (16 bytes)"),
                FieldDefinition("daddr_raw", .binary, "destination IPv6 address of response (16 bytes)")
            ]
    }
}

/// Other names of fields: ZMap's names for XMap's fields and the reverse, so field lists and
/// filters written for either scanner work. The output uses the name the user wrote.
public enum FieldAlias {
    static let pairs: [(String, String)] = [
        ("classification", "clas"), ("icmp_unreach_str", "icmp_str"), ("icmp_responder", "outersaddr")
    ]

    /// The names `name` may stand for in a scan of `family`, in order of preference.
    public static func names(for name: String, family: IPFamily) -> [String] {
        var out: [String] = []
        for (a, b) in pairs {
            if name == a { out.append(b) }
            if name == b { out.append(a) }
        }
        if family == .v6 && name == "ttl" { out.append("hlim") }
        if family == .v4 && name == "hlim" { out.append("ttl") }
        return out
    }
}

/// The fields the engine adds after the module's, in record order.
public enum SystemField: Int, CaseIterable, Sendable {
    case `repeat`, cooldown, timestampString, timestampSeconds, timestampMicros

    public var definition: FieldDefinition {
        switch self {
        case .repeat: FieldDefinition("repeat", .bool, "Is response a repeat response from host")
        case .cooldown: FieldDefinition("cooldown", .bool, "Was response received during the cooldown period")
        case .timestampString:
            FieldDefinition("timestamp_str", .string, "timestamp of when response arrived in ISO8601 format.")
        case .timestampSeconds:
            FieldDefinition("timestamp_ts", .int, "timestamp of when response arrived in seconds since Epoch")
        case .timestampMicros:
            FieldDefinition(
                "timestamp_us", .int, "microsecond part of timestamp (e.g. microseconds since 'timestamp-ts')")
        }
    }

    public static let definitions = allCases.map(\.definition)
}
