import XMapCore

/// `nd` (IPv6): LAN discovery by neighbour discovery. Each target gets a neighbour solicitation
/// sent to its solicited-node multicast group (ff02::1:ffXX:XXXX, Ethernet 33:33:ff:XX:XX:XX),
/// with hop limit 255 and our MAC in a source link-layer address option; every host that answers
/// with a solicited neighbour advertisement is a result, with the MAC from its target link-layer
/// address option. xmap runs the same solicitations first when an IPv6 scan has on-link targets.
public struct NDProbe: Probe {
    public typealias Fields = LANFields
    public static let name = "nd"
    public static let families = [IPFamily.v6]
    public static let usesPorts = false
    public static let linkLayer = ProbeLinkLayer.neighborDiscovery
    public static func helpText(for family: IPFamily) -> String { help }
    static let help = """
        Probe module that finds the hosts of a directly connected IPv6 network with neighbour discovery: each \
        target gets a neighbour solicitation (to its solicited-node multicast group, hop limit 255), and each \
        host that answers with a solicited neighbour advertisement is a result (classification advert, always a \
        success), with saddr the address it answered for, smac the MAC of its target link-layer address option \
        (empty without one), smac_local whether that MAC is locally administered, and router its router flag. \
        Only advertisements with hop limit 255 to the scan's source address about one of its targets count. \
        Needs an Ethernet interface (not -X, not netmap); --probe-ttl does not apply. No --probe-args.
        """

    public init(family: IPFamily, settings: ProbeSettings) throws {
        if let a = settings.probeArgs, !a.isEmpty {
            throw XMapError("the nd module takes no --probe-args (got '\(a)')")
        }
    }

    public var packetLength: Int { FrameLayout.ipv6 + NeighborDiscovery.solicitationLength }
    public var pcapFilter: String { "icmp6 && ip6[40] = 136" }
    public var snaplen: Int { EthernetHeader.length + 40 + 64 }

    /// The solicitation template, with the scan's MAC (from the Ethernet header in front of it).
    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        FrameLayout.writeIPv6(
            w, at: 0, nextHeader: IPProtocol.icmpv6,
            payloadLength: NeighborDiscovery.solicitationLength, hopLimit: NeighborDiscovery.hopLimit)
        NeighborDiscovery.writeSolicitationTemplate(
            w, at: FrameLayout.ipv6,
            senderMAC: LinkHeader.sourceMAC(before: buffer))
    }

    @inlinable @inline(__always)
    public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation: AESBlock, thread: inout Void
    ) -> Int {
        let w = PacketWriter(buffer)
        let o = FrameLayout.ipv6, n = NeighborDiscovery.solicitationLength
        let group = NeighborDiscovery.solicitedNode(target.address)
        FrameLayout.finishIP(w, at: 0, family: .v6, src: source, dst: group, ttl: NeighborDiscovery.hopLimit)
        w.address(o + 8, target.address, family: .v6)
        w.u16(o + 2, 0)
        w.u16(o + 2, FrameLayout.icmpChecksum(buffer + o, length: n, family: .v6, src: source, dst: group))
        return o + n
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        let o = FrameLayout.ipv6
        let target = IPAddress(family: .v6, bytes: UnsafeRawBufferPointer(rebasing: f[(o + 8)..<(o + 24)]))
        return DryRunFormat.ip(f, at: 0, family: .v6)
            + "ICMPv6 Neighbor Solicitation\n\tType(1B)\t\t: \(f[o])\n\tCode(1B)\t\t: \(f[o + 1])\n"
            + "\tChecksum(2B)\t\t: 0x\(DryRunFormat.hex(DryRunFormat.be16(f, o + 2), 4))\n"
            + "\tTarget(16B)\t\t: \(target)\n\tSource MAC(6B)\t\t: \(LANFields.mac(f, o + 26))\n"
    }

    /// A solicited advertisement with hop limit 255, to one of our addresses about one of our
    /// targets.
    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context: ReplyContext) -> ValidReply? {
        guard let a = NeighborDiscovery.advertisement(p, header: h), a.solicited,
            context.acceptsLinkReply(local: h.destination, target: a.target)
        else { return nil }
        return ValidReply(repeatKey: RepeatKey(address: a.target), reportedSource: a.target)
    }

    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        guard let a = NeighborDiscovery.advertisement(p, header: h) else { return }
        LANFields.fill(&r, mac: a.mac, classification: "advert")
        r[LANFields.router] = .bool(a.router)
    }
}
