import XMapCore

/// The echo request every ICMP echo module sends (`icmp_echo` and its variants,
/// `icmp_echo_time`), and the replies that answer one: an echo reply with our identifier and
/// sequence number, or an ICMP error quoting such a request. Identifier and sequence number come
/// from the validation block.
public struct ICMPEchoRequest: Sendable {
    /// The family: ICMP or ICMPv6.
    public let family: IPFamily
    /// TTL / hop limit (`--probe-ttl`).
    public let ttl: UInt8
    /// The message's length: the 8-byte header and the payload.
    public let length: Int

    /// A request of `family` with `payloadLength` bytes after its 8-byte header.
    public init(family: IPFamily, ttl: UInt8, payloadLength: Int) {
        self.family = family
        self.ttl = ttl
        length = 8 + payloadLength
    }

    /// Where the ICMP message starts.
    @inlinable public var offset: Int { FrameLayout.ipHeader(family) }
    /// The whole packet's length.
    public var packetLength: Int { offset + length }

    /// The capture filter of the echo modules: every ICMP message but our own requests (IPv4);
    /// echo replies and the four error types (IPv6).
    public var pcapFilter: String {
        family == .v4
            ? "icmp and icmp[0]!=8"
            : "icmp6 && (ip6[40] == 129 || ip6[40] == 3 || ip6[40] == 1 || ip6[40] == 2 || ip6[40] == 4)"
    }

    /// Writes the template: the IP header, the type, and `payload` when it is the same in every
    /// packet.
    public func writeTemplate(into buffer: UnsafeMutableRawPointer, payload: [UInt8] = []) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        FrameLayout.writeIP(w, family: family, protocol: family.icmpProtocol, payloadLength: length, ttl: ttl)
        w.u8(offset, family.echoRequestType)
        payload.withUnsafeBytes { p in
            if let base = p.baseAddress { (buffer + offset + 8).copyMemory(from: base, byteCount: p.count) }
        }
    }

    /// Writes one request's addresses, hop limit, identifier and sequence number; the payload
    /// may change after this, then `finish` sets the checksum.
    @inlinable @inline(__always)
    public func start(
        _ buffer: UnsafeMutableRawPointer, source: UInt128, destination: UInt128, ttl: UInt8,
        validation v: AESBlock
    ) {
        let w = PacketWriter(buffer)
        FrameLayout.finishIP(w, at: 0, family: family, src: source, dst: destination, ttl: ttl)
        w.u16(offset + 2, 0)
        w.u16(offset + 4, ValidationValues.icmpIdentifier(v))
        w.u16(offset + 6, ValidationValues.icmpSequence(v))
    }

    /// Sets the checksum of a request `start` began; returns the packet's length.
    @inlinable @inline(__always)
    public func finish(_ buffer: UnsafeMutableRawPointer, source: UInt128, destination: UInt128) -> Int {
        let sum = FrameLayout.icmpChecksum(
            buffer + offset, length: length, family: family, src: source,
            dst: destination)
        PacketWriter(buffer).u16(offset + 2, sum)
        return offset + length
    }

    /// XMap's dry-run description: the IP and ICMP echo blocks.
    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        DryRunFormat.ip(f, at: 0, family: family)
            + DryRunFormat.icmpEcho(f, at: offset, title: family == .v4 ? "ICMP" : "ICMPv6")
    }

    /// What answers one of our requests.
    public enum Answer {
        /// An echo reply carrying our identifier and sequence number.
        case reply
        /// An ICMP error quoting one of our requests.
        case error(ICMPErrorQuote)
    }

    /// Whether `p` answers one of our requests, and how; nil if not.
    @inlinable public func answer(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> Answer? {
        guard h.proto == family.icmpProtocol else { return nil }
        let o = h.payloadOffset
        guard let type = p.u8(o) else { return nil }
        if type == family.echoReplyType {
            guard let id = p.u16(o + 4), let seq = p.u16(o + 6) else { return nil }
            return Self.isOurs(id, seq, c.validator.block(src: h.destination, dst: h.source, port: 0)) ? .reply : nil
        }
        guard let q = ICMPErrorQuote(p, header: h, family: family, proto: family.icmpProtocol, transportBytes: 8),
            q.quoted.u8(q.inner.payloadOffset) == family.echoRequestType,
            let id = q.quoted.u16(q.inner.payloadOffset + 4), let seq = q.quoted.u16(q.inner.payloadOffset + 6)
        else { return nil }
        return Self.isOurs(id, seq, c.validator.block(src: q.inner.source, dst: q.inner.destination, port: 0))
            ? .error(q) : nil
    }

    /// Whether identifier `id` and sequence number `seq` are those of validation block `v`.
    @inlinable static func isOurs(_ id: UInt16, _ seq: UInt16, _ v: AESBlock) -> Bool {
        id == ValidationValues.icmpIdentifier(v) && seq == ValidationValues.icmpSequence(v)
    }
}
