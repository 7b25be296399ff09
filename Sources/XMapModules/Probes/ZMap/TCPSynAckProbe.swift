import XMapCore

/// `tcp_synack` (ZMap's `tcp_synackscan`), IPv4 and IPv6: an unsolicited SYN-ACK with an MSS
/// option. A live host answers it with a RST (it has no such connection), so both RST and
/// SYN-ACK replies are successes; ICMP errors quoting the probe are failures.
public struct TCPSynAckCore: ProbeCore {
    public let family: IPFamily
    public let ttl: UInt8
    public let sourcePorts: SourcePortRange
    /// `rtt_us` and `fingerprint` (send-time stamps, `TCPProbeTiming`).
    public let timing: TCPProbeTiming

    public init(family: IPFamily, settings: ProbeSettings) throws {
        self.family = family
        ttl = settings.ttl
        sourcePorts = settings.sourcePorts
        timing = TCPProbeTiming(settings: settings, options: [])
        if let a = settings.probeArgs, !a.isEmpty {
            throw XMapError("the tcp_synack module takes no --probe-args (got '\(a)')")
        }
    }

    @usableFromInline var tcpOffset: Int { FrameLayout.ipHeader(family) }
    /// 20 bytes of header and the 4-byte MSS option.
    @usableFromInline static let tcpLength = 24
    public var packetLength: Int { tcpOffset + Self.tcpLength }

    /// The acknowledgement number a probe carries (the validation block's third word, as
    /// ZMap's `v[2]`, stored like the sequence number).
    @inlinable static func acknowledgement(_ v: AESBlock) -> UInt32 {
        UInt32(v[11]) << 24 | UInt32(v[10]) << 16 | UInt32(v[9]) << 8 | UInt32(v[8])
    }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        if family == .v4 {
            FrameLayout.writeIPv4(w, at: 0, protocol: IPProtocol.tcp, payloadLength: Self.tcpLength, ttl: ttl)
        } else {
            FrameLayout.writeIPv6(w, at: 0, nextHeader: IPProtocol.tcp, payloadLength: Self.tcpLength, hopLimit: ttl)
        }
        let o = tcpOffset
        w.u8(o + 12, UInt8(Self.tcpLength / 4) << 4)
        w.u8(o + 13, TCPFlags.synAck)
        w.u16(o + 14, 65535)
        w.u32(o + 20, 0x0204_05B4)   // MSS 1460
    }

    @inlinable @inline(__always)
    public func makePacket(into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int, validation v: AESBlock,
                           thread: inout Void) -> Int {
        let w = PacketWriter(buffer)
        let o = tcpOffset
        FrameLayout.finishIP(w, at: 0, family: family, src: source, dst: target.address, ttl: ttl)
        w.u16(o, ValidationValues.sourcePort(v, probe: probe, range: sourcePorts))
        w.u16(o + 2, target.port)
        let stamp = timing.stampNow()
        w.u32(o + 4, timing.sequence(ValidationValues.tcpSequence(v), stamp: stamp))
        w.u32(o + 8, timing.sequence(Self.acknowledgement(v), stamp: stamp))
        w.u16(o + 16, 0)
        let n = Self.tcpLength
        let sum = Checksum.add(UnsafeRawPointer(buffer + o), count: n,
                               to: FrameLayout.pseudoHeaderSum(family: family, src: source, dst: target.address,
                                                               proto: IPProtocol.tcp, length: n))
        w.u16(o + 16, Checksum.finish(sum))
        return o + n
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        DryRunFormat.ip(f, at: 0, family: family) + DryRunFormat.tcp(f, at: tcpOffset)
            + DryRunFormat.tcpOptions(f, at: tcpOffset + 20, count: 4)
    }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> ValidReply? {
        if h.proto == IPProtocol.tcp {
            let o = h.payloadOffset
            guard let sport = p.u16(o), let dport = p.u16(o + 2), let seq = p.u32(o + 4), let ack = p.u32(o + 8),
                  let flags = p.u8(o + 13), p.count >= o + 20, c.targetPorts.contains(sport) else { return nil }
            let v = c.validator.block(src: h.destination, dst: h.source, port: sport)
            guard c.isOurSourcePort(dport, v) else { return nil }
            let ourSeq = ValidationValues.tcpSequence(v), ourAck = Self.acknowledgement(v)
            if flags & TCPFlags.rst != 0 {
                // RFC 9293: a RST answering our ACK takes its sequence number from that ACK.
                guard timing.matches(ack &- 1, ourSeq) || timing.matches(seq, ourAck)
                        || timing.matches(seq &- 1, ourAck) else { return nil }
            } else {
                guard flags & TCPFlags.synAck == TCPFlags.synAck, timing.matches(ack &- 1, ourSeq) else { return nil }
            }
            return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(sport)), reportedSource: h.source)
        }
        guard let q = ICMPErrorQuote(p, header: h, family: family, proto: IPProtocol.tcp, transportBytes: 8),
              let ports = q.ports, c.targetPorts.contains(ports.destination) else { return nil }
        let v = c.validator.block(src: q.inner.source, dst: q.inner.destination, port: ports.destination)
        guard c.isOurSourcePort(ports.source, v),
              let quoted = q.quoted.u32(q.inner.payloadOffset + 4),
              timing.matches(quoted, ValidationValues.tcpSequence(v)) else { return nil }
        return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(ports.destination)),
                          reportedSource: q.inner.destination)
    }

    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        if h.proto == IPProtocol.tcp {
            let o = h.payloadOffset
            let flags = p.u8(o + 13) ?? 0
            r[Field.sport] = .int(UInt64(p.u16(o) ?? 0))
            r[Field.dport] = .int(UInt64(p.u16(o + 2) ?? 0))
            r[Field.seqnum] = .int(UInt64(p.u32(o + 4) ?? 0))
            r[Field.acknum] = .int(UInt64(p.u32(o + 8) ?? 0))
            r[Field.window] = .int(UInt64(p.u16(o + 14) ?? 0))
            r[Field.classification] = .string(flags & TCPFlags.rst != 0 ? "rst" : "synack")
            r[Field.success] = .bool(true)
            // A RST takes its sequence number from our (stamped) acknowledgement; a SYN-ACK
            // acknowledges our stamped sequence number plus one.
            let stamped = flags & TCPFlags.rst != 0 ? p.u32(o + 4) : p.u32(o + 8).map { $0 &- 1 }
            r[Field.rtt] = timing.roundTrip(p, tcp: o, stamped: stamped, record: r)
            r[Field.fingerprint] = timing.fingerprint(p, header: h)
            return
        }
        guard let q = ICMPErrorQuote(p, header: h, family: family, proto: IPProtocol.tcp, transportBytes: 8) else { return }
        r[Field.classification] = .string("icmp")
        r[Field.success] = .bool(false)
        ZMapICMPFields.fill(&r, Field.self, responder: h.source, type: q.type, code: q.code, family: family)
        r[Field.rtt] = timing.roundTrip(p, tcp: 0, stamped: q.quoted.u32(q.inner.payloadOffset + 4), record: r)
    }

    public typealias Fields = Field

    /// ZMap's `tcp_synackscan` fields.
    public enum Field: Int, ZMapTransportFields {
        case sport, dport, seqnum, acknum, window, classification, success
        case icmpResponder, icmpType, icmpCode, icmpUnreachString
        case rtt, fingerprint

        public static let portProtocol = "TCP"

        public var definition: FieldDefinition {
            switch self {
            case .classification, .success, .sport, .dport, .icmpResponder, .icmpType, .icmpCode, .icmpUnreachString: sharedDefinition
            case .seqnum: FieldDefinition("seqnum", .int, "TCP sequence number")
            case .acknum: FieldDefinition("acknum", .int, "TCP acknowledgement number")
            case .window: FieldDefinition("window", .int, "TCP window")
            case .rtt: TCPProbeTiming.roundTripField
            case .fingerprint: TCPProbeTiming.fingerprintField
            }
        }
    }

    static let help = "Probe module that sends a TCP SYNACK packet to a specific port (ZMap's tcp_synackscan; that name is accepted). IPv4 and IPv6. Possible classifications are: synack, rst and icmp. A host with no such connection answers with a reset, so a reset and a SYN-ACK are both a success (the host is there); an ICMP error quoting the probe is a failure. The probe is a SYN-ACK with an MSS option (58-byte frame over IPv4)."
}

/// `tcp_synack` for IPv4.
public struct TCPSynAckProbe4: CoreBackedProbe {
    public static let name = "tcp_synack"
    public static let family = IPFamily.v4
    public static let usesPorts = true
    public static let helpText = TCPSynAckCore.help
    public let core: TCPSynAckCore

    public init(settings: ProbeSettings) throws { core = try TCPSynAckCore(family: .v4, settings: settings) }
    public var pcapFilter: String { "(ip && tcp && (tcp[13] & 4 != 0 || tcp[13] == 18)) || icmp" }
    public var snaplen: Int { EthernetHeader.length + 60 + 60 + 8 }
}

/// `tcp_synack` for IPv6.
public struct TCPSynAckProbe6: CoreBackedProbe {
    public static let name = "tcp_synack"
    public static let family = IPFamily.v6
    public static let usesPorts = true
    public static let helpText = TCPSynAckCore.help
    public let core: TCPSynAckCore

    public init(settings: ProbeSettings) throws { core = try TCPSynAckCore(family: .v6, settings: settings) }
    public var pcapFilter: String { "(ip6 proto 6 && (ip6[53] & 4 != 0 || ip6[53] == 18)) || icmp6" }
    public var snaplen: Int { EthernetHeader.length + 40 + 8 + 40 + 60 }
}
