import Synchronization
import XMapCore
import XMapIO

/// Writes the scan's checkpoint file twice a second while the scan runs, and a last time when
/// it ends. The file is opened once, before the scan gives up its privileges, and rewritten in
/// place in two alternating slots (`SlotFile`), so a crash or a power loss costs one update,
/// never the file.
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
    private let file: SlotFile
    private let writing = Mutex(())
    private let stopped = Atomic<Bool>(false)
    private let lastFailure = Mutex<String?>(nil)

    /// Creates (or empties) the checkpoint file, sized for the longest document this scan can
    /// write.
    init(path: String, template: Checkpoint, progress: ScanProgress) throws {
        self.path = path
        self.template = template
        self.progress = progress
        var longest = template
        let element = ThreadProgress(
            position: .element(UInt192(l0: .max, l1: .max, l2: .max)),
            targets: .max, packets: .max, failed: .max)
        let list = ThreadProgress(
            position: .list(entry: .min, port: .min, index: .min),
            targets: .max, packets: .max, failed: .max)
        let widest = element.position.text.count >= list.position.text.count ? element : list
        longest.threads = Array(repeating: widest, count: progress.snapshot.count)
        do {
            file = try SlotFile(path: path, capacity: longest.json.utf8.count)
        } catch let e as XMapError {
            throw XMapError("unable to write checkpoint file '\(path)': \(e.message)")
        }
    }

    /// Writes `threads` as the checkpoint, or throws the reason it cannot (the first write, before
    /// the scan starts, so a checkpoint path that cannot be written is an error up front).
    func writeOrThrow(_ threads: [ThreadProgress]) throws {
        var c = template
        c.threads = threads
        do {
            try writing.withLock { _ in try file.write(Array(c.json.utf8)) }
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
                if let failure {
                    Log.warn(failure, module: "checkpoint")
                } else {
                    Log.info("checkpoint file '\(path)' written again", module: "checkpoint")
                }
            }
            last = failure
        }
    }

    /// Why the last write failed; nil when it worked.
    var failure: String? { lastFailure.withLock { $0 } }

    /// Writes the progress of one tick ago, every tick, until `stop()`. The caller has written
    /// the starting progress already.
    func run<K: ScanClock>(clock: K) {
        var previous = progress.snapshot
        while !stopped.load(ordering: .acquiring) {
            var slept: UInt64 = 0
            while slept < Self.tickNanos && !stopped.load(ordering: .acquiring) {
                clock.sleep(nanos: 50_000_000)
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
