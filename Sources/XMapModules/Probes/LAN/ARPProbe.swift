import XMapCore

/// `arp` (IPv4): LAN discovery by ARP. Each target gets a broadcast ARP request ("who has
/// TARGET? tell SOURCE"); every host that answers is a result, with the MAC it answered from.
/// The engine sends the requests as ARP frames (EtherType 0x0806, to ff:ff:ff:ff:ff:ff) and
/// hands the replies back as ARP packets; the receiver keeps only replies to one of the scan's
/// source addresses about one of its targets. xmap runs the same requests first when a scan has
/// on-link targets, to send their probes to their own MACs.
public struct ARPProbe: Probe {
    public typealias Fields = LANFields
    public static let name = "arp"
    public static let families = [IPFamily.v4]
    public static let usesPorts = false
    public static let linkLayer = ProbeLinkLayer.arp
    public static func helpText(for family: IPFamily) -> String { help }
    static let help = """
        Probe module that finds the hosts of a directly connected IPv4 network with ARP: each target gets a \
        broadcast ARP request, and each host that answers is a result (classification reply, always a success), \
        with saddr the address it answered for and smac the MAC it answered with (the ARP sender hardware \
        address); smac_local says whether that MAC is locally administered (not a vendor's). Only replies to \
        the scan's source address about one of its targets count. Needs an Ethernet interface (not -X, not \
        netmap); the targets should be on the interface's network, since ARP does not cross routers. No \
        --probe-args.
        """

    public init(family: IPFamily, settings: ProbeSettings) throws {
        if let a = settings.probeArgs, !a.isEmpty {
            throw XMapError("the arp module takes no --probe-args (got '\(a)')")
        }
    }

    public var packetLength: Int { ARPPacket.length }
    public var pcapFilter: String { "arp[6:2] = 2" }
    public var snaplen: Int { EthernetHeader.length + 64 }

    /// The request template, with the scan's MAC (from the Ethernet header in front of it).
    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        ARPPacket.writeRequestTemplate(PacketWriter(buffer), senderMAC: LinkHeader.sourceMAC(before: buffer))
    }

    @inlinable @inline(__always)
    public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation: AESBlock, thread: inout Void
    ) -> Int {
        ARPPacket.finishRequest(PacketWriter(buffer), senderIP: source, targetIP: target.address)
        return ARPPacket.length
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        let spa = IPAddress(family: .v4, bytes: UnsafeRawBufferPointer(rebasing: f[14..<18]))
        let tpa = IPAddress(family: .v4, bytes: UnsafeRawBufferPointer(rebasing: f[24..<28]))
        return "ARP\n\tHardware Type(2B)\t: \(DryRunFormat.be16(f, 0))\n"
            + "\tProtocol Type(2B)\t: 0x\(DryRunFormat.hex(DryRunFormat.be16(f, 2), 4))\n"
            + "\tOperation(2B)\t\t: \(DryRunFormat.be16(f, 6))\n\tSender MAC(6B)\t\t: \(LANFields.mac(f, 8))\n"
            + "\tSender IP(4B)\t\t: \(spa)\n\tTarget MAC(6B)\t\t: \(LANFields.mac(f, 18))\n"
            + "\tTarget IP(4B)\t\t: \(tpa)\n"
    }

    /// An ARP reply to one of our addresses about one of our targets (ARP carries nothing else
    /// of ours to check).
    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context: ReplyContext) -> ValidReply? {
        guard let reply = ARPPacket.reply(p),
            context.acceptsLinkReply(local: reply.targetIP, target: reply.senderIP)
        else { return nil }
        return ValidReply(repeatKey: RepeatKey(address: reply.senderIP), reportedSource: reply.senderIP)
    }

    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        LANFields.clearIPFields(&r)
        guard let reply = ARPPacket.reply(p) else { return }
        LANFields.fill(&r, mac: reply.senderMAC, classification: "reply")
    }
}

/// The fields of the LAN discovery modules (`arp`, `nd`).
public enum LANFields: Int, ModuleFields {
    case smac, smacLocal, router, clas, success

    public var definition: FieldDefinition {
        switch self {
        case .smac: FieldDefinition("smac", .string, "MAC address of the host that answered")
        case .smacLocal: FieldDefinition("smac_local", .bool, "smac is locally administered (not a vendor's)")
        case .router: FieldDefinition("router", .bool, "the host says it is a router (IPv6 only)")
        case .clas: FieldDefinition("clas", .string, "packet classification")
        case .success: FieldDefinition("success", .bool, "is response considered success")
        }
    }

    /// Sets the MAC, classification and success of a result.
    static func fill(_ r: inout Record, mac: MACAddress?, classification: String) {
        r[LANFields.smac] = mac.map { .string($0.description) } ?? .null
        r[LANFields.smacLocal] = mac.map { .bool($0.isLocallyAdministered) } ?? .null
        r[LANFields.clas] = .string(classification)
        r[LANFields.success] = .bool(true)
    }

    /// ARP has no IP header: its results leave the ID and TTL fields empty.
    static func clearIPFields(_ r: inout Record) {
        for slot in 2..<r.schema.moduleStart { r[slot] = .null }
    }

    /// Six bytes at `offset` as `xx:xx:xx:xx:xx:xx` (dry runs).
    static func mac(_ f: UnsafeRawBufferPointer, _ offset: Int) -> String {
        (0..<6).map { DryRunFormat.hex(f[offset + $0], 2) }.joined(separator: ":")
    }
}
