/// The layout of every result of a scan, declared in one place: the IP fields, then the probe
/// module's fields, then the system fields (XMap's order). The engine, the filter and the output
/// modules all find fields through it; the slots the engine itself reads or writes are resolved
/// once, here.
public struct RecordSchema: Sendable, Equatable {
    public let family: IPFamily
    /// Every field in record order.
    public let fields: [FieldDefinition]
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
        self.init(family: family, moduleFields: F.definitions(for: family), success: F.success.rawValue,
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
    }

    /// The slot of the field called `name`, if the record has one.
    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }

    /// The slot of a system field.
    @inlinable public func slot(_ field: SystemField) -> Int { systemStart + field.rawValue }
}

/// The IP fields that open every record.
public enum IPField {
    /// `saddr`, `daddr`, `ipid` and `ttl` for IPv4; `saddr`, `daddr` and `hlim` for IPv6.
    public static func definitions(_ family: IPFamily) -> [FieldDefinition] {
        family == .v4
            ? [FieldDefinition("saddr", .string, "source IP address of response"),
               FieldDefinition("daddr", .string, "destination IP address of response"),
               FieldDefinition("ipid", .int, "IP identification number of response"),
               FieldDefinition("ttl", .int, "time-to-live of response packet")]
            : [FieldDefinition("saddr", .string, "source IPv6 address of response"),
               FieldDefinition("daddr", .string, "destination IPv6 address of response"),
               FieldDefinition("hlim", .int, "hop limit of response packet")]
    }
}

/// The fields the engine adds after the module's, in record order.
public enum SystemField: Int, CaseIterable, Sendable {
    case `repeat`, cooldown, timestampString, timestampSeconds, timestampMicros

    public var definition: FieldDefinition {
        switch self {
        case .repeat: FieldDefinition("repeat", .bool, "Is response a repeat response from host")
        case .cooldown: FieldDefinition("cooldown", .bool, "Was response received during the cooldown period")
        case .timestampString: FieldDefinition("timestamp_str", .string, "timestamp of when response arrived in ISO8601 format.")
        case .timestampSeconds: FieldDefinition("timestamp_ts", .int, "timestamp of when response arrived in seconds since Epoch")
        case .timestampMicros: FieldDefinition("timestamp_us", .int, "microsecond part of timestamp (e.g. microseconds since 'timestamp-ts')")
        }
    }

    public static let definitions = allCases.map(\.definition)
}
