/// The type of an output field, as `--list-output-fields` prints it.
public enum FieldType: String, Sendable {
    case string, int, bool, binary
}

/// A named output field with its type and description.
public struct FieldDefinition: Sendable, Equatable {
    public let name: String
    public let type: FieldType
    public let description: String

    public init(_ name: String, _ type: FieldType, _ description: String) {
        self.name = name
        self.type = type
        self.description = description
    }
}

/// A field value of one result.
public enum FieldValue: Sendable, Equatable {
    case null
    case int(UInt64)
    case bool(Bool)
    case string(String)
    case address(IPAddress)
    case binary([UInt8])

    /// Numeric view for filters: ints and bools (true = 1).
    public var numeric: UInt64? {
        switch self {
        case .int(let v): return v
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Text view for filters and CSV.
    public var text: String? {
        switch self {
        case .string(let s): return s
        case .address(let a): return a.description
        default: return nil
        }
    }
}

/// The fields every result carries, before and after the probe module's own.
public enum CommonFields {
    /// IP fields, first in every record.
    public static func ip(_ family: IPFamily) -> [FieldDefinition] {
        family == .v4
            ? [FieldDefinition("saddr", .string, "source IP address of response"),
               FieldDefinition("daddr", .string, "destination IP address of response"),
               FieldDefinition("ipid", .int, "IP identification number of response"),
               FieldDefinition("ttl", .int, "time-to-live of response packet")]
            : [FieldDefinition("saddr", .string, "source IPv6 address of response"),
               FieldDefinition("daddr", .string, "destination IPv6 address of response"),
               FieldDefinition("hlim", .int, "hop limit of response packet")]
    }

    /// System fields, last in every record.
    public static let system: [FieldDefinition] = [
        FieldDefinition("repeat", .bool, "Is response a repeat response from host"),
        FieldDefinition("cooldown", .bool, "Was response received during the cooldown period"),
        FieldDefinition("timestamp_str", .string, "timestamp of when response arrived in ISO8601 format."),
        FieldDefinition("timestamp_ts", .int, "timestamp of when response arrived in seconds since Epoch"),
        FieldDefinition("timestamp_us", .int, "microsecond part of timestamp (e.g. microseconds since 'timestamp-ts')"),
    ]
}
