/// How captured frames carry their IP packets, and how to find the packet in a frame.
public enum LinkFraming: Sendable, Equatable {
    /// Ethernet: 14-byte header, EtherType at 12.
    case ethernet
    /// Linux cooked capture (SLL): 16-byte header, protocol at 14.
    case linuxCooked
    /// Bare IP packets (tun and tunnel devices).
    case rawIP

    /// Bytes in front of the IP header.
    public var headerLength: Int {
        switch self {
        case .ethernet: return 14
        case .linuxCooked: return 16
        case .rawIP: return 0
        }
    }

    /// The IP packet of `family` inside `frame`, trimmed to the length its header states
    /// (Ethernet pads short frames); nil for frames of another protocol or too short to tell.
    @inlinable public func ipPacket(in frame: UnsafeRawBufferPointer, family: IPFamily) -> UnsafeRawBufferPointer? {
        let link = headerLength
        guard frame.count > link else { return nil }
        switch self {
        case .ethernet:
            guard UInt16(frame[12]) << 8 | UInt16(frame[13]) == family.etherType else { return nil }
        case .linuxCooked:
            guard UInt16(frame[14]) << 8 | UInt16(frame[15]) == family.etherType else { return nil }
        case .rawIP:
            guard frame[0] >> 4 == (family == .v4 ? 4 : 6) else { return nil }
        }
        var ip = UnsafeRawBufferPointer(rebasing: frame[link...])
        if family == .v4, ip.count >= 4 {
            let total = Int(ip[2]) << 8 | Int(ip[3])
            if total >= 20 && total < ip.count { ip = UnsafeRawBufferPointer(rebasing: ip[..<total]) }
        } else if family == .v6, ip.count >= 6 {
            let total = 40 + (Int(ip[4]) << 8 | Int(ip[5]))
            if total < ip.count { ip = UnsafeRawBufferPointer(rebasing: ip[..<total]) }
        }
        return ip
    }
}
