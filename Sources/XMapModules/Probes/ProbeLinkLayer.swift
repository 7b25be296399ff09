import XMapCore

/// How a probe module's packets travel on the link, which decides the Ethernet header the engine
/// puts in front of each one and the frames the capture hands back.
public enum ProbeLinkLayer: Sendable, Equatable {
    /// IP packets to the next hop: the gateway, or an on-link target's own MAC once the
    /// neighbour stage has resolved it. Every module but `arp` and `nd`.
    case ip
    /// ARP requests (EtherType 0x0806) to the broadcast address; replies are ARP packets.
    case arp
    /// IPv6 neighbour solicitations to each target's solicited-node multicast group.
    case neighborDiscovery

    /// The EtherType of the module's frames in a scan of `family`.
    public func etherType(_ family: IPFamily) -> UInt16 {
        self == .arp ? ARPPacket.etherType : family.etherType
    }
}

extension ProbeModule {
    /// IP to the next hop, unless the module says otherwise.
    public static var linkLayer: ProbeLinkLayer { .ip }
}

extension ProbeDefinition {
    /// IP to the next hop, unless the module says otherwise.
    public static var linkLayer: ProbeLinkLayer { .ip }
}

/// The Ethernet header every packet I/O backend (and the dry-run printer) keeps just in front of
/// each packet buffer: destination at −14, source at −8, EtherType at −2. Link-layer modules
/// (`arp`, `nd`) read the scan's own MAC from it when they write their template, since ARP and
/// neighbour discovery carry the sender's MAC inside the packet too.
public enum LinkHeader {
    /// The source MAC of the Ethernet header in front of `buffer`.
    public static func sourceMAC(before buffer: UnsafeMutableRawPointer) -> MACAddress {
        let b = UnsafeRawPointer(buffer - EthernetHeader.length + 6).assumingMemoryBound(to: UInt8.self)
        return MACAddress(bytes: (b[0], b[1], b[2], b[3], b[4], b[5]))
    }

    /// Writes the destination MAC (the low 48 bits of `mac`) of the header in front of `buffer`.
    @inlinable @inline(__always)
    public static func setDestination(before buffer: UnsafeMutableRawPointer, _ mac: UInt64) {
        let w = PacketWriter(buffer - EthernetHeader.length)
        w.u16(0, UInt16(truncatingIfNeeded: mac >> 32))
        w.u32(2, UInt32(truncatingIfNeeded: mac))
    }

    /// Writes the EtherType of the header in front of `buffer`.
    @inlinable @inline(__always)
    public static func setEtherType(before buffer: UnsafeMutableRawPointer, _ type: UInt16) {
        PacketWriter(buffer - EthernetHeader.length).u16(12, type)
    }
}
