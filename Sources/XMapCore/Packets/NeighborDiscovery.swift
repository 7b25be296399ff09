/// IPv6 neighbour discovery (RFC 4861) as the `nd` module uses it: a neighbour solicitation to
/// a target's solicited-node multicast group, and the neighbour advertisement that answers it.
/// Advertisements come from the network: every read is checked.
public enum NeighborDiscovery {
    /// ICMPv6 types.
    public static let solicitationType: UInt8 = 135, advertisementType: UInt8 = 136
    /// The hop limit every neighbour discovery packet carries (and must arrive with).
    public static let hopLimit: UInt8 = 255
    /// A solicitation: type, code, checksum, reserved (8), target (16), source link-layer
    /// address option (8).
    public static let solicitationLength = 32

    /// The solicited-node multicast address of `target`: ff02::1:ff00:0/104 plus its low 24 bits.
    @inlinable public static func solicitedNode(_ target: UInt128) -> UInt128 {
        (UInt128(0xFF02) << 112) | (UInt128(0x1_FF00_0000)) | (target & 0xFF_FFFF)
    }

    /// The Ethernet group that address maps to (RFC 2464): 33:33 and its low 32 bits, so
    /// 33:33:ff and the target's low 24 bits.
    @inlinable public static func solicitedNodeMAC(_ target: UInt128) -> UInt64 {
        0x3333_FF00_0000 | UInt64(truncatingIfNeeded: target & 0xFF_FFFF)
    }

    /// Writes the parts of a solicitation that never change, at `offset` (the ICMPv6 header):
    /// type 135, and a source link-layer address option holding `senderMAC`.
    @inlinable public static func writeSolicitationTemplate(_ w: PacketWriter, at offset: Int, senderMAC: MACAddress) {
        w.zero(offset, solicitationLength)
        w.u8(offset, solicitationType)
        w.u8(offset + 24, 1)
        w.u8(offset + 25, 1)
        w.mac(offset + 26, senderMAC)
    }

    /// A decoded neighbour advertisement.
    public struct Advertisement: Sendable, Equatable {
        /// The address the advertisement is about.
        public var target: UInt128
        /// The target link-layer address option, when present.
        public var mac: MACAddress?
        /// The R (router), S (solicited) and O (override) flags.
        public var router: Bool
        public var solicited: Bool
        public var override: Bool
    }

    /// The advertisement in `p`, an IPv6 packet with header `h`: ICMPv6 right after the fixed
    /// header, type 136, code 0, hop limit 255 (a packet that crossed a router is no neighbour's),
    /// with a well-formed option list. Nil for anything else.
    public static func advertisement(_ p: ReplyPacket, header h: IPHeaderView) -> Advertisement? {
        let o = h.payloadOffset
        guard h.family == .v6, h.proto == IPProtocol.icmpv6, h.ttl == hopLimit, p.u8(o) == advertisementType,
            p.u8(o + 1) == 0, let flags = p.u8(o + 4), let target = p.address(o + 8, family: .v6)
        else { return nil }
        var mac: MACAddress? = nil
        var i = o + 24
        while i < p.count {
            // Options are (type, length in units of 8 bytes); a zero length is invalid (RFC 4861 4.6).
            guard let type = p.u8(i), let units = p.u8(i + 1), units > 0, i + Int(units) * 8 <= p.count else {
                return nil
            }
            if type == 2, units == 1 { mac = ARPPacket.mac(p, i + 2) }
            i += Int(units) * 8
        }
        return Advertisement(
            target: target, mac: mac, router: flags & 0x80 != 0, solicited: flags & 0x40 != 0,
            override: flags & 0x20 != 0)
    }
}
