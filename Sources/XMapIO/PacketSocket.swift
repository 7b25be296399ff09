#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// An `AF_PACKET` socket bound to one interface, used only for sending: `SOCK_RAW` for whole
/// Ethernet frames, or `SOCK_DGRAM` for bare IP packets (`-X`).
/// It is opened with protocol 0 so the kernel attaches no receive tap to it.
/// Each sender thread owns its own socket; the type is Sendable only to hand it to that thread.
public final class PacketSocket: @unchecked Sendable {
    public let fd: Int32
    public let interfaceIndex: Int32

    /// Opens and binds the socket.
    /// - Throws: `XMapError` with a clear message (notably when not root / no CAP_NET_RAW).
    /// With `ipLayer`, a `SOCK_DGRAM` socket that takes bare IP packets (`-X`).
    public init(interfaceIndex: Int32, interfaceName: String, ipLayer: Bool = false) throws {
        let type = ipLayer ? SOCK_DGRAM.rawValue : SOCK_RAW.rawValue
        let s = socket(AF_PACKET, Int32(type) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if s < 0 {
            let e = errno
            if e == EPERM || e == EACCES {
                throw XMapError("couldn't open a raw packet socket: \(String(cString: strerror(e))). Are you root (or do you have CAP_NET_RAW)?")
            }
            throw XMapError("couldn't create packet socket: \(String(cString: strerror(e)))")
        }
        var sll = sockaddr_ll()
        CXMap_fill_sockaddr_ll(&sll, interfaceIndex, 0, nil)
        let rc = withUnsafePointer(to: &sll) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_ll>.size)) }
        }
        if rc != 0 {
            let e = errno
            Glibc.close(s)
            throw XMapError("couldn't bind packet socket to \(interfaceName): \(String(cString: strerror(e)))")
        }
        fd = s
        self.interfaceIndex = interfaceIndex
    }

    deinit { Posix.close(fd) }

    /// Sends `count` frames from `batch` with sendmmsg. When the kernel refuses a frame, it is
    /// tried again (after a short pause for EAGAIN/ENOBUFS) up to `retries` attempts in total,
    /// then counted as failed and skipped. Returns the number of failed frames.
    @inline(never)
    public func send(_ batch: borrowing FrameBatch, count: Int, retries: Int) -> Int {
        var done = 0, failed = 0, attempts = 0
        while done < count {
            let r = CXMap_sendmmsg(fd, batch.headers + done, UInt32(count - done), 0)
            if r > 0 {
                done += Int(r)
                attempts = 0
                continue
            }
            let e = errno
            if r < 0 && e == EINTR { continue }
            attempts += 1
            if attempts >= max(1, retries) {
                failed += 1
                done += 1
                attempts = 0
            } else if e == EAGAIN || e == ENOBUFS {
                Posix.sleep(nanos: 50_000)
            }
        }
        return failed
    }
}

/// Preallocated frames plus the iovec and mmsghdr arrays that point at them: one allocation,
/// reused for every batch, so sending allocates nothing.
public struct FrameBatch: ~Copyable {
    /// Maximum frames per sendmmsg call.
    public let capacity: Int
    /// Bytes reserved per frame.
    public let stride: Int
    public let frames: UnsafeMutableRawPointer
    @usableFromInline let iovecs: UnsafeMutablePointer<iovec>
    @usableFromInline let headers: UnsafeMutablePointer<CXMap_mmsghdr>

    /// Bytes at the front of each frame that are not sent (the Ethernet header with `-X`).
    public let skip: Int
    @usableFromInline let destination: UnsafeMutablePointer<sockaddr_ll>?

    /// Frames for a raw (Ethernet) packet socket. With `ipLayer`, each frame's first
    /// `FrameLayout.ethernet` bytes are skipped and every message is addressed to `ipLayer`'s
    /// protocol and interface (and link address, if any), as a `SOCK_DGRAM` packet socket needs.
    public init(capacity: Int, frameSize: Int, ipLayer: IPLayerDestination? = nil) {
        self.capacity = capacity
        stride = (frameSize + 63) & ~63
        frames = .allocate(byteCount: capacity * stride, alignment: 64)
        frames.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * stride)
        iovecs = .allocate(capacity: capacity)
        headers = .allocate(capacity: capacity)
        skip = ipLayer == nil ? 0 : FrameLayout.ethernet
        if let d = ipLayer {
            let sll = UnsafeMutablePointer<sockaddr_ll>.allocate(capacity: 1)
            sll.initialize(to: sockaddr_ll())
            withUnsafeBytes(of: d.linkAddress.bytes) {
                CXMap_fill_sockaddr_ll(sll, d.interfaceIndex, d.etherType,
                                       d.linkAddress == .zero ? nil : $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            destination = sll
        } else {
            destination = nil
        }
        for i in 0..<capacity {
            iovecs[i] = iovec(iov_base: frames + i * stride + skip, iov_len: 0)
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

    /// The buffer of frame `i`.
    @inlinable public func frame(_ i: Int) -> UnsafeMutableRawPointer { frames + i * stride }

    /// Records the length of frame `i` (the whole frame as built, Ethernet header included).
    @inlinable public func setLength(_ i: Int, _ length: Int) { iovecs[i].iov_len = length - skip }
}

/// Where `-X` sends bare IP packets: the interface, the EtherType of the family and, on an
/// Ethernet interface, the next hop's MAC (zero on tun and tunnel devices).
public struct IPLayerDestination: Sendable {
    public var interfaceIndex: Int32
    public var etherType: UInt16
    public var linkAddress: MACAddress

    public init(interfaceIndex: Int32, etherType: UInt16, linkAddress: MACAddress) {
        self.interfaceIndex = interfaceIndex
        self.etherType = etherType
        self.linkAddress = linkAddress
    }
}
