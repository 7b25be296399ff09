/// A received IP packet (starting at the IP header) with bounds-checked accessors.
/// Replies come from the network and are attacker-controlled: every read is checked, and an
/// out-of-range read returns nil rather than trapping.
public struct ReplyPacket {
    public let bytes: UnsafeRawBufferPointer

    @inlinable public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inlinable public var count: Int { bytes.count }

    @inlinable public func u8(_ off: Int) -> UInt8? {
        off >= 0 && off < bytes.count ? bytes[off] : nil
    }

    @inlinable public func u16(_ off: Int) -> UInt16? {
        guard off >= 0, off + 2 <= bytes.count else { return nil }
        return UInt16(bytes[off]) << 8 | UInt16(bytes[off + 1])
    }

    @inlinable public func u32(_ off: Int) -> UInt32? {
        guard off >= 0, off + 4 <= bytes.count else { return nil }
        return UInt32(bytes[off]) << 24 | UInt32(bytes[off + 1]) << 16 | UInt32(bytes[off + 2]) << 8
            | UInt32(bytes[off + 3])
    }

    @inlinable public func address(_ off: Int, family: IPFamily) -> UInt128? {
        guard off >= 0, off + family.bytes <= bytes.count else { return nil }
        var v: UInt128 = 0
        for i in 0..<family.bytes { v = v << 8 | UInt128(bytes[off + i]) }
        return v
    }

    /// The bytes in `range` (clamped to the packet), copied.
    public func slice(from off: Int, to end: Int? = nil) -> [UInt8] {
        let e = min(end ?? bytes.count, bytes.count)
        guard off >= 0, off < e else { return [] }
        return Array(bytes[off..<e])
    }

    /// A sub-packet starting at `off` (for ICMP-quoted headers).
    @inlinable public func sub(from off: Int) -> ReplyPacket? {
        guard off >= 0, off <= bytes.count else { return nil }
        return ReplyPacket(UnsafeRawBufferPointer(rebasing: bytes[off...]))
    }
}

/// The parsed IP header of a reply (or of a packet quoted inside an ICMP error).
public struct IPHeaderView {
    public let family: IPFamily
    public let source: UInt128
    public let destination: UInt128
    /// IPv4 protocol or IPv6 next header.
    public let proto: UInt8
    /// Offset of the transport header.
    public let payloadOffset: Int
    /// IPv4 TTL or IPv6 hop limit.
    public let ttl: UInt8
    /// IPv4 identification (0 for IPv6).
    public let ipid: UInt16
    /// IPv4: the more-fragments flag is set (a first fragment).
    public let moreFragments: Bool

    /// Parses the header at the start of `p`. Returns nil when it is not a well-formed header of
    /// `family` or when it is a non-first fragment. With `quoted`, the length field is not checked
    /// against the capture (ICMP errors quote truncated packets).
    public init?(_ p: ReplyPacket, family: IPFamily, quoted: Bool = false) {
        self.family = family
        guard let vb = p.u8(0) else { return nil }
        if family == .v4 {
            guard vb >> 4 == 4 else { return nil }
            let ihl = Int(vb & 0x0F) * 4
            guard ihl >= 20, let total = p.u16(2), let frag = p.u16(6), let ttl = p.u8(8), let proto = p.u8(9),
                let src = p.address(12, family: .v4), let dst = p.address(16, family: .v4), let id = p.u16(4),
                p.count >= ihl
            else { return nil }
            if !quoted && Int(total) < ihl { return nil }
            if frag & 0x1FFF != 0 { return nil }
            self.source = src
            self.destination = dst
            self.proto = proto
            self.payloadOffset = ihl
            self.ttl = ttl
            self.ipid = id
            self.moreFragments = frag & 0x2000 != 0
        } else {
            guard vb >> 4 == 6, let nh = p.u8(6), let hl = p.u8(7),
                let src = p.address(8, family: .v6), let dst = p.address(24, family: .v6), p.count >= 40
            else { return nil }
            self.source = src
            self.destination = dst
            self.proto = nh
            self.payloadOffset = 40
            self.ttl = hl
            self.ipid = 0
            self.moreFragments = false
        }
    }
}
