import XMapCore
import XMapModules

/// The scan's probe module, constructed once from its settings.
public struct ProbePlan: Sendable {
    /// The module with the engine specialised for its type.
    public let module: ConfiguredProbe
    /// What the module was built from (TTL, source ports, probes, `--probe-args`).
    public let settings: ProbeSettings
    /// ZMap's `--validate-source-port`: whether a reply must come back to one of our source ports.
    public var validateSourcePort: Bool

    public init(module: ConfiguredProbe, settings: ProbeSettings, validateSourcePort: Bool = true) {
        self.module = module
        self.settings = settings
        self.validateSourcePort = validateSourcePort
    }
}
