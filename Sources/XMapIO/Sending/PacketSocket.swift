#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// An `AF_PACKET` socket bound to one interface, used only for sending: `SOCK_RAW` for whole
/// Ethernet frames, or `SOCK_DGRAM` for bare IP packets (`-X`). It is opened with protocol 0 so
/// the kernel attaches no receive tap to it.
public struct PacketSocket: ~Copyable {
    public let fd: Int32

    /// Opens and binds the socket.
    /// - Throws: `XMapError` with a clear message (notably when not root / no CAP_NET_RAW).
    public init(interfaceIndex: Int32, interfaceName: String, ipLayer: Bool = false, bypassQueueing: Bool = true) throws
    {
        let type = ipLayer ? SOCK_DGRAM.rawValue : SOCK_RAW.rawValue
        let s: Int32
        do {
            s = try Posix.syscall("socket") { system_socket(AF_PACKET, Int32(type) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        } catch  where error.errno == EPERM || error.errno == EACCES {
            throw XMapError(
                "couldn't open a raw packet socket: \(error.errnoText). Are you root (or do you have CAP_NET_RAW)?")
        } catch {
            throw XMapError("couldn't create packet socket: \(error.errnoText)")
        }
        var sll = sockaddr_ll()
        CXMap_fill_sockaddr_ll(&sll, interfaceIndex, 0, nil)
        let bound = withUnsafePointer(to: &sll) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                Posix.attempt("bind") { system_bind(s, sa, socklen_t(MemoryLayout<sockaddr_ll>.size)) }
            }
        }
        if case .failure(let e) = bound {
            Posix.close(s)
            throw XMapError("couldn't bind packet socket to \(interfaceName): \(e.errnoText)")
        }
        // Frames go straight to the driver (PACKET_QDISC_BYPASS), as packet generators send:
        // no queueing discipline and no packet taps on the way out. Kernels without it send
        // through the queueing discipline, which works too.
        if bypassQueueing { _ = Posix.attempt("setsockopt(PACKET_QDISC_BYPASS)") { system_packet_qdisc_bypass(s) } }
        fd = s
    }

    /// Takes over `fd`, an open socket (tests send through a socket pair).
    init(adopting fd: Int32) { self.fd = fd }

    deinit { Posix.close(fd) }

    /// Sends `count` frames from `batch` with sendmmsg. A call interrupted by a signal (EINTR) is
    /// made again. When the kernel refuses a frame, it is tried again (after a short pause for
    /// EAGAIN/ENOBUFS) up to `retries` attempts in total, then counted as failed and skipped.
    /// Returns the number of failed frames.
    @inline(never)
    public func send(_ batch: borrowing FrameBatch, count: Int, retries: Int) -> Int {
        var done = 0, failed = 0, attempts = 0
        while done < count {
            let sent = Posix.attempt("sendmmsg") { system_sendmmsg(fd, batch.headers + done, UInt32(count - done), 0) }
            if case .success(let n) = sent, n > 0 {
                done += Int(n)
                attempts = 0
                continue
            }
            attempts += 1
            if attempts >= max(1, retries) {
                failed += 1
                done += 1
                attempts = 0
            } else if case .failure(let e) = sent, e.isTemporary {
                Posix.sleep(nanos: 50_000)
            }
        }
        return failed
    }
}

/// The default backend: an `AF_PACKET` socket sending batches of frames with `sendmmsg`.
public final class PacketSocketTransmitter: PacketTransmitter, @unchecked Sendable {
    private let socket: PacketSocket
    @usableFromInline let batch: FrameBatch
    private let retries: Int
    public let batchCapacity: Int

    /// Opens the socket on interface `interfaceIndex` and prepares `batchCapacity` frames for
    /// packets of at most `packetCapacity` bytes. `link` is the Ethernet header of every frame;
    /// nil with `-X`, where `ipLayer` says where the bare IP packets go.
    public init(
        interfaceIndex: Int32, interfaceName: String, batchCapacity: Int, packetCapacity: Int,
        link: EthernetHeader?, ipLayer: IPLayerDestination?, retries: Int, bypassQueueing: Bool = true
    ) throws {
        socket = try PacketSocket(
            interfaceIndex: interfaceIndex, interfaceName: interfaceName, ipLayer: ipLayer != nil,
            bypassQueueing: bypassQueueing)
        batch = FrameBatch(
            capacity: batchCapacity, packetCapacity: packetCapacity, link: ipLayer == nil ? link : nil,
            ipLayer: ipLayer)
        self.batchCapacity = batchCapacity
        self.retries = retries
    }

    /// A transmitter over `socket`, an open socket of any kind (tests).
    init(
        socket: consuming PacketSocket, batchCapacity: Int, packetCapacity: Int, link: EthernetHeader?,
        retries: Int
    ) {
        self.socket = socket
        batch = FrameBatch(capacity: batchCapacity, packetCapacity: packetCapacity, link: link)
        self.batchCapacity = batchCapacity
        self.retries = retries
    }

    @inlinable public func packetBuffer(_ slot: Int) -> UnsafeMutableRawPointer { batch.packet(slot) }
    @inlinable public func setLength(_ slot: Int, _ length: Int) { batch.setLength(slot, length) }
    public func send(count: Int) -> Int { count == 0 ? 0 : socket.send(batch, count: count, retries: retries) }
}
