import XMapCore

/// `tcp_synack` (ZMap's `tcp_synackscan`), IPv4 and IPv6: an unsolicited SYN-ACK with an MSS
/// option. A live host answers it with a RST (it has no such connection), so both RST and
/// SYN-ACK replies are successes; ICMP errors quoting the probe are failures.
///
/// The whole module is this file and its line in the probe catalog: the segment is
/// `TCPSegment`'s, the ICMP errors `ICMPErrorQuote`'s and the shared fields
/// `ZMapTransportFields`'.
public struct TCPSynAckProbe: Probe {
    public static let name = "tcp_synack"
    public static let usesPorts = true

    /// A SYN-ACK with the MSS option 1460.
    public let segment: TCPSegment
    /// `rtt_us` and `fingerprint` (send-time stamps, `TCPProbeTiming`).
    public let timing: TCPProbeTiming

    public var family: IPFamily { segment.family }

    public init(family: IPFamily, settings: ProbeSettings) throws {
        if let a = settings.probeArgs, !a.isEmpty {
            throw XMapError("the tcp_synack module takes no --probe-args (got '\(a)')")
        }
        segment = TCPSegment(family: family, settings: settings, flags: TCPFlags.synAck, options: [2, 4, 0x05, 0xB4])
        timing = TCPProbeTiming(settings: settings, options: segment.options)
    }

    public var packetLength: Int { segment.packetLength }

    public var pcapFilter: String {
        family == .v4
            ? "(ip && tcp && (tcp[13] & 4 != 0 || tcp[13] == 18)) || icmp"
            : "(ip6 proto 6 && (ip6[53] & 4 != 0 || ip6[53] == 18)) || icmp6"
    }

    public var snaplen: Int {
        family == .v4 ? EthernetHeader.length + 60 + 60 + 8 : EthernetHeader.length + 40 + 8 + 40 + 60
    }

    /// The acknowledgement number a probe carries (the validation block's third word, as
    /// ZMap's `v[2]`, stored like the sequence number).
    @inlinable static func acknowledgement(_ v: AESBlock) -> UInt32 {
        UInt32(v[11]) << 24 | UInt32(v[10]) << 16 | UInt32(v[9]) << 8 | UInt32(v[8])
    }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) { segment.writeTemplate(into: buffer) }

    @inlinable @inline(__always)
    public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation v: AESBlock, thread: inout Void
    ) -> Int {
        timing.finishProbe(
            segment, buffer, source: source, target: target, probe: probe, validation: v,
            acknowledgement: Self.acknowledgement(v))
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String { segment.describe(packet: f) }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> ValidReply? {
        if h.proto == IPProtocol.tcp {
            let o = h.payloadOffset
            guard let seq = p.u32(o + 4), let ack = p.u32(o + 8), let flags = p.u8(o + 13), p.count >= o + 20,
                let reply = c.probe(answeredBy: p, header: h, proto: IPProtocol.tcp)
            else { return nil }
            let sport = reply.targetPort
            let ourSeq = ValidationValues.tcpSequence(reply.validation), ourAck = Self.acknowledgement(reply.validation)
            if flags & TCPFlags.rst != 0 {
                // RFC 9293: a RST answering our ACK takes its sequence number from that ACK.
                guard
                    timing.matches(ack &- 1, ourSeq) || timing.matches(seq, ourAck)
                        || timing.matches(seq &- 1, ourAck)
                else { return nil }
            } else {
                guard flags & TCPFlags.synAck == TCPFlags.synAck, timing.matches(ack &- 1, ourSeq) else { return nil }
            }
            return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(sport)), reportedSource: h.source)
        }
        guard let q = ICMPErrorQuote(p, header: h, family: family, proto: IPProtocol.tcp, transportBytes: 8),
            let probe = q.probe(c),
            let quoted = q.quoted.u32(q.inner.payloadOffset + 4),
            timing.matches(quoted, ValidationValues.tcpSequence(probe.validation))
        else { return nil }
        return q.reply(extra: UInt32(probe.targetPort))
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
        guard let q = ICMPErrorQuote(p, header: h, family: family, proto: IPProtocol.tcp, transportBytes: 8) else {
            return
        }
        q.recordFailure(into: &r, Field.self, classification: "icmp")
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
            case .classification, .success, .sport, .dport, .icmpResponder, .icmpType, .icmpCode,
                .icmpUnreachString:
                sharedDefinition
            case .seqnum: FieldDefinition("seqnum", .int, "TCP sequence number")
            case .acknum: FieldDefinition("acknum", .int, "TCP acknowledgement number")
            case .window: FieldDefinition("window", .int, "TCP window")
            case .rtt: TCPProbeTiming.roundTripField
            case .fingerprint: TCPProbeTiming.fingerprintField
            }
        }
    }

    public static func helpText(for family: IPFamily) -> String {
        """
        Probe module that sends a TCP SYNACK packet to a specific port (ZMap's tcp_synackscan; that name is \
        accepted). IPv4 and IPv6. Possible classifications are: synack, rst and icmp. A host with no such \
        connection answers with a reset, so a reset and a SYN-ACK are both a success (the host is there); an \
        ICMP error quoting the probe is a failure. The probe is a SYN-ACK with an MSS option (58-byte frame \
        over IPv4).
        """
    }
}
