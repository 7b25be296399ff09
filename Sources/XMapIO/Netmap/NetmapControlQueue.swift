import Synchronization

/// Frames the receive thread needs sent while the interface belongs to netmap (ARP replies and
/// neighbor advertisements): the receiver queues them, and the thread that owns TX ring 0
/// (sender 0 during the scan, the wait-ping loop before it) sends them ahead of its next batch,
/// so no two threads ever write one ring (ZMap's `submit_batch_internal`).
public final class NetmapControlQueue: Sendable {
    private let frames = Mutex<[[UInt8]]>([])
    private let pending = Atomic<Bool>(false)

    public init() {}

    /// Queues one frame.
    public func submit(_ frame: [UInt8]) {
        frames.withLock { $0.append(frame) }
        pending.store(true, ordering: .releasing)
    }

    /// Whether frames wait (one atomic load: cheap enough to ask once per batch).
    @inline(__always) public var hasPending: Bool { pending.load(ordering: .acquiring) }

    /// Takes every queued frame.
    public func take() -> [[UInt8]] {
        frames.withLock { queued in
            pending.store(false, ordering: .releasing)
            defer { queued.removeAll() }
            return queued
        }
    }
}
