import XMapCore

/// `tcp_syn` (and the body of `tcp_scan`), IPv4 and IPv6: XMap's bare 20-byte SYN (or, with
/// `--probe-args`, ZMap's OS-like options), window 65535, sequence number and source port
/// derived from the validation block. SYN-ACK is a success, RST a failure; the reply's MSS,
/// window scale, SACK-permitted and timestamp options are reported.
public struct TCPSynProbe: Probe {
    public static let name = "tcp_syn"
    public static let usesPorts = true

    /// `tcp_scan`: accept every ACK-bearing reply to our SYN (SYN-ACK, ACK, FIN-ACK, RST-ACK),
    /// tell them apart in the repeat key by their sequence number, and close connections.
    public let stateful: Bool
    /// The options every SYN carries (`--probe-args`).
    public let optionLayout: TCPOptionLayout
    /// The segment every probe is (the option bytes hold the timestamp taken when the module
    /// was built).
    public let segment: TCPSegment
    /// `rtt_us` and `fingerprint` (send-time stamps, `TCPProbeTiming`).
    public let timing: TCPProbeTiming

    public var family: IPFamily { segment.family }
    /// The option bytes.
    public var options: [UInt8] { segment.options }

    public init(family: IPFamily, settings: ProbeSettings) throws {
        try self.init(family: family, settings: settings, stateful: false, module: Self.name)
    }

    /// - Parameter module: the `-M` name, for the error about `--probe-args`.
    public init(family: IPFamily, settings: ProbeSettings, stateful: Bool, module: String) throws {
        self.stateful = stateful
        if stateful, let a = settings.probeArgs, !a.isEmpty {
            throw XMapError("the \(module) module takes no --probe-args (got '\(a)')")
        }
        // ZMap's tcp_synscan sends Windows' SYN options unless told otherwise.
        let windows = settings.zmapConventions && !stateful ? "windows" : nil
        optionLayout = try TCPOptionLayout(probeArgs: settings.probeArgs ?? windows)
        // ZMap stamps TSval once per sender thread, with the time in seconds; one stamp per scan
        // is the same to a receiver.
        let options = optionLayout.bytes(timestamp: UInt32(truncatingIfNeeded: settings.clock().seconds))
        segment = TCPSegment(family: family, settings: settings, flags: TCPFlags.syn, options: options)
        timing = TCPProbeTiming(settings: settings, options: options)
    }

    public var packetLength: Int { segment.packetLength }

    public var pcapFilter: String {
        if stateful { return "ip && tcp" }
        return family == .v4
            ? "ip && tcp && (tcp[13] & 4 != 0 || tcp[13] == 18)"
            : "ip6 proto 6 && (ip6[53] & 4 != 0 || ip6[53] == 18)"
    }

    public var snaplen: Int {
        stateful ? EthernetHeader.length + 60 + 60 : EthernetHeader.length + FrameLayout.ipHeader(family) + 20 + 40
    }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) { segment.writeTemplate(into: buffer) }

    @inlinable @inline(__always)
    public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation v: AESBlock, thread: inout Void
    ) -> Int {
        timing.finishProbe(segment, buffer, source: source, target: target, probe: probe, validation: v)
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String { segment.describe(packet: f) }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> ValidReply? {
        let o = h.payloadOffset
        guard let ack = p.u32(o + 8), let flags = p.u8(o + 13),
            let reply = c.probe(answeredBy: p, header: h, proto: IPProtocol.tcp)
        else { return nil }
        let sport = reply.targetPort
        let seq = ValidationValues.tcpSequence(reply.validation)
        if stateful {
            // Every reply of a connection carries an ACK; data-free, it acknowledges at most our
            // SYN and FIN (seq < ack <= seq + 3, as XMap allows).
            guard flags & TCPFlags.ack != 0 else { return nil }
            if flags & TCPFlags.rst != 0 {
                guard timing.matches(ack, seq) || timing.matches(ack &- 1, seq) else { return nil }
            } else {
                guard timing.acknowledgesConnection(ack, seq) else { return nil }
            }
            let theirs = UInt32(p.u8(o + 7) ?? 0)  // low byte of their sequence number
            return ValidReply(
                repeatKey: RepeatKey(address: h.source, extra: UInt32(sport) | theirs << 16),
                reportedSource: h.source)
        }
        if flags & TCPFlags.rst != 0 {
            guard timing.matches(ack, seq) || timing.matches(ack &- 1, seq) else { return nil }
        } else {
            guard flags & TCPFlags.synAck == TCPFlags.synAck, timing.matches(ack &- 1, seq) else { return nil }
        }
        return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(sport)), reportedSource: h.source)
    }

    /// `tcp_scan`'s answers: FIN-ACK to a SYN-ACK, ACK to a FIN-ACK (our seq = their ack, our
    /// ack = their seq + 1, ports and addresses swapped).
    public func followUp(_ p: ReplyPacket, header h: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int {
        let o = h.payloadOffset
        guard stateful, let sport = p.u16(o), let dport = p.u16(o + 2), let theirSeq = p.u32(o + 4),
            let theirAck = p.u32(o + 8), let flags = p.u8(o + 13), flags & TCPFlags.rst == 0
        else { return 0 }
        let answer: UInt8
        if flags & TCPFlags.synAck == TCPFlags.synAck {
            answer = TCPFlags.finAck
        } else if flags & TCPFlags.finAck == TCPFlags.finAck {
            answer = TCPFlags.ack
        } else {
            return 0
        }
        return segment.finish(
            buffer, source: h.destination, destination: h.source, sourcePort: dport,
            destinationPort: sport, sequence: theirAck, acknowledgement: theirSeq &+ 1,
            flags: answer)
    }

    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        let o = h.payloadOffset
        let flags = p.u8(o + 13) ?? 0
        let clas: String
        if flags & TCPFlags.rst != 0 {
            clas = "rst"
        } else if !stateful || flags & TCPFlags.synAck == TCPFlags.synAck {
            clas = "synack"
        } else if flags & TCPFlags.finAck == TCPFlags.finAck {
            clas = "finack"
        } else if flags & TCPFlags.ack != 0 {
            clas = "ack"
        } else {
            clas = "other"
        }
        r[Field.sport] = .int(UInt64(p.u16(o) ?? 0))
        r[Field.dport] = .int(UInt64(p.u16(o + 2) ?? 0))
        r[Field.seqnum] = .int(UInt64(p.u32(o + 4) ?? 0))
        r[Field.acknum] = .int(UInt64(p.u32(o + 8) ?? 0))
        r[Field.window] = .int(UInt64(p.u16(o + 14) ?? 0))
        let opts = TCPReceivedOptions(p, tcpHeaderAt: o)
        r[Field.mss] = opts.mss.map { .int(UInt64($0)) } ?? .null
        r[Field.windowScale] = opts.windowScale.map { .int($0) } ?? .null
        r[Field.sackPermitted] = opts.sackPermitted ? .int(1) : .null
        r[Field.timestampValue] = opts.timestampValue.map { .int(UInt64($0)) } ?? .null
        r[Field.timestampEcho] = opts.timestampEcho.map { .int(UInt64($0)) } ?? .null
        r[Field.clas] = .string(clas)
        r[Field.success] = .bool(clas != "rst" && clas != "other")
        // The reply to the SYN itself acknowledges our (stamped) sequence number plus one.
        let stamped = clas == "synack" || clas == "rst" ? p.u32(o + 8).map { $0 &- 1 } : nil
        r[Field.rtt] = stamped == nil ? .null : timing.roundTrip(p, tcp: o, stamped: stamped, record: r)
        r[Field.fingerprint] = timing.fingerprint(p, header: h)
    }

    /// The fields of the TCP modules.
    public typealias Fields = Field

    public enum Field: Int, ModuleFields {
        case sport, dport, seqnum, acknum, window
        case mss, windowScale, sackPermitted, timestampValue, timestampEcho, clas, success
        case rtt, fingerprint

        public var definition: FieldDefinition {
            switch self {
            case .sport: FieldDefinition("sport", .int, "TCP source port")
            case .dport: FieldDefinition("dport", .int, "TCP destination port")
            case .seqnum: FieldDefinition("seqnum", .int, "TCP sequence number")
            case .acknum: FieldDefinition("acknum", .int, "TCP acknowledgement number")
            case .window: FieldDefinition("window", .int, "TCP window size")
            case .mss: FieldDefinition("tcpopt_mss", .int, "TCP MSS option")
            case .windowScale: FieldDefinition("tcpopt_wscale", .int, "TCP Window scale option")
            case .sackPermitted: FieldDefinition("tcpopt_sack_perm", .int, "TCP SACK permitted option")
            case .timestampValue: FieldDefinition("tcpopt_ts_val", .int, "TCP timestamp option value")
            case .timestampEcho: FieldDefinition("tcpopt_ts_ecr", .int, "TCP timestamp option echo reply")
            case .clas: FieldDefinition("clas", .string, "packet classification")
            case .success: FieldDefinition("success", .bool, "is response considered success")
            case .rtt: TCPProbeTiming.roundTripField
            case .fingerprint: TCPProbeTiming.fingerprintField
            }
        }
    }

    public static func helpText(for family: IPFamily) -> String { help }

    static let help = """
        Probe module that sends a TCP SYN packet to a specific port. Possible classifications are: synack and \
        rst. A SYN-ACK packet is considered a success and a reset packet is considered a failed response. IPv4 \
        and IPv6. Without --probe-args the SYN has no TCP options (XMap's probe); --probe-args=windows, linux, \
        bsd or smallest-probes adds the options of that operating system's SYN, byte for byte as ZMap's \
        tcp_synscan sends them (windows: MSS, window scale 8, SACK permitted, 66-byte frame; linux: MSS, SACK \
        permitted, timestamps, window scale 7, 74 bytes; bsd: MSS, window scale 6, timestamps, SACK permitted, \
        78 bytes; smallest-probes: MSS only, 58 bytes). The reply's MSS, window scale (as the multiplier \
        2^shift), SACK permitted and timestamp options are reported in the tcpopt_* fields, null when absent. \
        ZMap's name tcp_synscan is accepted.
        """
}

/// `tcp_scan` (IPv4 only): the same SYN as `tcp_syn`, but it follows the connection: a SYN-ACK
/// is answered with a FIN-ACK and a FIN-ACK with an ACK, and SYN-ACK, ACK and FIN-ACK replies
/// are all results (`synack`, `ack`, `finack`; RST-ACK is `rst`).
public enum TCPScanProbe: ProbeDefinition {
    public static let name = "tcp_scan"
    public static let families = [IPFamily.v4]
    public static let usesPorts = true
    public static let sendsFollowUps = true

    public static func makeCore(family: IPFamily, settings: ProbeSettings) throws -> TCPSynProbe {
        try TCPSynProbe(family: family, settings: settings, stateful: true, module: name)
    }

    public static func helpText(for family: IPFamily) -> String {
        "Probe module that sends a TCP SYN packet to a specific port and closes the connection it opens: a "
            + "SYN-ACK is answered with a FIN-ACK and the peer's FIN-ACK with an ACK. Possible classifications "
            + "are: synack, ack, finack and rst."
    }
}
