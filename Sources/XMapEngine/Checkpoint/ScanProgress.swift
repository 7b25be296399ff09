import Synchronization

/// Every sender thread's progress, as the senders publish it (once per batch, at target
/// boundaries) and the checkpoint writer reads it.
public final class ScanProgress: Sendable {
    private let threads: Mutex<[ThreadProgress]>

    public init(threads: Int, resuming: [ThreadProgress]? = nil) {
        self.threads = Mutex(resuming ?? Array(repeating: ThreadProgress(), count: threads))
    }

    /// Sets thread `index`'s progress.
    func publish(_ progress: ThreadProgress, thread index: Int) {
        threads.withLock { $0[index] = progress }
    }

    /// Every thread's progress now.
    public var snapshot: [ThreadProgress] { threads.withLock { $0 } }
}
