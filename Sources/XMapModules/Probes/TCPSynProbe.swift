import XMapCore

/// TCP SYN probes (`tcp_syn`, and `tcp_scan`'s first packet), IPv4 and IPv6: XMap's bare
/// 20-byte SYN (or, with `--probe-args`, ZMap's OS-like options), window 65535, sequence number
/// and source port derived from the validation block. SYN-ACK is a success, RST a failure; the
/// reply's MSS, window scale, SACK-permitted and timestamp options are reported.
public struct TCPSynCore: ProbeCore {
    public let family: IPFamily
    /// TTL / hop limit of every probe (`--probe-ttl`).
    public let ttl: UInt8
    /// Source ports (`-s`).
    public let sourcePorts: SourcePortRange
    /// `tcp_scan`: accept every ACK-bearing reply to our SYN (SYN-ACK, ACK, FIN-ACK, RST-ACK),
    /// tell them apart in the repeat key by their sequence number, and close connections.
    public let stateful: Bool
    /// The options every SYN carries (`--probe-args`).
    public let optionLayout: TCPOptionLayout
    /// The option bytes, with the timestamp taken when the module was built.
    public let options: [UInt8]
    /// `rtt_us` and `fingerprint` (send-time stamps, `TCPProbeTiming`).
    public let timing: TCPProbeTiming

    /// - Parameter module: the `-M` name, for the error about `--probe-args`.
    public init(family: IPFamily, settings: ProbeSettings, stateful: Bool = false, module: String) throws {
        self.family = family
        ttl = settings.ttl
        sourcePorts = settings.sourcePorts
        self.stateful = stateful
        if stateful, let a = settings.probeArgs, !a.isEmpty {
            throw XMapError("the \(module) module takes no --probe-args (got '\(a)')")
        }
        optionLayout = try TCPOptionLayout(probeArgs: settings.probeArgs)
        // ZMap stamps TSval once per sender thread, with the time in seconds; one stamp per scan
        // is the same to a receiver.
        options = optionLayout.bytes(timestamp: UInt32(truncatingIfNeeded: settings.clock().seconds))
        timing = TCPProbeTiming(settings: settings, options: options)
    }

    @usableFromInline var tcpOffset: Int { FrameLayout.ipHeader(family) }
    /// The TCP header's length, options included.
    @usableFromInline var tcpLength: Int { 20 + options.count }
    public var packetLength: Int { tcpOffset + tcpLength }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        if family == .v4 {
            FrameLayout.writeIPv4(w, at: 0, protocol: IPProtocol.tcp, payloadLength: tcpLength, ttl: ttl)
        } else {
            FrameLayout.writeIPv6(w, at: 0, nextHeader: IPProtocol.tcp, payloadLength: tcpLength, hopLimit: ttl)
        }
        w.u8(tcpOffset + 12, UInt8(tcpLength / 4) << 4)
        w.u8(tcpOffset + 13, TCPFlags.syn)
        w.u16(tcpOffset + 14, 65535)
        options.withUnsafeBytes { o in
            if let base = o.baseAddress { (buffer + tcpOffset + 20).copyMemory(from: base, byteCount: o.count) }
        }
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
        timing.writeTimestamp(w, tcp: o, stamp: stamp)
        w.u16(o + 16, 0)
        let n = tcpLength
        let sum = Checksum.add(UnsafeRawPointer(buffer + o), count: n,
                               to: FrameLayout.pseudoHeaderSum(family: family, src: source, dst: target.address,
                                                               proto: IPProtocol.tcp, length: n))
        w.u16(o + 16, Checksum.finish(sum))
        return o + n
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        DryRunFormat.ip(f, at: 0, family: family) + DryRunFormat.tcp(f, at: tcpOffset)
            + (options.isEmpty ? "" : DryRunFormat.tcpOptions(f, at: tcpOffset + 20, count: options.count))
    }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> ValidReply? {
        guard h.proto == IPProtocol.tcp else { return nil }
        let o = h.payloadOffset
        guard let sport = p.u16(o), let dport = p.u16(o + 2), let ack = p.u32(o + 8), let flags = p.u8(o + 13) else {
            return nil
        }
        // The reply's source port is our target port; its destination port is our source port.
        guard c.targetPorts.contains(sport) else { return nil }
        let v = c.validator.block(src: h.destination, dst: h.source, port: sport)
        guard c.isOurSourcePort(dport, v) else { return nil }
        let seq = ValidationValues.tcpSequence(v)
        if stateful {
            // Every reply of a connection carries an ACK; data-free, it acknowledges at most our
            // SYN and FIN (seq < ack <= seq + 3, as XMap allows).
            guard flags & TCPFlags.ack != 0 else { return nil }
            if flags & TCPFlags.rst != 0 {
                guard timing.matches(ack, seq) || timing.matches(ack &- 1, seq) else { return nil }
            } else {
                guard timing.acknowledgesConnection(ack, seq) else { return nil }
            }
            let theirs = UInt32(p.u8(o + 7) ?? 0)   // low byte of their sequence number
            return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(sport) | theirs << 16),
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
              let theirAck = p.u32(o + 8), let flags = p.u8(o + 13), flags & TCPFlags.rst == 0 else { return 0 }
        let answer: UInt8
        if flags & TCPFlags.synAck == TCPFlags.synAck {
            answer = TCPFlags.finAck
        } else if flags & TCPFlags.finAck == TCPFlags.finAck {
            answer = TCPFlags.ack
        } else {
            return 0
        }
        let w = PacketWriter(buffer)
        let t = tcpOffset
        FrameLayout.finishIP(w, at: 0, family: family, src: h.destination, dst: h.source, ttl: ttl)
        w.u16(t, dport)
        w.u16(t + 2, sport)
        w.u32(t + 4, theirAck)
        w.u32(t + 8, theirSeq &+ 1)
        w.u8(t + 13, answer)
        w.u16(t + 16, 0)
        let sum = Checksum.add(UnsafeRawPointer(buffer + t), count: 20,
                               to: FrameLayout.pseudoHeaderSum(family: family, src: h.destination, dst: h.source,
                                                               proto: IPProtocol.tcp, length: 20))
        w.u16(t + 16, Checksum.finish(sum))
        return t + 20
    }

    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        let o = h.payloadOffset
        let flags = p.u8(o + 13) ?? 0
        let clas: String
        if flags & TCPFlags.rst != 0 { clas = "rst" }
        else if !stateful || flags & TCPFlags.synAck == TCPFlags.synAck { clas = "synack" }
        else if flags & TCPFlags.finAck == TCPFlags.finAck { clas = "finack" }
        else if flags & TCPFlags.ack != 0 { clas = "ack" }
        else { clas = "other" }
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
        case sport, dport, seqnum, acknum, window, mss, windowScale, sackPermitted, timestampValue, timestampEcho, clas, success
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
}

/// `tcp_syn` for IPv4.
public struct TCPSynProbe4: CoreBackedProbe {
    public static let name = "tcp_syn"
    public static let family = IPFamily.v4
    public static let usesPorts = true
    public static let helpText = "Probe module that sends a TCP SYN packet to a specific port. Possible classifications are: synack and rst. A SYN-ACK packet is considered a success and a reset packet is considered a failed response. IPv4 and IPv6. Without --probe-args the SYN has no TCP options (XMap's probe); --probe-args=windows, linux, bsd or smallest-probes adds the options of that operating system's SYN, byte for byte as ZMap's tcp_synscan sends them (windows: MSS, window scale 8, SACK permitted, 66-byte frame; linux: MSS, SACK permitted, timestamps, window scale 7, 74 bytes; bsd: MSS, window scale 6, timestamps, SACK permitted, 78 bytes; smallest-probes: MSS only, 58 bytes). The reply's MSS, window scale (as the multiplier 2^shift), SACK permitted and timestamp options are reported in the tcpopt_* fields, null when absent. ZMap's name tcp_synscan is accepted."
    public let core: TCPSynCore

    public init(settings: ProbeSettings) throws { core = try TCPSynCore(family: .v4, settings: settings, module: Self.name) }
    public var pcapFilter: String { "ip && tcp && (tcp[13] & 4 != 0 || tcp[13] == 18)" }
    public var snaplen: Int { EthernetHeader.length + 20 + 20 + 40 }
}

/// `tcp_syn` for IPv6.
public struct TCPSynProbe6: CoreBackedProbe {
    public static let name = "tcp_syn"
    public static let family = IPFamily.v6
    public static let usesPorts = true
    public static let helpText = TCPSynProbe4.helpText
    public let core: TCPSynCore

    public init(settings: ProbeSettings) throws { core = try TCPSynCore(family: .v6, settings: settings, module: Self.name) }
    public var pcapFilter: String { "ip6 proto 6 && (ip6[53] & 4 != 0 || ip6[53] == 18)" }
    public var snaplen: Int { EthernetHeader.length + 40 + 20 + 40 }
}
