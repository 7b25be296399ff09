#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// An `AF_PACKET` socket bound to one interface, used only for sending.
/// It is opened with protocol 0 so the kernel attaches no receive tap to it.
/// Each sender thread owns its own socket; the type is Sendable only to hand it to that thread.
public final class PacketSocket: @unchecked Sendable {
    public let fd: Int32
    public let interfaceIndex: Int32

    /// Opens and binds the socket.
    /// - Throws: `XMapError` with a clear message (notably when not root / no CAP_NET_RAW).
    public init(interfaceIndex: Int32, interfaceName: String) throws {
        let s = socket(AF_PACKET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
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

    public init(capacity: Int, frameSize: Int) {
        self.capacity = capacity
        stride = (frameSize + 63) & ~63
        frames = .allocate(byteCount: capacity * stride, alignment: 64)
        frames.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * stride)
        iovecs = .allocate(capacity: capacity)
        headers = .allocate(capacity: capacity)
        for i in 0..<capacity {
            iovecs[i] = iovec(iov_base: frames + i * stride, iov_len: 0)
            var h = CXMap_mmsghdr()
            h.msg_hdr.msg_iov = iovecs + i
            h.msg_hdr.msg_iovlen = 1
            headers[i] = h
        }
    }

    deinit {
        frames.deallocate()
        iovecs.deallocate()
        headers.deallocate()
    }

    /// The buffer of frame `i`.
    @inlinable public func frame(_ i: Int) -> UnsafeMutableRawPointer { frames + i * stride }

    /// Records the length of frame `i`.
    @inlinable public func setLength(_ i: Int, _ length: Int) { iovecs[i].iov_len = length }
}
