import XMapCore
import XMapModules

/// Repeat detection: every distinct reply remembered (`full`, the default), only the most recent
/// ones (`window`, bounded memory), or none (every reply has `repeat = 0`).
public enum DedupMethod: Sendable, Equatable {
    case full
    case window(Int)
    case none
}

/// How results are built, chosen and written.
public struct OutputPlan: Sendable {
    /// The output module's name (`-O`) and the module, prepared for `selection`.
    public var moduleName: String
    public var module: any OutputModule
    /// The layout of every record.
    public var schema: RecordSchema
    /// The fields written, by name and slot.
    public var selection: FieldSelection
    /// The output filter; nil keeps every result.
    public var filter: FilterExpression?
    /// Output file; nil or `-` is stdout.
    public var path: String?
    /// Whether the output or the filter reads `saddr_raw` or `daddr_raw`.
    public var readsRawAddresses: Bool {
        let raw = schema.rawAddressSlots
        let read = Set(selection.slots).union(filter?.slots ?? [])
        return read.contains(raw.source) || read.contains(raw.destination)
    }
    /// For the Redis output modules: the server and list, and records per `RPUSH`.
    public var redis: (endpoint: RedisEndpoint, batch: Int)?
    /// Whether the module's header (the CSV header line) is written; ZMap's `--no-header-row`
    /// and `--fast-dryrun` turn it off.
    public var headerRow: Bool
    /// How repeats are detected (ZMap's `--dedup-method`).
    public var dedup: DedupMethod
    /// `--dedup-limit`: the most distinct replies the full method remembers.
    public var dedupLimit: Int = 1 << 26
    /// `-E`: expected number of distinct replies (sizes the repeat filter up front).
    public var expectedResults: Int

    public init(
        moduleName: String, module: any OutputModule, schema: RecordSchema, selection: FieldSelection,
        filter: FilterExpression?, path: String? = nil, headerRow: Bool = true, dedup: DedupMethod = .full,
        expectedResults: Int = 1 << 16
    ) {
        self.moduleName = moduleName
        self.module = module
        self.schema = schema
        self.selection = selection
        self.filter = filter
        self.path = path
        self.headerRow = headerRow
        self.dedup = dedup
        self.expectedResults = expectedResults
    }
}
