import XMapCore

/// What a probe module is built from: the scan's options that shape its packets. Network
/// details (MAC addresses, the link header) are not here: modules build IP packets only.
public struct ProbeSettings: Sendable {
    public var family: IPFamily
    /// IPv4 TTL / IPv6 hop limit (`--probe-ttl`).
    public var ttl: UInt8
    public var sourcePorts: SourcePortRange
    /// `--probes`: packets per target.
    public var probes: Int
    /// `--probe-args`, if given.
    public var probeArgs: String?
    /// `-p` target ports (for modules whose payload depends on the port).
    public var targetPorts: [UInt16]
    /// `-P`: payload indexes per target.
    public var targetIndexes: Int
    /// Whether `-P` was given (DNS modules otherwise take one index per question).
    public var targetIndexesGiven: Bool
    /// Reads the files that `probeArgs` name.
    public var files: any FileSource
    /// The wall clock (seconds, microseconds), for modules that put the time in packets.
    public var clock: @Sendable () -> (seconds: UInt64, microseconds: UInt32)
    /// Whether the scan follows ZMap's conventions (run as `zmap`): where a module's default is
    /// ZMap's and XMap's differ, the module takes ZMap's (`tcp_syn` sends Windows' SYN options,
    /// UDP datagrams over IPv4 carry no checksum).
    public var zmapConventions = false
    /// Whether UDP datagrams carry a checksum (XMap's, and IPv6's rule) or 0, "none" (ZMap's, IPv4).
    public var udpChecksums: Bool { !zmapConventions }
    /// The text of the module-owned options given on the command line (`ProbeOption`), by name.
    public var moduleOptions: [String: String] = [:]
    /// Whether the scan outputs or filters on `rtt_us` (the TCP modules then stamp each probe
    /// with its send time, `TCPRoundTrip`), and on `fingerprint`.
    public var measuresRoundTrip = false
    public var describesFingerprint = false

    public init(
        family: IPFamily, ttl: UInt8 = 255,
        sourcePorts: SourcePortRange = SourcePortRange(first: 32768, last: 61000),
        probes: Int = 1, probeArgs: String? = nil, targetPorts: [UInt16] = [], targetIndexes: Int = 1,
        targetIndexesGiven: Bool = false, files: any FileSource = NoFiles(),
        clock: @escaping @Sendable () -> (seconds: UInt64, microseconds: UInt32) = { (0, 0) }
    ) {
        self.family = family
        self.ttl = ttl
        self.sourcePorts = sourcePorts
        self.probes = probes
        self.probeArgs = probeArgs
        self.targetPorts = targetPorts
        self.targetIndexes = targetIndexes
        self.targetIndexesGiven = targetIndexesGiven
        self.files = files
        self.clock = clock
    }

    /// The value of a module's option for a scan of `family`: the command line's text, or the
    /// option's default. - Throws: `XMapError` for a bad value.
    public func value<Value>(of option: ProbeOption<Value>, family: IPFamily) throws -> Value {
        try option.value(moduleOptions[option.name], family: family)
    }
}
