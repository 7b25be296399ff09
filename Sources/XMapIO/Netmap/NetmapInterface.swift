/// A port's `struct netmap_if` in the shared memory, declared here from netmap's published
/// header (`net/netmap.h`): the ring counts and the offsets of the rings from the structure.
/// Layout (64-bit): ni_name[16] 0, ni_version 16, ni_flags 20, ni_tx_rings 24, ni_rx_rings 28,
/// ni_bufs_head 32, ni_host_tx_rings 36, ni_host_rx_rings 40, spares, ring_ofs[] (ssize_t) 56.
/// ring_ofs lists the NIC TX rings, the host TX rings, the NIC RX rings, then the host RX rings.
public struct NetmapInterface {
    public enum Layout {
        public static let txRings = 24, rxRings = 28, hostTxRings = 36, ringOffsets = 56
    }

    public let base: UnsafeMutableRawPointer

    public init(_ base: UnsafeMutableRawPointer) { self.base = base }

    public var txRingCount: Int { Int(base.load(fromByteOffset: Layout.txRings, as: UInt32.self)) }
    public var rxRingCount: Int { Int(base.load(fromByteOffset: Layout.rxRings, as: UInt32.self)) }
    /// Host TX rings before the first RX ring: older netmap versions leave the field zero and
    /// always have one.
    var hostTxRingCount: Int { max(1, Int(base.load(fromByteOffset: Layout.hostTxRings, as: UInt32.self))) }

    private func ring(at index: Int) -> UnsafeMutableRawPointer {
        base + base.load(fromByteOffset: Layout.ringOffsets + index * 8, as: Int.self)
    }

    /// NIC TX ring `i` (netmap's `NETMAP_TXRING`).
    public func txRing(_ i: Int) -> UnsafeMutableRawPointer { ring(at: i) }

    /// NIC RX ring `i` (netmap's `NETMAP_RXRING`).
    public func rxRing(_ i: Int) -> UnsafeMutableRawPointer { ring(at: txRingCount + hostTxRingCount + i) }
}
