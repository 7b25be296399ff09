#if canImport(Glibc)
import Glibc
#endif
import Testing
import XMapCore
@testable import XMapEngine
import XMapIO

/// When the checkpoint writer writes what, on the test clock: every 0.5 s the progress of one
/// tick earlier (whose replies have had time to come back), and the last progress at the end.
@Suite("Checkpoint writer")
struct CheckpointWriterTests {
    static func read(_ path: String) -> Checkpoint? {
        guard let bytes = try? SlotFile.read(path) else { return nil }
        return try? Checkpoint(json: String(decoding: bytes, as: UTF8.self), path: path)
    }

    static func writer(_ path: String, progress: ScanProgress) throws -> CheckpointWriter {
        let template = Checkpoint(
            parameters: ["probe_module": "icmp_echo"], seed: 7, validationKey: Array(0..<16),
            threads: [])
        return try CheckpointWriter(path: path, template: template, progress: progress)
    }

    @Test("each tick writes the progress of the tick before; stopping leaves the final write to the scan")
    func timing() throws {
        let path = TestPlan.scratch("checkpoint")
        defer { unlink(path) }
        let progress = ScanProgress(threads: 2)
        let writer = try Self.writer(path, progress: progress)
        try writer.writeOrThrow(progress.snapshot)
        let clock = TestClock()
        let seen = LineLog()
        clock.onSleep { now in
            let t = (now - TestClock.origin) / 50_000_000  // 50 ms steps
            switch t {
            case 5:
                let position = WalkPosition.element(UInt192(UInt64(5)))
                progress.publish(ThreadProgress(position: position, targets: 5, packets: 5), thread: 0)
            case 15: progress.publish(ThreadProgress(position: .finished, targets: 9, packets: 9), thread: 1)
            case 11, 21, 31:  // just after the writes at 0.5, 1.0, 1.5 s
                let c = Self.read(path)
                seen.append("\(t): " + (c?.threads.map { "\($0.targets)" }.joined(separator: ",") ?? "-"))
            case 32: writer.stop()
            default: break
            }
        }
        writer.run(clock: clock)
        #expect(seen.all == ["11: 0,0", "21: 5,0", "31: 5,9"])
        #expect(clock.elapsed == 32 * 50_000_000)
        writer.write(writer.current)
        #expect(Self.read(path)?.threads == progress.snapshot)
    }

    @Test(
        "a checkpoint that cannot be written: an error before the scan, a warning during it, until it works again",
        .enabled(if: MockingDriver.isAvailable, "needs a debug build (ENABLE_MOCKING)"))
    func failures() throws {
        let path = TestPlan.scratch("checkpoint")
        defer { unlink(path) }
        let progress = ScanProgress(threads: 1)
        let writer = try Self.writer(path, progress: progress)
        MockingDriver.withMocking { driver in
            driver.fail("pwrite", errno: ENOSPC)
            #expect(
                throws: XMapError(
                    "unable to write checkpoint file '\(path)': unable to write '\(path)': "
                        + "No space left on device")
            ) { try writer.writeOrThrow(progress.snapshot) }
            driver.fail("fdatasync", errno: EIO)
            writer.write(progress.snapshot)
            #expect(
                writer.failure == "unable to write checkpoint file '\(path)': unable to write '\(path)': "
                    + "Input/output error")
            driver.fail("pwrite", errno: EINTR)  // retried: the write works
            writer.write(progress.snapshot)
            #expect(writer.failure == nil)
        }
        #expect(Self.read(path)?.threads == [ThreadProgress()])
    }
}
