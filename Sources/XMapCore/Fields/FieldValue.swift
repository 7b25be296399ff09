/// The value of one field of a result.
public enum FieldValue: Sendable, Equatable {
    case null
    case int(UInt64)
    case bool(Bool)
    case string(String)
    case address(IPAddress)
    case binary([UInt8])
    /// A list of values (a `repeated` field), e.g. DNS answers.
    case list([FieldValue])
    /// A nested object: named values in output order, e.g. one DNS answer.
    case object([FieldMember])

    /// Numeric view for filters: ints and bools (true = 1).
    @inlinable public var numeric: UInt64? {
        switch self {
        case .int(let v): return v
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Text view for filters: strings and addresses.
    public var text: String? {
        switch self {
        case .string(let s): return s
        case .address(let a): return a.description
        default: return nil
        }
    }
}

/// One named value of a nested object.
public struct FieldMember: Sendable, Equatable {
    public var name: String
    public var value: FieldValue

    public init(_ name: String, _ value: FieldValue) {
        self.name = name
        self.value = value
    }
}
