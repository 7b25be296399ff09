/// ARP for IPv4 over Ethernet (RFC 826): the 28-byte request the `arp` module sends and the
/// replies it reads. The packet starts where an IP packet would (after the Ethernet header,
/// whose EtherType is `etherType`). Replies come from the network: every read is checked.
public enum ARPPacket {
    /// The EtherType of ARP frames.
    public static let etherType: UInt16 = 0x0806
    /// Bytes of an ARP packet for IPv4 over Ethernet.
    public static let length = 28
    /// Operation codes.
    public static let request: UInt16 = 1, reply: UInt16 = 2

    /// Writes the parts of a request that never change: hardware type 1 (Ethernet), protocol
    /// 0x0800, address lengths 6 and 4, operation 1, the sender's MAC; the target MAC is zero.
    @inlinable public static func writeRequestTemplate(_ w: PacketWriter, senderMAC: MACAddress) {
        w.zero(0, length)
        w.u16(0, 1)
        w.u16(2, 0x0800)
        w.u8(4, 6)
        w.u8(5, 4)
        w.u16(6, request)
        w.mac(8, senderMAC)
    }

    /// Fills in the sender and target IPv4 addresses of a request written from the template.
    @inlinable public static func finishRequest(_ w: PacketWriter, senderIP: UInt128, targetIP: UInt128) {
        w.address(14, senderIP, family: .v4)
        w.address(24, targetIP, family: .v4)
    }

    /// A decoded ARP reply.
    public struct Reply: Sendable, Equatable {
        /// Who answers: its MAC and IPv4 address (the address asked about).
        public var senderMAC: MACAddress
        public var senderIP: UInt128
        /// Whom it answers (our MAC and address, for a reply to one of our requests).
        public var targetMAC: MACAddress
        public var targetIP: UInt128
    }

    /// The reply in `p` (an ARP packet, Ethernet padding allowed after it), or nil for anything
    /// that is not an Ethernet/IPv4 ARP reply.
    public static func reply(_ p: ReplyPacket) -> Reply? {
        guard p.u16(0) == 1, p.u16(2) == 0x0800, p.u8(4) == 6, p.u8(5) == 4, p.u16(6) == reply,
            let sha = mac(p, 8), let spa = p.address(14, family: .v4), let tha = mac(p, 18),
            let tpa = p.address(24, family: .v4)
        else { return nil }
        return Reply(senderMAC: sha, senderIP: spa, targetMAC: tha, targetIP: tpa)
    }

    /// The six bytes at `offset` as a MAC address, if captured.
    @inlinable public static func mac(_ p: ReplyPacket, _ offset: Int) -> MACAddress? {
        guard offset >= 0, offset + 6 <= p.count else { return nil }
        let b = p.bytes
        return MACAddress(bytes: (b[offset], b[offset + 1], b[offset + 2], b[offset + 3], b[offset + 4], b[offset + 5]))
    }
}

extension MACAddress {
    /// The address with these six bytes (wire order); allocates nothing.
    @inlinable public init(bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)) {
        self.bytes = bytes
    }

    /// The address as the low 48 bits of an integer (first byte highest).
    @inlinable public var value: UInt64 {
        let b = bytes
        return UInt64(b.0) << 40 | UInt64(b.1) << 32 | UInt64(b.2) << 24 | UInt64(b.3) << 16 | UInt64(b.4) << 8
            | UInt64(b.5)
    }

    /// The address whose bytes are the low 48 bits of `value`.
    @inlinable public init(value v: UInt64) {
        self.init(
            bytes: (
                UInt8(truncatingIfNeeded: v >> 40), UInt8(truncatingIfNeeded: v >> 32),
                UInt8(truncatingIfNeeded: v >> 24), UInt8(truncatingIfNeeded: v >> 16),
                UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)
            ))
    }

    /// The broadcast address ff:ff:ff:ff:ff:ff.
    public static let broadcast = MACAddress(value: 0xFFFF_FFFF_FFFF)

    /// Whether the locally administered bit (U/L, bit 1 of the first byte) is set.
    public var isLocallyAdministered: Bool { bytes.0 & 0x02 != 0 }
    /// Whether the group bit (I/G, bit 0 of the first byte) is set.
    public var isGroup: Bool { bytes.0 & 0x01 != 0 }
}

extension IPHeaderView {
    /// A header standing in for an ARP packet's addresses, so an ARP reply goes through the
    /// receive path like an IP packet: `source` is the sender's address (the one asked about),
    /// `destination` the target's (ours); no protocol, TTL or ID. Nil when `p` is no ARP reply.
    public init?(arp p: ReplyPacket) {
        guard let r = ARPPacket.reply(p) else { return nil }
        family = .v4
        source = r.senderIP
        destination = r.targetIP
        proto = 0
        payloadOffset = 0
        ttl = 0
        ipid = 0
        moreFragments = false
    }
}
