#if NETMAP
#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// A netmap port: `/dev/netmap` opened and registered for an interface, its shared memory
/// mapped. ZMap's sequence: the main port registers all NIC rings (the receive thread walks
/// every RX ring of it), and each sender registers its own TX ring only, so no two threads
/// share head, cur and tail.
public final class NetmapPort: @unchecked Sendable {
    private var port: CXMap_netmap_port
    public let interfaceName: String
    /// The port's `struct netmap_if`.
    public let interface: NetmapInterface

    /// All NIC rings of `interfaceName` (the receive side and the ring count).
    public convenience init(allRingsOf interfaceName: String) throws {
        try self.init(interfaceName, mode: NetmapRegister.allNIC, ring: 0, flags: NetmapRegister.noTxPoll)
    }

    /// TX ring `ring` of `interfaceName` only (one sender thread).
    public convenience init(txRing ring: Int, of interfaceName: String) throws {
        try self.init(
            interfaceName, mode: NetmapRegister.oneNIC, ring: UInt16(ring),
            flags: NetmapRegister.txRingsOnly | NetmapRegister.noTxPoll)
    }

    private init(_ name: String, mode: UInt32, ring: UInt16, flags: UInt64) throws {
        var p = CXMap_netmap_port()
        var step: UnsafePointer<CChar>?
        let error = system_netmap_open(NetmapSupport.device, name, mode, ring, flags, &p, &step)
        guard error == 0 else {
            let call = step.map { String(cString: $0) } ?? "open"
            throw XMapError("netmap on \(name): \(call) \(NetmapSupport.device): \(Posix.errorText(error))")
        }
        port = p
        interfaceName = name
        interface = NetmapInterface(port.memory.advanced(by: Int(port.interface_offset)))
    }

    deinit { system_netmap_close(&port) }

    public var fd: Int32 { port.fd }
    public var txRingCount: Int { interface.txRingCount }
    public var rxRingCount: Int { interface.rxRingCount }

    /// NIC TX ring `i` of this port, synced with `NIOCTXSYNC`. A failed sync leaves the ring as
    /// it was, which its users see: no room (frames counted as failed), nothing sent.
    public func txRing(_ i: Int) -> NetmapRing {
        let fd = port.fd
        return NetmapRing(interface.txRing(i)) { _ = try? Self.txSync(fd) }
    }

    /// NIC RX ring `i` of this port (synced by `poll` or `NIOCRXSYNC`). A failed sync leaves the
    /// ring as it was: nothing new to receive.
    public func rxRing(_ i: Int) -> NetmapRing {
        let fd = port.fd
        return NetmapRing(interface.rxRing(i)) { _ = try? Self.rxSync(fd) }
    }

    /// `NIOCTXSYNC` on port descriptor `fd`: hands the TX rings' new frames to the NIC.
    public static func txSync(_ fd: Int32) throws(SystemError) {
        try Posix.check("ioctl(NIOCTXSYNC)", system_netmap_txsync(fd))
    }

    /// `NIOCRXSYNC` on port descriptor `fd`: takes the frames the NIC has received.
    public static func rxSync(_ fd: Int32) throws(SystemError) {
        try Posix.check("ioctl(NIOCRXSYNC)", system_netmap_rxsync(fd))
    }

    /// Waits (up to `seconds`) for the carrier after netmap reset the PHY, as ZMap does.
    /// - Throws: `XMapError` when the link stays down.
    public static func waitForLink(_ name: String, seconds: Int = 10) throws {
        let deadline = Posix.monotonicNanos() + UInt64(seconds) * 1_000_000_000
        while true {
            let state = system_link_up(name)
            if state == 1 { return }
            if state < 0 {  // The driver does not report its link: go on, as ZMap does.
                Log.debug("\(name) does not report its link state (\(Posix.errorText(-state)))", module: "netmap")
                return
            }
            if Posix.monotonicNanos() > deadline {
                throw XMapError("the link of \(name) did not come up within \(seconds) seconds", module: "netmap")
            }
            Posix.sleep(nanos: 250_000_000)
        }
    }
}
#endif
