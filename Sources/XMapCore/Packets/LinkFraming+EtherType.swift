extension LinkFraming {
    /// The packet of EtherType `etherType` inside `frame`: the IP packet of `family` (as
    /// `ipPacket` finds it) when `etherType` is the family's, else the bytes after the link
    /// header of a frame of that type (ARP: Ethernet padding included). Nil for frames of another
    /// type; bare IP links carry no other type.
    @inlinable public func packet(
        in frame: UnsafeRawBufferPointer, family: IPFamily,
        etherType: UInt16
    ) -> UnsafeRawBufferPointer? {
        if etherType == family.etherType { return ipPacket(in: frame, family: family) }
        let link = headerLength
        guard frame.count > link else { return nil }
        switch self {
        case .ethernet:
            guard UInt16(frame[12]) << 8 | UInt16(frame[13]) == etherType else { return nil }
        case .linuxCooked:
            guard UInt16(frame[14]) << 8 | UInt16(frame[15]) == etherType else { return nil }
        case .rawIP:
            return nil
        }
        return UnsafeRawBufferPointer(rebasing: frame[link...])
    }
}
