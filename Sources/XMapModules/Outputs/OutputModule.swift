import XMapCore

/// An output module turns result records into bytes. The engine owns the destination (file or
/// stdout) and writes what the module produces; modules never do I/O themselves.
public protocol OutputModule: Sendable {
    /// The `-O` name.
    static var name: String { get }
    /// Whether nested values (lists and objects, e.g. DNS answers) can be written. Probe modules
    /// that produce them need such an output module.
    static var supportsDynamicOutput: Bool { get }
    /// One paragraph for `--help`.
    static var helpText: String { get }

    /// Prepares for records whose fields `selection` picks, in that order.
    init(selection: FieldSelection)

    /// Bytes written once before the first record (a CSV header, say), or empty.
    func header() -> [UInt8]

    /// Appends the selected fields of `record` to `out`.
    func append(_ record: Record, to out: inout [UInt8])

    /// For modules that push to Redis: records per `RPUSH` (nil: the module writes a file).
    static var redisBatch: Int? { get }
    /// The fields written when `-f` is not given.
    static var defaultFields: [String] { get }
    /// `--output-args` when none are given (Redis modules).
    static var defaultRedisArguments: String { get }
}

extension OutputModule {
    public static var redisBatch: Int? { nil }
    public static var defaultFields: [String] { ["saddr"] }
    public static var defaultRedisArguments: String { RedisEndpoint.defaultArguments }
}

/// Every output module, in listing order. Adding an output module is one file and one line here.
public enum OutputCatalog {
    public static let modules: [any OutputModule.Type] = [
        CSVOutput.self, JSONOutput.self, RedisCSVOutput.self,
        RedisPackedOutput.self
    ]

    /// The module named `name` (`default` means `csv`).
    public static func module(named name: String) -> (any OutputModule.Type)? {
        let n = name == "default" ? "csv" : name
        return modules.first { $0.name == n }
    }

    /// `--list-output-modules` output.
    public static var listing: String { "Output-modules:\n" + modules.map { $0.name }.joined(separator: "\n") + "\n" }
}
