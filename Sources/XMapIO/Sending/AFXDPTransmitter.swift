#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// The AF_XDP backend (`--backend afxdp`): packets are built in place in UMEM frames and handed
/// to the kernel through the TX ring, with no system call per batch unless the kernel asks to
/// be woken. Copy mode on drivers without zero-copy (veth), zero-copy where the driver allows it.
///
/// The UMEM holds `generations` copies of the batch's frames. A batch is built in one
/// generation while the kernel still sends the previous ones; a generation is reused only once
/// the completion ring has returned all its frames. The probe template is written into
/// generation 0; each other generation starts as a copy of it the first time it is used, so
/// the per-packet work is the same as with `sendmmsg`: patch, then submit.
public final class AFXDPTransmitter: PacketTransmitter, @unchecked Sendable {
    public let batchCapacity: Int
    /// Whether the kernel bound the socket in zero-copy mode.
    public let zeroCopy: Bool
    private let socket: OpaquePointer
    private let umem: UnsafeMutablePointer<UInt8>
    @usableFromInline let frameSize: Int
    /// Where the current generation's first packet starts (its IP header).
    @usableFromInline var base: UnsafeMutableRawPointer
    private let generations: Int
    private let linkLength: Int
    private var generation = 0
    private var kickFailed = false
    private var initialized: [Bool]
    private var outstanding: [Int]
    private let lengths: UnsafeMutablePointer<UInt32>
    private let addresses: UnsafeMutablePointer<UInt64>
    private let completed: UnsafeMutablePointer<UInt64>

    /// Opens an AF_XDP socket on queue `queue` of the interface. `link` is every frame's Ethernet
    /// header. - Throws: `XMapError` naming the system call that failed.
    public init(
        interfaceIndex: Int32, interfaceName: String, queue: Int, batchCapacity: Int, packetCapacity: Int,
        link: EthernetHeader, forceCopy: Bool = false
    ) throws {
        self.batchCapacity = batchCapacity
        linkLength = EthernetHeader.length
        frameSize = packetCapacity + EthernetHeader.length <= 2048 ? 2048 : 4096
        // At least 2048 frames in flight (the TX and completion rings' size), a power of two.
        var g = 2
        while g * batchCapacity < 2048 { g *= 2 }
        generations = g
        let frames = g * batchCapacity
        var error: Int32 = 0
        var step: UnsafePointer<CChar>?
        guard
            let s = system_xsk_open(
                interfaceIndex, UInt32(queue), UInt32(frames), UInt32(frameSize),
                forceCopy ? 1 : 0, &error, &step)
        else {
            let call = step.map { String(cString: $0) } ?? "open"
            let hint =
                error == EINVAL && queue > 0
                ? " (\(interfaceName) has fewer than \(queue + 1) queues; ethtool -L \(interfaceName) tx N rx N)" : ""
            throw XMapError("AF_XDP on \(interfaceName) queue \(queue): \(call): \(Posix.errorText(error))\(hint)")
        }
        socket = s
        zeroCopy = CXMap_xsk_zerocopy(s) != 0
        umem = CXMap_xsk_umem(s)
        initialized = [Bool](repeating: false, count: g)
        initialized[0] = true
        outstanding = [Int](repeating: 0, count: g)
        lengths = .allocate(capacity: batchCapacity)
        addresses = .allocate(capacity: batchCapacity)
        completed = .allocate(capacity: frames)
        base = UnsafeMutableRawPointer(umem + EthernetHeader.length)
        for i in 0..<batchCapacity { link.write(to: umem + i * frameSize) }
    }

    deinit {
        drain()
        system_xsk_close(socket)
        lengths.deallocate()
        addresses.deallocate()
        completed.deallocate()
    }

    @inline(__always) private func frame(_ generation: Int, _ slot: Int) -> Int {
        (generation * batchCapacity + slot) * frameSize
    }

    @inlinable public func packetBuffer(_ slot: Int) -> UnsafeMutableRawPointer { base + slot * frameSize }

    public func setLength(_ slot: Int, _ length: Int) { lengths[slot] = UInt32(length + linkLength) }

    /// Submits packets 0 ..< count of the current generation and wakes the kernel until it has
    /// taken all of them, then moves to the next generation, waiting for the kernel to return its
    /// frames if it still has them. Returns how many packets the kernel did not take.
    public func send(count: Int) -> Int {
        guard count > 0 else { return 0 }
        for i in 0..<count { addresses[i] = UInt64(frame(generation, i)) }
        var done = 0
        while done < count {
            let n = Int(CXMap_xsk_submit(socket, addresses + done, lengths + done, UInt32(count - done)))
            done += n
            if done < count, flush() > 0 { break }
        }
        outstanding[generation] += done
        let unsent = flush() + (count - done)
        let next = (generation + 1) % generations
        let deadline = Posix.monotonicNanos() + 1_000_000_000
        while outstanding[next] > 0 && Posix.monotonicNanos() < deadline {
            reap()
            if outstanding[next] > 0 {
                // A kick that fails for good (not "busy, try again") returns no frame: the
                // generation is reused as it is, as after the deadline.
                if !kick() { break }
                Posix.yield()
            }
        }
        if !initialized[next] {
            // The template (and the last packets, which the next patches overwrite) of generation 0.
            (umem + frame(next, 0)).update(from: umem, count: batchCapacity * frameSize)
            initialized[next] = true
        }
        generation = next
        base = UnsafeMutableRawPointer(umem + frame(next, 0) + linkLength)
        return unsent
    }

    /// Wakes the kernel until the TX ring is empty: in copy mode each wake-up sends at most 32
    /// packets, and descriptors left in the ring would go out only at the next wake-up (after
    /// the capture closed, for the last batch). Returns how many descriptors the kernel did not
    /// take, after a send error or a second without progress.
    private func flush() -> Int {
        var deadline = Posix.monotonicNanos() + 1_000_000_000
        var pending = CXMap_xsk_tx_pending(socket)
        while true {
            let r = system_xsk_flush(socket)
            if r == 0 { return 0 }
            let now = CXMap_xsk_tx_pending(socket)
            if r < 0 { return Int(now) }
            if now < pending {
                pending = now
                deadline = Posix.monotonicNanos() + 1_000_000_000
            } else if Posix.monotonicNanos() > deadline {
                return Int(now)
            }
            if r == 2 {
                reap()
                Posix.yield()
            }
        }
    }

    /// Takes completed frames back.
    private func reap() {
        let n = Int(CXMap_xsk_complete(socket, completed, UInt32(generations * batchCapacity)))
        for i in 0..<n {
            outstanding[Int(completed[i]) / (batchCapacity * frameSize)] -= 1
        }
    }

    /// Waits (at most a second) until the kernel has sent everything submitted.
    public func drain() {
        let deadline = Posix.monotonicNanos() + 1_000_000_000
        while outstanding.contains(where: { $0 > 0 }) && Posix.monotonicNanos() < deadline {
            let kicked = kick()
            reap()
            if !kicked { return }
            Posix.yield()
        }
    }

    /// Wakes the kernel if the TX ring asks for it. False when the wake-up failed for good
    /// (the kernel says busy or try again as success); the error is logged once.
    private func kick() -> Bool {
        let r = system_xsk_kick(socket)
        if r >= 0 { return true }
        if !kickFailed {
            kickFailed = true
            Log.debug("AF_XDP wake-up: \(SystemError(call: "sendto", errno: -r))", module: "send")
        }
        return false
    }
}
