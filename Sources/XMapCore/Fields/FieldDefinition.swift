/// The type of an output field, as `--list-output-fields` prints it.
public enum FieldType: String, Sendable {
    case string, int, bool, binary
    /// A list of values (DNS answers and the like); only dynamic output modules (JSON) write it.
    case repeated
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
