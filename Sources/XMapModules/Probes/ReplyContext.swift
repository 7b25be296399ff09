import XMapCore

/// What the receive path needs to check a reply.
public struct ReplyContext: Sendable {
    public let validator: Validator
    public let sourcePorts: SourcePortRange
    public let probes: Int
    /// Target ports as a 65536-bit set (`ports.contains(p)` in O(1)).
    public let targetPorts: PortSet
    /// False with ZMap's `--validate-source-port=disable`: replies to any of our ports count.
    public let validateSourcePort: Bool
    /// What ARP replies and neighbour advertisements must match (`arp`, `nd`); nil elsewhere.
    public var linkScope: LinkReplyScope? = nil

    public init(validator: Validator, sourcePorts: SourcePortRange, probes: Int, targetPorts: PortSet,
                validateSourcePort: Bool = true) {
        self.validator = validator
        self.sourcePorts = sourcePorts
        self.probes = probes
        self.targetPorts = targetPorts
        self.validateSourcePort = validateSourcePort
    }

    /// Whether `port` (a reply's destination) is the source port of one of our probes to the
    /// target with validation block `v` (always true when that check is disabled).
    @inlinable public func isOurSourcePort(_ port: UInt16, _ v: AESBlock) -> Bool {
        !validateSourcePort || ValidationValues.isSourcePort(port, v, probes: probes, range: sourcePorts)
    }
}

/// A validated reply: the key that identifies repeats, and the address to report as `saddr`.
public struct ValidReply: Sendable {
    /// Identifies duplicate replies (address plus a module-specific extra, e.g. the port).
    public var repeatKey: RepeatKey
    /// The address reported as `saddr` (for ICMP errors: the probed target).
    public var reportedSource: UInt128

    public init(repeatKey: RepeatKey, reportedSource: UInt128) {
        self.repeatKey = repeatKey
        self.reportedSource = reportedSource
    }
}

/// A key for duplicate detection.
public struct RepeatKey: Hashable, Sendable {
    public var address: UInt128
    public var extra: UInt32

    public init(address: UInt128, extra: UInt32 = 0) {
        self.address = address
        self.extra = extra
    }
}
