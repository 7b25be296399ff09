#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// Preallocated frames plus the iovec and mmsghdr arrays that point at them: one allocation,
/// reused for every batch, so sending allocates nothing. Each frame is the link header (written
/// once, here) followed by the probe module's IP packet.
public struct FrameBatch: ~Copyable {
    /// Maximum frames per sendmmsg call.
    public let capacity: Int
    /// Bytes reserved per frame.
    public let stride: Int
    public let frames: UnsafeMutableRawPointer
    @usableFromInline let iovecs: UnsafeMutablePointer<iovec>
    @usableFromInline let headers: UnsafeMutablePointer<CXMap_mmsghdr>
    /// Link-header bytes sent in front of each packet (14 for Ethernet, 0 with `-X`).
    @usableFromInline let linkLength: Int
    @usableFromInline let destination: UnsafeMutablePointer<sockaddr_ll>?

    /// Frames for `capacity` packets of at most `packetCapacity` bytes each. With `link`, every
    /// frame starts with that Ethernet header (a raw packet socket); without it (`-X`), packets
    /// go bare and every message is addressed to `ipLayer`'s protocol and interface (and link
    /// address, if any), as a `SOCK_DGRAM` packet socket needs.
    public init(capacity: Int, packetCapacity: Int, link: EthernetHeader?, ipLayer: IPLayerDestination? = nil) {
        self.capacity = capacity
        stride = (EthernetHeader.length + max(packetCapacity, 64) + 63) & ~63
        frames = .allocate(byteCount: capacity * stride, alignment: 64)
        frames.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * stride)
        iovecs = .allocate(capacity: capacity)
        headers = .allocate(capacity: capacity)
        linkLength = link == nil ? 0 : EthernetHeader.length
        if let d = ipLayer {
            let sll = UnsafeMutablePointer<sockaddr_ll>.allocate(capacity: 1)
            sll.initialize(to: sockaddr_ll())
            withUnsafeBytes(of: d.linkAddress.bytes) {
                CXMap_fill_sockaddr_ll(
                    sll, d.interfaceIndex, d.etherType,
                    d.linkAddress == .zero ? nil : $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            destination = sll
        } else {
            destination = nil
        }
        for i in 0..<capacity {
            let frame = frames + i * stride
            link?.write(to: frame)
            iovecs[i] = iovec(iov_base: frame + EthernetHeader.length - linkLength, iov_len: 0)
            var h = CXMap_mmsghdr()
            h.msg_hdr.msg_iov = iovecs + i
            h.msg_hdr.msg_iovlen = 1
            if let destination {
                h.msg_hdr.msg_name = UnsafeMutableRawPointer(destination)
                h.msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_ll>.size)
            }
            headers[i] = h
        }
    }

    deinit {
        frames.deallocate()
        iovecs.deallocate()
        headers.deallocate()
        destination?.deallocate()
    }

    /// The IP packet buffer of frame `i` (just after the link header's place).
    @inlinable public func packet(_ i: Int) -> UnsafeMutableRawPointer { frames + i * stride + EthernetHeader.length }

    /// Records the length of packet `i` (IP header included).
    @inlinable public func setLength(_ i: Int, _ length: Int) { iovecs[i].iov_len = length + linkLength }
}

/// Where `-X` sends bare IP packets: the interface, the EtherType of the family and, on an
/// Ethernet interface, the next hop's MAC (zero on tun and tunnel devices).
public struct IPLayerDestination: Sendable {
    public var interfaceIndex: Int32
    public var etherType: UInt16
    public var linkAddress: MACAddress

    /// Packets of `family` out of interface `interfaceIndex`, to `linkAddress` (zero for none).
    public init(interfaceIndex: Int32, family: IPFamily, linkAddress: MACAddress) {
        (self.interfaceIndex, etherType, self.linkAddress) = (interfaceIndex, family.etherType, linkAddress)
    }
}
