import XMapCore

/// An application protocol that ZMap probes over UDP (`ntp`, `upnp`, `bacnet`): the request it
/// sends and how it reads the answer. The transport (ports from the validation block, the
/// checksum, ICMP errors quoting the probe) is `UDPServiceProbe`'s.
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

/// A ZMap UDP service module (`UDPServiceProbe<NTPService>` is `ntp`), IPv4 and IPv6: one
/// request per probe over `UDPTransport`, and the service's reading of the answer. ZMap's
/// default source-port validation applies; an ICMP error quoting the probe is a failure
/// reported for the probed address.
public struct UDPServiceProbe<S: UDPService>: Probe {
    public typealias Fields = S.Field
    public static var name: String { S.name }
    public static var usesPorts: Bool { true }
    public static func helpText(for family: IPFamily) -> String { S.helpText }

    /// Ports, addresses and checksum.
    public let transport: UDPTransport
    /// The application protocol.
    public let service: S
    @usableFromInline let udpLength: Int

    public var family: IPFamily { transport.family }

    public init(family: IPFamily, settings: ProbeSettings) throws {
        transport = UDPTransport(family: family, settings: settings)
        service = try S(settings: settings)
        udpLength = 8 + service.request.count
    }

    public var packetLength: Int { transport.offset + udpLength }
    public var pcapFilter: String { family == .v4 ? "udp || icmp" : "ip6 proto 17 || icmp6" }
    public var snaplen: Int { 2048 }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        transport.writeTemplate(
            into: buffer, packetLength: packetLength, udpLength: udpLength,
            payload: service.request)
    }

    @inlinable @inline(__always)
    public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation v: AESBlock, thread: inout Void
    ) -> Int {
        service.patch(buffer + transport.offset + 8, validation: v)
        return transport.finish(
            buffer, source: source, destination: target.address,
            sourcePort: transport.sourcePort(v, probe: probe), destinationPort: target.port,
            udpLength: udpLength)
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String { transport.describe(packet: f) }

    /// Inlinable (and `record`), so the engine's receive loop calls the service without
    /// generic dispatch.
    @inlinable
    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> ValidReply? {
        if h.proto == IPProtocol.udp {
            guard let payload = UDPTransport.payload(p, udpAt: h.payloadOffset), service.accepts(payload),
                let reply = transport.reply(p, header: h, context: c)
            else { return nil }
            return ValidReply(
                repeatKey: RepeatKey(address: h.source, extra: UInt32(reply.targetPort)),
                reportedSource: h.source)
        }
        guard let error = transport.quotedProbe(p, header: h, context: c) else { return nil }
        return error.quote.reply(extra: UInt32(error.targetPort))
    }

    @inlinable
    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        typealias F = S.Field
        let o = h.payloadOffset
        if h.proto == IPProtocol.udp {
            r[F.sport] = .int(UInt64(p.u16(o) ?? 0))
            r[F.dport] = .int(UInt64(p.u16(o + 2) ?? 0))
            if let payload = UDPTransport.payload(p, udpAt: o) { service.record(payload, into: &r) }
            return
        }
        guard let q = ICMPErrorQuote(p, header: h, family: family, proto: IPProtocol.udp, transportBytes: 8) else {
            return
        }
        q.recordFailure(into: &r, F.self, classification: "icmp")
    }
}
