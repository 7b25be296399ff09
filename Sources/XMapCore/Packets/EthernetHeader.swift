/// The 14-byte Ethernet header in front of every probe sent as a frame. Probe modules never
/// write it: they build IP packets, and the packet I/O backend (or the dry-run printer) puts
/// this header in front of each buffer once.
public struct EthernetHeader: Sendable, Equatable {
    /// Its length on the wire.
    public static let length = 14

    public var source: MACAddress
    public var destination: MACAddress
    public var etherType: UInt16

    /// The header of frames from `source` to `destination` carrying `family` packets.
    public init(from source: MACAddress, to destination: MACAddress, carrying family: IPFamily) {
        (self.source, self.destination, etherType) = (source, destination, family.etherType)
    }

    /// Writes the header at `buffer`.
    public func write(to buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        w.mac(0, destination)
        w.mac(6, source)
        w.u16(12, etherType)
    }
}
