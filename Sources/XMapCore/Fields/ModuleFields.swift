/// The fields a probe module adds to every result, declared once as an enum whose cases are in
/// output order (Swift numbers them 0, 1, 2, …): the declaration order is the definition order
/// and the record order, so a value can never land in another field's column.
///
///     enum Field: Int, ModuleFields {
///         case success, clas
///         var definition: FieldDefinition { … }
///     }
///
/// A module writes a value with `record[Field.clas] = .string("synack")`.
public protocol ModuleFields: CaseIterable, Sendable, RawRepresentable where RawValue == Int {
    /// Name, type and description of this field.
    var definition: FieldDefinition { get }
    /// The definition in a scan of `family` (the same unless a module's field types differ
    /// between families, as XMap's ICMP `success` does).
    func definition(for family: IPFamily) -> FieldDefinition
    /// The field saying whether the reply is a success (every module has one).
    static var success: Self { get }
    /// The field saying whether the application-level answer is a success (DNS), if any.
    static var appSuccess: Self? { get }
}

extension ModuleFields {
    public static var appSuccess: Self? { nil }
    public func definition(for family: IPFamily) -> FieldDefinition { definition }

    /// Every definition for a scan of `family`, in output order.
    public static func definitions(for family: IPFamily) -> [FieldDefinition] {
        allCases.map { $0.definition(for: family) }
    }
}
