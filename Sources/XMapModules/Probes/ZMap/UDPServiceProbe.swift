import XMapCore

/// An application protocol that ZMap probes over UDP (`ntp`, `upnp`, `bacnet`): the request it
/// sends and how it reads the answer. The transport (ports from the validation block, the
/// checksum, ICMP errors quoting the probe) is `UDPServiceCore`'s.
public protocol UDPService: Sendable {
    /// The service's fields; the transport sets the ones every ZMap UDP module has.
    associatedtype Field: ZMapTransportFields
    /// The `-M` name.
    static var name: String { get }
    static var helpText: String { get }

    /// Parses `--probe-args`. - Throws: `XMapError` for arguments the service does not take.
    init(settings: ProbeSettings) throws
    /// The request, as the template holds it.
    var request: [UInt8] { get }
    /// Sets the per-probe bytes of the request at `payload` (e.g. BACnet's invoke ID).
    func patch(_ payload: UnsafeMutableRawPointer, validation: AESBlock)
    /// Whether a UDP reply with this payload answers the request (the ports already matched).
    func accepts(_ payload: ReplyPacket) -> Bool
    /// Sets `classification`, `success` and the service's own fields for a UDP reply.
    func record(_ payload: ReplyPacket, into r: inout Record)
}

extension UDPService {
    public func patch(_ payload: UnsafeMutableRawPointer, validation: AESBlock) {}
    public func accepts(_ payload: ReplyPacket) -> Bool { true }
}

/// The UDP transport of a `UDPService`, IPv4 and IPv6: one request per probe to the target
/// port, the source port from the validation block, the checksum computed (mandatory over
/// IPv6). A reply must come from the target port to one of our source ports for that target
/// (ZMap's default source-port validation); an ICMP error quoting the probe is a failure
/// reported for the probed address.
public struct UDPServiceCore<S: UDPService>: ProbeCore {
    public typealias Fields = S.Field
    public let family: IPFamily
    public let ttl: UInt8
    /// Whether datagrams carry a UDP checksum (`ProbeSettings.udpChecksums`).
    public let udpChecksums: Bool
    public let sourcePorts: SourcePortRange
    public let service: S
    @usableFromInline let udpLength: Int

    public init(family: IPFamily, settings: ProbeSettings) throws {
        self.family = family
        ttl = settings.ttl
        udpChecksums = settings.udpChecksums || family == .v6
        sourcePorts = settings.sourcePorts
        service = try S(settings: settings)
        udpLength = 8 + service.request.count
    }

    @usableFromInline var udpOffset: Int { FrameLayout.ipHeader(family) }
    public var packetLength: Int { udpOffset + udpLength }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        if family == .v4 {
            FrameLayout.writeIPv4(w, at: 0, protocol: IPProtocol.udp, payloadLength: udpLength, ttl: ttl)
        } else {
            FrameLayout.writeIPv6(w, at: 0, nextHeader: IPProtocol.udp, payloadLength: udpLength, hopLimit: ttl)
        }
        w.u16(udpOffset + 4, UInt16(udpLength))
        service.request.withUnsafeBytes { (buffer + udpOffset + 8).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    @inlinable @inline(__always)
    public func makePacket(into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
                           validation v: AESBlock, thread: inout Void) -> Int {
        let w = PacketWriter(buffer)
        let o = udpOffset
        FrameLayout.finishIP(w, at: 0, family: family, src: source, dst: target.address, ttl: ttl)
        w.u16(o, ValidationValues.sourcePort(v, probe: probe, range: sourcePorts))
        w.u16(o + 2, target.port)
        w.u16(o + 6, 0)
        service.patch(buffer + o + 8, validation: v)
        if udpChecksums { FrameLayout.setUDPChecksum(buffer + o, length: udpLength, family: family, src: source, dst: target.address) }
        return o + udpLength
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        DryRunFormat.ip(f, at: 0, family: family) + DryRunFormat.udp(f, at: udpOffset)
    }

    /// The UDP payload of reply `p`: bounded by the UDP length and by the capture.
    static func payload(_ p: ReplyPacket, udpAt o: Int) -> ReplyPacket? {
        guard let length = p.u16(o + 4), length >= 8 else { return nil }
        let end = min(o + Int(length), p.count)
        guard o + 8 <= end else { return nil }
        return ReplyPacket(UnsafeRawBufferPointer(rebasing: p.bytes[(o + 8)..<end]))
    }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> ValidReply? {
        let o = h.payloadOffset
        if h.proto == IPProtocol.udp {
            guard let sport = p.u16(o), let dport = p.u16(o + 2), c.targetPorts.contains(sport),
                  let payload = Self.payload(p, udpAt: o) else { return nil }
            let v = c.validator.block(src: h.destination, dst: h.source, port: sport)
            guard c.isOurSourcePort(dport, v), service.accepts(payload) else { return nil }
            return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(sport)), reportedSource: h.source)
        }
        guard let q = ICMPErrorQuote(p, header: h, family: family, proto: IPProtocol.udp, transportBytes: 8),
              let ports = q.ports, c.targetPorts.contains(ports.destination) else { return nil }
        let v = c.validator.block(src: q.inner.source, dst: q.inner.destination, port: ports.destination)
        guard c.isOurSourcePort(ports.source, v) else { return nil }
        return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(ports.destination)),
                          reportedSource: q.inner.destination)
    }

    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        typealias F = S.Field
        let o = h.payloadOffset
        if h.proto == IPProtocol.udp {
            r[F.sport] = .int(UInt64(p.u16(o) ?? 0))
            r[F.dport] = .int(UInt64(p.u16(o + 2) ?? 0))
            if let payload = Self.payload(p, udpAt: o) { service.record(payload, into: &r) }
            return
        }
        guard let q = ICMPErrorQuote(p, header: h, family: family, proto: IPProtocol.udp, transportBytes: 8) else { return }
        r[F.classification] = .string("icmp")
        r[F.success] = .bool(false)
        ZMapICMPFields.fill(&r, F.self, responder: h.source, type: q.type, code: q.code, family: family)
    }
}

/// Names a `UDPService` for one address family (one catalog entry each).
public protocol UDPServiceVariant: Sendable {
    associatedtype Service: UDPService
    static var family: IPFamily { get }
}

/// A ZMap UDP service module for one family.
public struct UDPServiceProbe<V: UDPServiceVariant>: CoreBackedProbe {
    public static var name: String { V.Service.name }
    public static var family: IPFamily { V.family }
    public static var usesPorts: Bool { true }
    public static var helpText: String { V.Service.helpText }
    public let core: UDPServiceCore<V.Service>

    public init(settings: ProbeSettings) throws { core = try UDPServiceCore(family: V.family, settings: settings) }
    public var pcapFilter: String { V.family == .v4 ? "udp || icmp" : "ip6 proto 17 || icmp6" }
    public var snaplen: Int { 2048 }
}

public enum NTP4: UDPServiceVariant { public typealias Service = NTPService; public static let family = IPFamily.v4 }
public enum NTP6: UDPServiceVariant { public typealias Service = NTPService; public static let family = IPFamily.v6 }
public enum UPnP4: UDPServiceVariant { public typealias Service = UPnPService; public static let family = IPFamily.v4 }
public enum UPnP6: UDPServiceVariant { public typealias Service = UPnPService; public static let family = IPFamily.v6 }
public enum BACnet4: UDPServiceVariant { public typealias Service = BACnetService; public static let family = IPFamily.v4 }
public enum BACnet6: UDPServiceVariant { public typealias Service = BACnetService; public static let family = IPFamily.v6 }
