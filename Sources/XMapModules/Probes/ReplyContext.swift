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

    public init(
        validator: Validator, sourcePorts: SourcePortRange, probes: Int, targetPorts: PortSet,
        validateSourcePort: Bool = true
    ) {
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

    /// The validation block of a probe from `source` (us) to `target` on `targetPort`, if that
    /// is one of the scan's ports and `ourPort` the source port we use for that target; nil
    /// otherwise. What every module with ports checks, for replies and quoted probes alike.
    @inlinable public func validation(
        ourPort: UInt16, targetPort: UInt16, source: UInt128,
        target: UInt128
    ) -> AESBlock? {
        guard targetPorts.contains(targetPort) else { return nil }
        let v = validator.block(src: source, dst: target, port: targetPort)
        return isOurSourcePort(ourPort, v) ? v : nil
    }

    /// For a reply of transport `proto` (TCP or UDP: ports first in its header), the target
    /// port it came from and the validation block of our probe, if it answers one; nil otherwise.
    @inlinable public func probe(
        answeredBy p: ReplyPacket, header h: IPHeaderView,
        proto: UInt8
    ) -> (targetPort: UInt16, validation: AESBlock)? {
        let o = h.payloadOffset
        // The reply's source port is our target port; its destination port is our source port.
        guard h.proto == proto, let theirs = p.u16(o), let ours = p.u16(o + 2),
            let v = validation(ourPort: ours, targetPort: theirs, source: h.destination, target: h.source)
        else { return nil }
        return (theirs, v)
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
