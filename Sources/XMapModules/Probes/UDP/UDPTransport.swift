import XMapCore

/// The UDP transport every UDP module shares (`udp`, the ZMap UDP services, the DNS modules):
/// one datagram per probe to the target port, the source port from the validation block, the
/// checksum computed unless ZMap's IPv4 convention leaves it out (always over IPv6). A reply
/// must come from a target port to one of our source ports for that target; an ICMP error
/// must quote such a probe (`ICMPErrorQuote`).
public struct UDPTransport: Sendable {
    /// The IP packet's family.
    public let family: IPFamily
    /// TTL / hop limit of every probe (`--probe-ttl`).
    public let ttl: UInt8
    /// Whether datagrams carry a UDP checksum (`ProbeSettings.udpChecksums`; always over IPv6).
    public let udpChecksums: Bool
    /// Source ports (`-s`).
    public let sourcePorts: SourcePortRange

    /// The transport of a module built from `settings` (TTL, checksums, source ports) for `family`.
    public init(family: IPFamily, settings: ProbeSettings) {
        self.family = family
        ttl = settings.ttl
        udpChecksums = settings.udpChecksums || family == .v6
        sourcePorts = settings.sourcePorts
    }

    /// Where the UDP header starts.
    @inlinable public var offset: Int { FrameLayout.ipHeader(family) }

    /// Writes the template of a packet of `packetLength` bytes: zeros, the IP header and the UDP
    /// length for a datagram of `udpLength` bytes, and `payload` after the UDP header.
    public func writeTemplate(
        into buffer: UnsafeMutableRawPointer, packetLength: Int, udpLength: Int,
        payload: [UInt8] = []
    ) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        FrameLayout.writeIP(w, family: family, protocol: IPProtocol.udp, payloadLength: udpLength, ttl: ttl)
        w.u16(offset + 4, UInt16(udpLength))
        payload.withUnsafeBytes { p in
            if let base = p.baseAddress { (buffer + offset + 8).copyMemory(from: base, byteCount: p.count) }
        }
    }

    /// The source port of probe `probe` to the target with validation block `v`.
    @inlinable public func sourcePort(_ v: AESBlock, probe: Int) -> UInt16 {
        ValidationValues.sourcePort(v, probe: probe, range: sourcePorts)
    }

    /// Sets the UDP and IP length fields of a datagram whose length varies per packet (before
    /// `finish`, which checksums the IPv4 header).
    @inlinable public func setLengths(_ buffer: UnsafeMutableRawPointer, udpLength: Int) {
        let w = PacketWriter(buffer)
        w.u16(offset + 4, UInt16(udpLength))
        if family == .v4 { w.u16(2, UInt16(20 + udpLength)) } else { w.u16(4, UInt16(udpLength)) }
    }

    /// Writes one datagram's addresses, hop limit, ports and checksum; returns the packet's
    /// length. The payload and lengths must already be in place. `checksum` overrides
    /// `udpChecksums` (the DNS follow-ups always carry one).
    @inlinable @inline(__always)
    public func finish(
        _ buffer: UnsafeMutableRawPointer, source: UInt128, destination: UInt128, sourcePort: UInt16,
        destinationPort: UInt16, udpLength: Int, checksum: Bool? = nil
    ) -> Int {
        let w = PacketWriter(buffer)
        let o = offset
        FrameLayout.finishIP(w, at: 0, family: family, src: source, dst: destination, ttl: ttl)
        w.u16(o, sourcePort)
        w.u16(o + 2, destinationPort)
        w.u16(o + 6, 0)
        if checksum ?? udpChecksums {
            FrameLayout.setUDPChecksum(buffer + o, length: udpLength, family: family, src: source, dst: destination)
        }
        return o + udpLength
    }

    /// XMap's dry-run description: the IP and UDP blocks.
    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        DryRunFormat.ip(f, at: 0, family: family) + DryRunFormat.udp(f, at: offset)
    }

    /// A UDP reply from one of the scan's ports to the source port we use for that target: the
    /// target port and the validation block, or nil. The module checks the payload.
    @inlinable public func reply(
        _ p: ReplyPacket, header h: IPHeaderView,
        context c: ReplyContext
    ) -> (targetPort: UInt16, validation: AESBlock)? {
        c.probe(answeredBy: p, header: h, proto: IPProtocol.udp)
    }

    /// The UDP payload of a reply: bounded by the UDP length and by the capture; nil when the
    /// header is incomplete or its length is below 8.
    @inlinable public static func payload(_ p: ReplyPacket, udpAt o: Int) -> ReplyPacket? {
        guard let length = p.u16(o + 4), length >= 8 else { return nil }
        let end = min(o + Int(length), p.count)
        guard o + 8 <= end else { return nil }
        return ReplyPacket(UnsafeRawBufferPointer(rebasing: p.bytes[(o + 8)..<end]))
    }

    /// An ICMP error quoting one of our datagrams with at least `transportBytes` of its UDP
    /// header: the quote, the probe's target port and validation block, or nil.
    @inlinable public func quotedProbe(
        _ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext,
        transportBytes: Int = 8
    )
        -> (quote: ICMPErrorQuote, targetPort: UInt16, validation: AESBlock)?
    {
        guard
            let q = ICMPErrorQuote(
                p, header: h, family: family, proto: IPProtocol.udp,
                transportBytes: transportBytes),
            let probe = q.probe(c)
        else { return nil }
        return (q, probe.targetPort, probe.validation)
    }
}
