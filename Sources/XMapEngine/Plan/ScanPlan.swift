import XMapCore

/// Everything a scan needs, built once from the command line and config (the CLI's plan
/// builders) and checked before any thread starts. The engine reads it and never looks
/// anything up by name or validates again.
public struct ScanPlan: Sendable {
    /// What is scanned and in which order.
    public var targets: TargetPlan
    /// The probe module, constructed, and the settings it was built from.
    public var probe: ProbePlan
    /// Records, fields, filter, repeat detection and where results go.
    public var output: OutputPlan
    /// Rate, batching, threads and the packet backend.
    public var sending: SendPlan
    /// When the scan stops.
    public var limits: ScanLimits
    /// Interface, addresses and link header.
    public var network: NetworkPlan
    /// Seed, validation key and sharding.
    public var identity: ScanIdentity
    /// Status output and the monitor's abort conditions.
    public var monitor: MonitorPlan
    /// Checkpointing and resuming, when asked for.
    public var checkpoint: CheckpointPlan?
    /// How replies are captured.
    public var capture: CapturePlan
    /// What the scan gives up once set up.
    public var privileges = PrivilegePlan()
    /// The start-up log lines when the command line's conventions want their own (ZMap's);
    /// empty: XMap's.
    public var startLines: [StartLine] = []

    public init(
        targets: TargetPlan, probe: ProbePlan, output: OutputPlan, sending: SendPlan, limits: ScanLimits,
        network: NetworkPlan, identity: ScanIdentity, monitor: MonitorPlan, checkpoint: CheckpointPlan? = nil,
        capture: CapturePlan = CapturePlan()
    ) {
        self.targets = targets
        self.probe = probe
        self.output = output
        self.sending = sending
        self.limits = limits
        self.network = network
        self.identity = identity
        self.monitor = monitor
        self.checkpoint = checkpoint
        self.capture = capture
    }

    /// The address family of the scan.
    public var family: IPFamily { targets.family }

    /// Runs the scan with the engine specialised for its probe module.
    /// - Throws: `XMapError` for anything that prevents the scan from starting or ends it early.
    public func run() throws -> ScanSummary { try probe.module.run(self) }
}

/// One start-up log line: an informational line or a warning, its module and its text.
public struct StartLine: Sendable, Equatable {
    public var isWarning: Bool
    public var module: String
    public var message: String

    public init(warning: Bool = false, _ module: String, _ message: String) {
        self.isWarning = warning
        self.module = module
        self.message = message
    }
}
