#if NETMAP
#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// The netmap backend's receive side: walks every NIC RX ring of the main port (ZMap's
/// `recv-netmap.c`). Frames are Ethernet; IP packets of the scan's family go to the receiver,
/// ARP requests and neighbor solicitations from the gateway for our addresses are answered
/// through `control` (the kernel no longer sees the interface's traffic), everything else is
/// counted and dropped.
public final class NetmapCapture: ReplySource, @unchecked Sendable {
    private let port: NetmapPort
    private let rings: [NetmapRing]
    private var inFragment: [Bool]
    private let family: IPFamily
    private let ourMAC: MACAddress
    private let gateway: MACAddress
    private let addresses: [IPAddress]
    private let control: NetmapControlQueue
    private var received: UInt64 = 0
    private var unframed: UInt64 = 0

    public init(
        port: NetmapPort, family: IPFamily, ourMAC: MACAddress, gateway: MACAddress, addresses: [IPAddress],
        control: NetmapControlQueue
    ) {
        self.port = port
        rings = (0..<port.rxRingCount).map { port.rxRing($0) }
        inFragment = [Bool](repeating: false, count: rings.count)
        self.family = family
        self.ourMAC = ourMAC
        self.gateway = gateway
        self.addresses = addresses
        self.control = control
    }

    /// Passes the next IP packet to `body`, waiting up to 100 ms (poll(2), which syncs the RX
    /// rings) when none is ready.
    /// - Throws: `SystemError` when waiting or syncing the rings fails.
    public func next(_ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool {
        if try nextIfReady(body) { return true }
        _ = try Posix.wait(port.fd, for: Int16(POLLIN), timeoutMillis: 100)
        return try nextIfReady(body)
    }

    public func nextIfReady(_ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool {
        var delivered = false
        for r in rings.indices {
            rings[r].receive(inFragment: &inFragment[r]) { frame in
                received &+= 1
                if let reply = NeighborReply.reply(to: frame, ourMAC: ourMAC, gateway: gateway, addresses: addresses) {
                    control.submit(reply)
                } else if let ip = LinkFraming.ethernet.ipPacket(in: frame, family: family) {
                    body(ip)
                    delivered = true
                } else {
                    unframed &+= 1
                }
            }
        }
        if !delivered { try NetmapPort.rxSync(port.fd) }
        return delivered
    }

    public func statistics() -> CaptureStatistics { CaptureStatistics(received: received, unframed: unframed) }
}
#endif
