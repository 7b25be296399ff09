import Synchronization
import XMapCore
import XMapIO

/// Writes the scan's checkpoint file twice a second while the scan runs, and a last time when
/// it ends, each time atomically (a new file, synced, renamed over the old one, so a crash or a
/// power loss leaves the previous version or the next, never a mix).
///
/// Each periodic write records the progress as it was one tick (0.5 s) earlier. By then the
/// replies to those probes have had half a second to arrive and the receiver (which flushes at
/// least every 100 ms) has written them, so resuming after a crash loses no result for a probe
/// it will not send again, and sends again at most about a second of probes.
final class CheckpointWriter: Sendable {
    static let tickNanos: UInt64 = 500_000_000

    let path: String
    private let template: Checkpoint
    private let progress: ScanProgress
    private let stopped = Atomic<Bool>(false)
    private let lastFailure = Mutex<String?>(nil)

    init(path: String, template: Checkpoint, progress: ScanProgress) {
        self.path = path
        self.template = template
        self.progress = progress
    }

    /// Writes `threads` as the checkpoint, or throws the reason it cannot (the first write, before
    /// the scan starts, so a checkpoint path that cannot be written is an error up front).
    func writeOrThrow(_ threads: [ThreadProgress]) throws {
        var c = template
        c.threads = threads
        do {
            try LocalFiles.writeAtomically(path, Array(c.json.utf8))
        } catch {
            throw XMapError("unable to write checkpoint file '\(path)': \(error)")
        }
    }

    /// Writes `threads` as the checkpoint; warns when it cannot (once per distinct failure, and
    /// once when writing works again), since the scan itself goes on.
    func write(_ threads: [ThreadProgress]) {
        let failure: String?
        do { try writeOrThrow(threads); failure = nil } catch { failure = "\(error)" }
        lastFailure.withLock { last in
            if failure != last {
                if let failure { Log.warn(failure, module: "checkpoint") }
                else { Log.info("checkpoint file '\(path)' written again", module: "checkpoint") }
            }
            last = failure
        }
    }

    /// Writes the progress of one tick ago, every tick, until `stop()`. The caller has written
    /// the starting progress already.
    func run() {
        var previous = progress.snapshot
        while !stopped.load(ordering: .acquiring) {
            var slept: UInt64 = 0
            while slept < Self.tickNanos && !stopped.load(ordering: .acquiring) {
                Posix.sleep(nanos: 50_000_000)
                slept += 50_000_000
            }
            if stopped.load(ordering: .acquiring) { break }
            let now = progress.snapshot
            write(previous)
            previous = now
        }
    }

    /// Stops the periodic writes; the caller then writes the final progress.
    func stop() { stopped.store(true, ordering: .releasing) }

    /// The progress as it is now (for the last write, once replies are in).
    var current: [ThreadProgress] { progress.snapshot }
}
