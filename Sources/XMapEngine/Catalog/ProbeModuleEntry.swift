import XMapCore
import XMapModules

/// One probe module as the catalog knows it: its name, family, help and fields, how to build
/// it from settings, and the engine specialised for its type. Built from the module type alone,
/// so one catalog line gives listing, lookup, help and the specialised send and receive loops.
public struct ProbeModuleEntry: Sendable {
    public let name: String
    public let family: IPFamily
    /// Whether `-p` is required.
    public let usesPorts: Bool
    public let helpText: String
    /// The module's own fields, in output order.
    public let fields: [FieldDefinition]
    /// The layout of the module's results (IP, module and system fields).
    public let schema: RecordSchema
    /// Whether results hold nested values, which only a dynamic output module (JSON) writes.
    public let needsDynamicOutput: Bool
    /// The command-line options the module owns, besides `--probe-args`.
    public let options: [ProbeOptionDeclaration]
    private let information: @Sendable (String) -> String?
    private let construct: @Sendable (ProbeSettings) throws -> ConfiguredProbe

    /// The entry for module type `P`.
    public init<P: ProbeModule>(_ type: P.Type) {
        name = P.name
        family = P.family
        usesPorts = P.usesPorts
        helpText = P.helpText
        fields = P.fields
        schema = RecordSchema(family: P.family, moduleFields: P.Fields.self)
        needsDynamicOutput = P.needsDynamicOutput
        options = P.options
        information = { P.informationText(forProbeArgs: $0) }
        construct = { ConfiguredProbe(try P(settings: $0)) }
    }

    /// The entries of module definition `M`: one per family it has, IPv6 first.
    public static func module<M: ProbeDefinition>(_ definition: M.Type) -> [ProbeModuleEntry] {
        var entries: [ProbeModuleEntry] = []
        if M.families.contains(.v6) { entries.append(ProbeModuleEntry(M.V6.self)) }
        if M.families.contains(.v4) { entries.append(ProbeModuleEntry(M.V4.self)) }
        return entries
    }

    /// Text that `--probe-args=ARGS` asks to print instead of scanning, or nil.
    public func informationText(forProbeArgs args: String) -> String? { information(args) }

    /// Builds the module. - Throws: `XMapError` for bad `--probe-args` (or files they name).
    public func configure(_ settings: ProbeSettings) throws -> ConfiguredProbe { try construct(settings) }
}

/// A constructed probe module, with the engine's scan loop specialised for its type.
public struct ConfiguredProbe: Sendable {
    public let name: String
    public let family: IPFamily
    /// The module itself (for planning and tests; the engine uses it through `run`).
    public let instance: any ProbeModule
    /// Length of the longest probe packet, IP header included.
    public let packetLength: Int
    public let schema: RecordSchema
    private let runner: @Sendable (ScanPlan) throws -> ScanSummary

    init<P: ProbeModule>(_ probe: P) {
        name = P.name
        family = P.family
        instance = probe
        packetLength = probe.packetLength
        schema = RecordSchema(family: P.family, moduleFields: P.Fields.self)
        runner = { plan in try Scanner.run(probe, plan) }
    }

    /// Runs `plan` (whose probe this is).
    func run(_ plan: ScanPlan) throws -> ScanSummary { try runner(plan) }
}
