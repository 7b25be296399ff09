import XMapCore

/// TCP SYN probes (`tcp_syn`), IPv4 and IPv6: a bare 20-byte SYN, window 65535, sequence number
/// and source port derived from the validation block. SYN-ACK is a success, RST a failure.
public struct TCPSynCore: ProbeCore {
    public let family: IPFamily
    public let settings: ProbeSettings

    public init(family: IPFamily, settings: ProbeSettings) throws {
        self.family = family
        self.settings = settings
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
        if flags & 0x04 != 0 {
            guard ack == seq || ack == seq &+ 1 else { return nil }
        } else {
            guard flags & 0x12 == 0x12, ack == seq &+ 1 else { return nil }
        }
        return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(sport)), reportedSource: h.source)
    }

    public func fieldValues(_ p: ReplyPacket, header h: IPHeaderView) -> [FieldValue] {
        let o = h.payloadOffset
        let rst = (p.u8(o + 13) ?? 0) & 0x04 != 0
        return [.int(UInt64(p.u16(o) ?? 0)), .int(UInt64(p.u16(o + 2) ?? 0)), .int(UInt64(p.u32(o + 4) ?? 0)),
                .int(UInt64(p.u32(o + 8) ?? 0)), .int(UInt64(p.u16(o + 14) ?? 0)),
                .string(rst ? "rst" : "synack"), .bool(!rst)]
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
