import XMapCore

/// TCP SYN probes (`tcp_syn`), IPv4 and IPv6: a bare 20-byte SYN, window 65535, sequence number
/// and source port derived from the validation block. SYN-ACK is a success, RST a failure.
public struct TCPSynCore: ProbeCore {
    public let family: IPFamily
    public let settings: ProbeSettings
    /// `tcp_scan`: accept every ACK-bearing reply to our SYN (SYN-ACK, ACK, FIN-ACK, RST-ACK),
    /// tell them apart in the repeat key by their sequence number, and close connections.
    public let stateful: Bool

    public init(family: IPFamily, settings: ProbeSettings, stateful: Bool = false) throws {
        self.family = family
        self.settings = settings
        self.stateful = stateful
        if let a = settings.probeArgs, !a.isEmpty {
            throw XMapError("the tcp_syn module takes no --probe-args (got '\(a)')")
        }
    }

    @usableFromInline var ipOffset: Int { FrameLayout.ethernet }
    @usableFromInline var tcpOffset: Int { FrameLayout.ethernet + FrameLayout.ipHeader(family) }
    public var packetLength: Int { tcpOffset + 20 }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        FrameLayout.writeEthernet(w, source: settings.sourceMAC, destination: settings.gatewayMAC, family: family)
        if family == .v4 {
            FrameLayout.writeIPv4(w, at: ipOffset, protocol: 6, payloadLength: 20, ttl: settings.ttl)
        } else {
            FrameLayout.writeIPv6(w, at: ipOffset, nextHeader: 6, payloadLength: 20, hopLimit: settings.ttl)
        }
        w.u8(tcpOffset + 12, 5 << 4)
        w.u8(tcpOffset + 13, 0x02)
        w.u16(tcpOffset + 14, 65535)
    }

    @inlinable @inline(__always)
    public func makePacket(into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int, validation v: AESBlock) -> Int {
        let w = PacketWriter(buffer)
        let o = tcpOffset
        FrameLayout.finishIP(w, at: ipOffset, family: family, src: source, dst: target.address, ttl: settings.ttl)
        w.u16(o, ValidationValues.sourcePort(v, probe: probe, range: settings.sourcePorts))
        w.u16(o + 2, target.port)
        w.u32(o + 4, ValidationValues.tcpSequence(v))
        w.u16(o + 16, 0)
        let sum = Checksum.add(UnsafeRawPointer(buffer + o), count: 20,
                               to: FrameLayout.pseudoHeaderSum(family: family, src: source, dst: target.address, proto: 6, length: 20))
        w.u16(o + 16, Checksum.finish(sum))
        return o + 20
    }

    public func describe(frame f: UnsafeRawBufferPointer) -> String {
        DryRunFormat.ethernet(f) + DryRunFormat.ip(f, at: ipOffset, family: family) + DryRunFormat.tcp(f, at: tcpOffset)
    }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> ValidReply? {
        guard h.proto == 6 else { return nil }
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
            guard flags & 0x10 != 0 else { return nil }
            if flags & 0x04 != 0 {
                guard ack == seq || ack == seq &+ 1 else { return nil }
            } else {
                guard (1...3).contains(ack &- seq) else { return nil }
            }
            let theirs = UInt32(p.u8(o + 7) ?? 0)   // low byte of their sequence number
            return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(sport) | theirs << 16),
                              reportedSource: h.source)
        }
        if flags & 0x04 != 0 {
            guard ack == seq || ack == seq &+ 1 else { return nil }
        } else {
            guard flags & 0x12 == 0x12, ack == seq &+ 1 else { return nil }
        }
        return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(sport)), reportedSource: h.source)
    }

    /// `tcp_scan`'s answers: FIN-ACK to a SYN-ACK, ACK to a FIN-ACK (our seq = their ack, our
    /// ack = their seq + 1, ports and addresses swapped).
    public func followUp(_ p: ReplyPacket, header h: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int {
        let o = h.payloadOffset
        guard stateful, let sport = p.u16(o), let dport = p.u16(o + 2), let theirSeq = p.u32(o + 4),
              let theirAck = p.u32(o + 8), let flags = p.u8(o + 13), flags & 0x04 == 0 else { return 0 }
        let answer: UInt8
        if flags & 0x12 == 0x12 { answer = 0x11 } else if flags & 0x11 == 0x11 { answer = 0x10 } else { return 0 }
        let w = PacketWriter(buffer)
        let t = tcpOffset
        FrameLayout.finishIP(w, at: ipOffset, family: family, src: h.destination, dst: h.source, ttl: settings.ttl)
        w.u16(t, dport)
        w.u16(t + 2, sport)
        w.u32(t + 4, theirAck)
        w.u32(t + 8, theirSeq &+ 1)
        w.u8(t + 13, answer)
        w.u16(t + 16, 0)
        let sum = Checksum.add(UnsafeRawPointer(buffer + t), count: 20,
                               to: FrameLayout.pseudoHeaderSum(family: family, src: h.destination, dst: h.source,
                                                               proto: 6, length: 20))
        w.u16(t + 16, Checksum.finish(sum))
        return t + 20
    }

    public func fieldValues(_ p: ReplyPacket, header h: IPHeaderView) -> [FieldValue] {
        let o = h.payloadOffset
        let flags = p.u8(o + 13) ?? 0
        let clas: String
        if flags & 0x04 != 0 { clas = "rst" }
        else if !stateful || flags & 0x12 == 0x12 { clas = "synack" }
        else if flags & 0x11 == 0x11 { clas = "finack" }
        else if flags & 0x10 != 0 { clas = "ack" }
        else { clas = "other" }
        return [.int(UInt64(p.u16(o) ?? 0)), .int(UInt64(p.u16(o + 2) ?? 0)), .int(UInt64(p.u32(o + 4) ?? 0)),
                .int(UInt64(p.u32(o + 8) ?? 0)), .int(UInt64(p.u16(o + 14) ?? 0)),
                .string(clas), .bool(clas != "rst" && clas != "other")]
    }

    public static let fields: [FieldDefinition] = [
        FieldDefinition("sport", .int, "TCP source port"),
        FieldDefinition("dport", .int, "TCP destination port"),
        FieldDefinition("seqnum", .int, "TCP sequence number"),
        FieldDefinition("acknum", .int, "TCP acknowledgement number"),
        FieldDefinition("window", .int, "TCP window size"),
        FieldDefinition("clas", .string, "packet classification"),
        FieldDefinition("success", .bool, "is response considered success"),
    ]
}

/// `tcp_syn` for IPv4.
public struct TCPSynProbe4: CoreBackedProbe {
    public static let name = "tcp_syn"
    public static let family = IPFamily.v4
    public static let usesPorts = true
    public static let helpText = "Probe module that sends a TCP SYN packet to a specific port. Possible classifications are: synack and rst. A SYN-ACK packet is considered a success and a reset packet is considered a failed response."
    public static var fields: [FieldDefinition] { TCPSynCore.fields }
    public let core: TCPSynCore

    public init(settings: ProbeSettings) throws { core = try TCPSynCore(family: .v4, settings: settings) }
    public var pcapFilter: String { "ip && tcp && (tcp[13] & 4 != 0 || tcp[13] == 18)" }
    public var snaplen: Int { 14 + 20 + 20 + 40 }
}

/// `tcp_syn` for IPv6.
public struct TCPSynProbe6: CoreBackedProbe {
    public static let name = "tcp_syn"
    public static let family = IPFamily.v6
    public static let usesPorts = true
    public static let helpText = TCPSynProbe4.helpText
    public static var fields: [FieldDefinition] { TCPSynCore.fields }
    public let core: TCPSynCore

    public init(settings: ProbeSettings) throws { core = try TCPSynCore(family: .v6, settings: settings) }
    public var pcapFilter: String { "ip6 proto 6 && (ip6[53] & 4 != 0 || ip6[53] == 18)" }
    public var snaplen: Int { 14 + 40 + 20 + 40 }
}

/// `tcp_scan` (IPv4 only): the same SYN as `tcp_syn`, but it follows the connection: a SYN-ACK
/// is answered with a FIN-ACK and a FIN-ACK with an ACK, and SYN-ACK, ACK and FIN-ACK replies
/// are all results (`synack`, `ack`, `finack`; RST-ACK is `rst`).
public struct TCPScanProbe4: CoreBackedProbe {
    public static let name = "tcp_scan"
    public static let family = IPFamily.v4
    public static let usesPorts = true
    public static let sendsFollowUps = true
    public static let helpText = "Probe module that sends a TCP SYN packet to a specific port and closes the connection it opens: a SYN-ACK is answered with a FIN-ACK and the peer's FIN-ACK with an ACK. Possible classifications are: synack, ack, finack and rst."
    public static var fields: [FieldDefinition] { TCPSynCore.fields }
    public let core: TCPSynCore

    public init(settings: ProbeSettings) throws { core = try TCPSynCore(family: .v4, settings: settings, stateful: true) }
    public var pcapFilter: String { "ip && tcp" }
    public var snaplen: Int { 14 + 60 + 60 }
    public func followUp(_ p: ReplyPacket, header h: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int {
        core.followUp(p, header: h, into: buffer)
    }
}
