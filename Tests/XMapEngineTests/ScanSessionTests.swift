#if canImport(Glibc)
import Glibc
#endif
import Testing
import XMapCore
@testable import XMapEngine
import XMapIO
import XMapModules

/// Whole scans with every thread (senders, receiver, monitor, checkpoint) over an in-memory
/// network whose even addresses answer, on the test clock: no root, no network, and assertions
/// on what the scan found and counted, never on how long it took.
@Suite("Whole scan in memory")
struct ScanSessionTests {
    /// The network: echo requests to even addresses are answered.
    static func network(_ replies: ScriptedReplies) -> MemoryNetwork {
        MemoryNetwork(replies: replies) { probe in probe[19] % 2 == 0 ? MemoryNetwork.echoReply(probe) : nil }
    }

    /// Runs `plan` with one memory transmitter per sender thread on `network`; `configure` sees
    /// each transmitter and the session (for its counters) before the scan starts.
    typealias Session = ScanSession<ICMPEchoProbe.V4, TestClock>

    static func scan(
        _ plan: ScanPlan, hooks: ScanHooks = ScanHooks(),
        configure: (Int, MemoryTransmitter, Session) -> Void = { _, _, _ in }
    ) throws -> (ScanSummary, [MemoryTransmitter], ScriptedReplies) {
        let clock = TestClock()
        let replies = ScriptedReplies(clock: clock)
        let probe = plan.probe.module.instance as! ICMPEchoProbe.V4
        let session = try ScanSession(probe: probe, plan: plan, clock: clock, hooks: hooks)
        let transmitters = (0..<plan.sending.senderThreads).map { i in
            let t = MemoryTransmitter(batchCapacity: plan.sending.batchSize, clock: clock)
            t.network = Self.network(replies)
            configure(i, t, session)
            return t
        }
        let io = BackendIO(
            transmitters: transmitters, replies: replies, followUps: nil as MemoryTransmitter?,
            waitPing: {})
        return (try session.run(io), transmitters, replies)
    }

    static func evenAddresses(_ prefix: String) throws -> [String] {
        try SenderTests.addresses(prefix).filter { Int($0.split(separator: ".").last!)! % 2 == 0 }.sorted()
    }

    @Test("every live target found once over several sender threads; the summary's counts agree", arguments: [1, 3])
    func wholeScan(_ threads: Int) throws {
        let path = TestPlan.scratch("scan")
        defer { unlink(path) }
        let plan = try TestPlan.make(targets: ["10.0.0.0/26"], output: path) {
            $0.sending.senderThreads = threads
            $0.sending.batchSize = 8
        }
        let (summary, transmitters, replies) = try Self.scan(plan)
        #expect(transmitters.reduce(0) { $0 + $1.packets.count } == 64)
        #expect(
            TestPlan.contents(path).split(separator: "\n").map(String.init).sorted()
                == (try Self.evenAddresses("10.0.0.0/26")))
        #expect(summary.packetsSent == 64 && summary.targetsScanned == 64 && summary.packetsFailed == 0)
        #expect(summary.validReplies == 32 && summary.resultsOutput == 32 && summary.resultsWritten == 32)
        #expect(summary.resultsLost == 0 && summary.outputFailure == nil && !summary.interrupted)
        #expect(summary.captureReceived == 32 && replies.pending == 0)
        #expect(summary.seconds >= 1)  // the cooldown, on the scan's clock
        #expect(summary.sendStart >= TestClock.epoch && summary.receiveEnd >= summary.sendEnd)
    }

    @Test("Ctrl-C: sending stops, replies to what was sent are still collected, the summary says interrupted")
    func interrupted() throws {
        let path = TestPlan.scratch("interrupted")
        defer { unlink(path) }
        let plan = try TestPlan.make(targets: ["10.0.0.0/26"], output: path) { $0.sending.batchSize = 8 }
        let signals = MonitorThreadTests.Signals()
        let hooks = ScanHooks(interrupts: { signals.count.load(ordering: .relaxed) }, printStatus: { _ in })
        let (summary, transmitters, _) = try Self.scan(plan, hooks: hooks) { _, t, session in
            let counters = session.counters
            t.afterSend = { batch in
                guard batch == 1 else { return }
                signals.count.store(1, ordering: .relaxed)
                // The monitor sees it within 50 ms of the scan's clock; wait until it has.
                while !counters.stopSending.load(ordering: .relaxed) { Posix.yield() }
            }
        }
        let sent = transmitters[0].packets.map(destination)
        #expect(sent.count == 16)
        #expect(summary.interrupted && summary.packetsSent == 16)
        let results = TestPlan.contents(path).split(separator: "\n").map(String.init).sorted()
        #expect(results == sent.filter { Int($0.split(separator: ".").last!)! % 2 == 0 }.sorted())
    }

    @Test("--max-sendto-failures: the monitor aborts the scan, which ends with XMap's reason")
    func sendtoFailures() throws {
        let plan = try TestPlan.make(targets: ["10.0.0.0/26"], output: TestPlan.scratch("unused")) {
            $0.monitor.maxSendtoFailures = 0
            $0.sending.batchSize = 8
        }
        defer { unlink(plan.output.path!) }
        #expect(throws: XMapError("maximum number of sendto failures (0) exceeded", module: "monitor")) {
            _ = try Self.scan(plan) { _, t, session in
                let counters = session.counters
                t.failures = { _, count in count }
                // Hold the sender after its second batch (the first one's failures are counted by
                // then) until the monitor has sampled and aborted.
                t.afterSend = { batch in
                    if batch >= 1 { while !counters.stop.load(ordering: .relaxed) { Posix.yield() } }
                }
            }
        }
    }

    @Test(
        "results that cannot be written end the scan early; every result is accounted for",
        .enabled(if: MockingDriver.isAvailable, "needs a debug build (ENABLE_MOCKING)"))
    func outputFailure() throws {
        let path = TestPlan.scratch("full")
        defer { unlink(path) }
        let plan = try TestPlan.make(targets: ["10.0.0.0/26"], output: path)
        let summary = try MockingDriver.withMocking { driver in
            driver.failAlways("write", errno: ENOSPC)  // the receive thread inherits it
            return try Self.scan(plan).0
        }
        #expect(summary.resultsWritten == 0 && summary.resultsLost >= 1)
        #expect(summary.resultsLost == summary.resultsOutput)
        let failure = summary.outputFailure ?? ""
        #expect(failure.hasPrefix("could not write results to '\(path)': No space left on device"))
    }

    @Test("--checkpoint: the final checkpoint has every sender thread finished, with its counts")
    func checkpoint() throws {
        let path = TestPlan.scratch("checkpoint")
        defer { unlink(path); unlink(path + ".csv") }
        let plan = try TestPlan.make(targets: ["10.0.0.0/26"], output: path + ".csv") {
            $0.sending.senderThreads = 2
            $0.checkpoint = CheckpointPlan(path: path, parameters: ["probe_module": "icmp_echo"], resume: nil)
        }
        _ = try Self.scan(plan)
        let checkpoint = try #require(CheckpointWriterTests.read(path))
        #expect(checkpoint.isComplete && checkpoint.threads.count == 2)
        #expect(checkpoint.threads.reduce(0) { $0 + $1.targets } == 64)
        #expect(checkpoint.seed == 7 && checkpoint.parameters == ["probe_module": "icmp_echo"])
    }
}
