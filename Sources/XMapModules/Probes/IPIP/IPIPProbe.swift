import XMapCore

/// `ipip` (ZMap's module, IPv4 only): an IP-in-IP packet (RFC 2003) to the target whose inner
/// packet is a UDP datagram from the target back to the scanner. A host that decapsulates
/// IP-in-IP from anyone forwards the inner datagram, and it arrives here as UDP from the
/// target's address; a host that does not answers with ICMP protocol unreachable.
public struct IPIPProbe: Probe {
    public static let name = "ipip"
    /// IP-in-IP is an IPv4 encapsulation.
    public static let families = [IPFamily.v4]
    public static let usesPorts = true

    public let ttl: UInt8
    /// Whether datagrams carry a UDP checksum (`ProbeSettings.udpChecksums`).
    public let udpChecksums: Bool
    public let sourcePorts: SourcePortRange
    public let payload: [UInt8]

    /// ZMap's default inner payload.
    public static let defaultPayload = Array("GET / HTTP/1.1\r\nHost: www\r\n\r\n".utf8)

    public init(family: IPFamily, settings: ProbeSettings) throws {
        ttl = settings.ttl
        udpChecksums = settings.udpChecksums
        sourcePorts = settings.sourcePorts
        payload = try PayloadArgument.parse(
            settings.probeArgs, defaultPayload: Self.defaultPayload, limit: 1500 - 48,
            module: "IPIP", files: settings.files)
    }

    @usableFromInline var udpLength: Int { 8 + payload.count }
    public var packetLength: Int { 40 + udpLength }
    public var pcapFilter: String { "udp || icmp" }
    public var snaplen: Int { 1500 }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        FrameLayout.writeIPv4(w, at: 0, protocol: IPProtocol.ipip, payloadLength: 20 + udpLength, ttl: ttl)
        FrameLayout.writeIPv4(w, at: 20, protocol: IPProtocol.udp, payloadLength: udpLength, ttl: ttl)
        w.u16(44, UInt16(udpLength))
        payload.withUnsafeBytes { (buffer + 48).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    @inlinable @inline(__always)
    public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation v: AESBlock, thread: inout Void
    ) -> Int {
        let w = PacketWriter(buffer)
        // The inner datagram goes from the target back to us.
        FrameLayout.finishIP(w, at: 20, family: .v4, src: target.address, dst: source, ttl: ttl)
        w.u16(40, ValidationValues.sourcePort(v, probe: probe, range: sourcePorts))
        w.u16(42, target.port)
        w.u16(46, 0)
        if udpChecksums {
            FrameLayout.setUDPChecksum(buffer + 40, length: udpLength, family: .v4, src: target.address, dst: source)
        }
        FrameLayout.finishIP(w, at: 0, family: .v4, src: source, dst: target.address, ttl: ttl)
        return 40 + udpLength
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        DryRunFormat.ip(f, at: 0, family: .v4) + DryRunFormat.ip(f, at: 20, family: .v4) + DryRunFormat.udp(f, at: 40)
    }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> ValidReply? {
        let o = h.payloadOffset
        if h.proto == IPProtocol.udp {
            // The decapsulated datagram: from the target, from our source port to the target port.
            guard let sport = p.u16(o), let dport = p.u16(o + 2), p.u16(o + 4) != nil,
                c.validation(ourPort: sport, targetPort: dport, source: h.destination, target: h.source) != nil
            else { return nil }
            return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(dport)), reportedSource: h.source)
        }
        guard let q = quote(p, header: h), let ports = q.ports,
            c.validation(
                ourPort: ports.source, targetPort: ports.destination, source: q.outer.inner.source,
                target: q.outer.inner.destination) != nil
        else { return nil }
        return q.outer.reply(extra: UInt32(ports.destination))
    }

    /// An ICMP error quoting one of our packets: the outer header (to the target) and the inner
    /// one (from the target back to us) with the first 4 bytes of its UDP header.
    struct Quote {
        let outer: ICMPErrorQuote
        let ports: (source: UInt16, destination: UInt16)?
    }

    func quote(_ p: ReplyPacket, header h: IPHeaderView) -> Quote? {
        guard let q = ICMPErrorQuote(p, header: h, family: .v4, proto: IPProtocol.ipip, transportBytes: 20),
            let innerPacket = q.quoted.sub(from: q.inner.payloadOffset),
            let inner = IPHeaderView(innerPacket, family: .v4, quoted: true), inner.proto == IPProtocol.udp,
            inner.source == q.inner.destination, inner.destination == q.inner.source,
            let sport = innerPacket.u16(inner.payloadOffset), let dport = innerPacket.u16(inner.payloadOffset + 2)
        else { return nil }
        return Quote(outer: q, ports: (sport, dport))
    }

    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        let o = h.payloadOffset
        if h.proto == IPProtocol.udp {
            let length = Int(p.u16(o + 4) ?? 0)
            r[Field.classification] = .string("udp")
            r[Field.success] = .bool(true)
            r[Field.sport] = .int(UInt64(p.u16(o) ?? 0))
            r[Field.dport] = .int(UInt64(p.u16(o + 2) ?? 0))
            r[Field.udpPacketSize] = .int(UInt64(length))
            let data = length > 8 ? p.slice(from: o + 8, to: o + length) : []
            r[Field.data] = data.isEmpty ? .null : .binary(data)
            return
        }
        guard let q = quote(p, header: h) else { return }
        q.outer.recordFailure(
            into: &r, Field.self,
            classification: q.outer.type == ICMPType.unreachable ? "icmp-unreach" : "icmp")
    }

    public typealias Fields = Field

    /// ZMap's `ipip` fields, in its order.
    public enum Field: Int, ZMapTransportFields {
        case classification, success, sport, dport, icmpResponder, icmpType, icmpCode, icmpUnreachString
        case udpPacketSize, data

        public var definition: FieldDefinition {
            switch self {
            case .classification, .success, .sport, .dport, .icmpResponder, .icmpType, .icmpCode,
                .icmpUnreachString:
                sharedDefinition
            case .udpPacketSize: FieldDefinition("udp_pkt_size", .int, "UDP packet length")
            case .data: FieldDefinition("data", .binary, "UDP payload")
            }
        }
    }

    public static func helpText(for family: IPFamily) -> String {
        """
        Probe module that sends IP-in-IP packets (RFC 2003) to hosts, as ZMap's ipip: the outer packet goes to \
        the target, the inner one is a UDP datagram from the target's address to this host, from the source \
        port to the target port (-p). A host that decapsulates IP-in-IP from anyone forwards it, and it comes \
        back as UDP: classification udp (success). A host without IP-in-IP answers with ICMP protocol \
        unreachable: icmp-unreach (failure; saddr is the probed address). IPv4 only. The inner payload is \
        "GET / HTTP/1.1\\r\\nHost: www\\r\\n\\r\\n" unless --probe-args=text:STRING, hex:0102... or \
        file:/path gives another.
        """
    }
}
