#if NETMAP
#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// The netmap backend's sender (`--backend netmap`): one TX ring per sender thread, registered
/// on its own file descriptor. Packets are built in a batch of frames of our own (the probe
/// template is patched per target, as with every backend), copied into the ring's buffers and
/// handed to the NIC with one `NIOCTXSYNC` per batch. When the ring is full it waits for the
/// NIC (`poll` for `POLLOUT`); after a second without room the rest of the batch counts as
/// failed. Sender 0 also sends the receive thread's ARP and neighbor replies.
public final class NetmapTransmitter: PacketTransmitter, @unchecked Sendable {
    public let batchCapacity: Int
    private let port: NetmapPort
    private let ring: NetmapRing
    @usableFromInline let frames: UnsafeMutableRawPointer
    @usableFromInline let stride: Int
    private let lengths: UnsafeMutablePointer<Int>
    private let control: NetmapControlQueue?

    /// Registers TX ring `ring` of the interface. `link` is every frame's Ethernet header;
    /// `control` is given to the transmitter of ring 0 only.
    public init(
        interfaceName: String, ring index: Int, batchCapacity: Int, packetCapacity: Int, link: EthernetHeader,
        control: NetmapControlQueue?
    ) throws {
        self.batchCapacity = batchCapacity
        port = try NetmapPort(txRing: index, of: interfaceName)
        ring = port.txRing(index)
        self.control = control
        stride = (EthernetHeader.length + max(packetCapacity, 64) + 63) & ~63
        frames = .allocate(byteCount: batchCapacity * stride, alignment: 64)
        frames.initializeMemory(as: UInt8.self, repeating: 0, count: batchCapacity * stride)
        lengths = .allocate(capacity: batchCapacity)
        lengths.initialize(repeating: 0, count: batchCapacity)
        for i in 0..<batchCapacity { link.write(to: frames + i * stride) }
    }

    deinit {
        frames.deallocate()
        lengths.deallocate()
    }

    @inlinable public func packetBuffer(_ slot: Int) -> UnsafeMutableRawPointer {
        frames + slot * stride + EthernetHeader.length
    }

    public func setLength(_ slot: Int, _ length: Int) { lengths[slot] = length + EthernetHeader.length }

    public func send(count: Int) -> Int {
        queueControlFrames()
        var failed = 0
        for i in 0..<count where !push(frames + i * stride, length: lengths[i]) {
            failed += 1
        }
        // The kernel takes the batch here; if it cannot, none of the batch went out.
        return (try? NetmapPort.txSync(port.fd)) != nil ? failed : count
    }

    /// Sends the receive thread's queued ARP and neighbor replies now. After the senders are
    /// done the scan calls this through the cooldown, so the target network can still resolve
    /// the scanner's address while its replies come back (they would wait for ARP forever).
    public func sendControlFrames() {
        guard let control, control.hasPending else { return }
        queueControlFrames()
        // A failed sync leaves the frames in the ring, for the next sync.
        _ = try? NetmapPort.txSync(port.fd)
    }

    /// Puts the queued control frames in the ring ahead of the next batch.
    private func queueControlFrames() {
        guard let control, control.hasPending else { return }
        for frame in control.take() {
            frame.withUnsafeBytes { b in _ = push(b.baseAddress!, length: b.count) }
        }
    }

    /// Puts one frame in the ring, waiting for room (at most a second).
    private func push(_ frame: UnsafeRawPointer, length: Int) -> Bool {
        if ring.push(frame, length: length) { return true }
        if length > Int(ring.bufferSize) { return false }
        let deadline = Posix.monotonicNanos() + 1_000_000_000
        while Posix.monotonicNanos() < deadline {
            ring.sync()
            if ring.push(frame, length: length) { return true }
            // A failed wait is a wait that found no room: the deadline ends it.
            _ = try? Posix.wait(port.fd, for: Int16(POLLOUT), timeoutMillis: 100)
        }
        return false
    }
}
#endif
