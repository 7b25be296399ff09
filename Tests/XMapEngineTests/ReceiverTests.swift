#if canImport(Glibc)
import Glibc
#endif
import Testing
import XMapCore
@testable import XMapEngine
import XMapIO
import XMapModules

/// The receive thread run on the test's thread against a scripted reply source and the test
/// clock: validation, repeats, the filter, output order, the cooldown, and how it stops.
@Suite("Receiver")
struct ReceiverTests {
    static let fields = ["saddr", "classification", "success", "repeat", "cooldown"]

    /// Echo replies to the plan's probes, by target address.
    static func replies(_ plan: ScanPlan) -> [String: [UInt8]] {
        let sent = plan.runSender(clock: TestClock())
        return Dictionary(uniqueKeysWithValues: sent.packets.map { (destination($0), MemoryNetwork.echoReply($0)) })
    }

    /// Runs the receiver until it stops; returns the sink (flushed).
    @discardableResult
    static func receive(
        _ plan: ScanPlan, clock: TestClock, counters: ScanCounters,
        replies: ScriptedReplies
    ) throws -> OutputSink {
        let sink = try OutputSink(path: plan.output.path)
        func run<P: ProbeModule>(_ probe: P) {
            Receiver(
                probe: probe, plan: plan, counters: counters, source: replies, sink: sink,
                context: plan.replyContext, followUps: nil as FollowUpSender<P, MemoryTransmitter>?,
                clock: clock
            ).run()
        }
        run(plan.probe.module.instance)
        return sink
    }

    static func lines(_ path: String) -> [String] { TestPlan.contents(path).split(separator: "\n").map(String.init) }

    @Test("valid replies become results in arrival order; invalid, malformed and repeated ones are counted")
    func validation() throws {
        let path = TestPlan.scratch("results")
        defer { unlink(path) }
        let plan = try TestPlan.make(fields: Self.fields, output: path)
        let reply = Self.replies(plan)
        let clock = TestClock(), counters = ScanCounters(), source = ScriptedReplies(clock: clock)
        var forged = reply["10.0.0.1"]!
        forged[24] ^= 1  // not our identifier
        for p in [reply["10.0.0.1"]!, reply["10.0.0.2"]!, [0x45, 0, 0], forged, reply["10.0.0.1"]!] {
            source.enqueue(p)
        }
        // Sending ends when the receiver has read everything; one more reply comes in the cooldown.
        let late = reply["10.0.0.3"]!
        source.onPoll { now in
            if counters.sendEndNanos.load(ordering: .relaxed) == 0 && source.pending == 0 {
                counters.sendEndNanos.store(now, ordering: .relaxed)
                source.enqueue(late)
            }
        }
        try Self.receive(plan, clock: clock, counters: counters, replies: source)
        #expect(
            Self.lines(path) == [
                "10.0.0.1,echoreply,1,0,0", "10.0.0.2,echoreply,1,0,0",
                "10.0.0.1,echoreply,1,1,0", "10.0.0.3,echoreply,1,0,1"
            ])
        let c = counters
        #expect(c.validReplies.load(ordering: .relaxed) == 4 && c.invalidReplies.load(ordering: .relaxed) == 1)
        #expect(c.malformedReplies.load(ordering: .relaxed) == 1 && c.repeatReplies.load(ordering: .relaxed) == 1)
        #expect(c.successTotal.load(ordering: .relaxed) == 4 && c.successUnique.load(ordering: .relaxed) == 3)
        #expect(c.successCooldownTotal.load(ordering: .relaxed) == 1)
        #expect(c.resultsOutput.load(ordering: .relaxed) == 4)
        #expect(c.pcapReceived.load(ordering: .relaxed) == 6)
        // It listened for exactly the cooldown (-c 1) after the end of sending, one poll at a time.
        let listened = clock.now() - counters.sendEndNanos.load(ordering: .relaxed)
        #expect(listened >= 1_000_000_000 && listened < 1_000_000_000 + ScriptedReplies.pollNanos)
    }

    @Test("the output filter keeps matching results only; the status counters see every valid reply")
    func filter() throws {
        let path = TestPlan.scratch("filtered")
        defer { unlink(path) }
        let plan = try TestPlan.make(fields: Self.fields, filter: "success = 1 && repeat = 0", output: path)
        let reply = Self.replies(plan)
        let clock = TestClock(), counters = ScanCounters(), source = ScriptedReplies(clock: clock)
        for a in ["10.0.0.4", "10.0.0.4", "10.0.0.5", "10.0.0.4"] { source.enqueue(reply[a]!) }
        counters.sendEndNanos.store(clock.now(), ordering: .relaxed)
        try Self.receive(plan, clock: clock, counters: counters, replies: source)
        #expect(Self.lines(path) == ["10.0.0.4,echoreply,1,0,1", "10.0.0.5,echoreply,1,0,1"])
        #expect(counters.validReplies.load(ordering: .relaxed) == 4)
        #expect(counters.resultsOutput.load(ordering: .relaxed) == 2)
    }

    @Test("-N stops the scan once that many results are out")
    func maxResults() throws {
        let path = TestPlan.scratch("max")
        defer { unlink(path) }
        let plan = try TestPlan.make(fields: ["saddr"], output: path) { $0.limits.maxResults = 2 }
        let reply = Self.replies(plan)
        let clock = TestClock(), counters = ScanCounters(), source = ScriptedReplies(clock: clock)
        for a in ["10.0.0.6", "10.0.0.7", "10.0.0.8", "10.0.0.9"] { source.enqueue(reply[a]!) }
        try Self.receive(plan, clock: clock, counters: counters, replies: source)
        #expect(Self.lines(path) == ["10.0.0.6", "10.0.0.7"])
        #expect(counters.stop.load(ordering: .relaxed) && counters.stopSending.load(ordering: .relaxed))
        #expect(source.pending == 2)
    }

    @Test("a failing reply source stops the scan; the results before it are written")
    func sourceFailure() throws {
        let path = TestPlan.scratch("failing")
        defer { unlink(path) }
        let plan = try TestPlan.make(output: path)
        let reply = Self.replies(plan)
        let clock = TestClock(), counters = ScanCounters(), source = ScriptedReplies(clock: clock)
        source.enqueue(reply["10.0.0.1"]!)
        source.enqueue(failure: SystemError(call: "poll", errno: EIO))
        source.enqueue(reply["10.0.0.2"]!)
        try Self.receive(plan, clock: clock, counters: counters, replies: source)
        #expect(Self.lines(path) == ["10.0.0.1"])
        #expect(counters.stop.load(ordering: .relaxed) == true)
        #expect(source.pending == 1)
    }

    @Test(
        "results that cannot be written (ENOSPC) stop the scan and are counted as lost",
        .enabled(if: MockingDriver.isAvailable, "needs a debug build (ENABLE_MOCKING)"))
    func outputFailure() throws {
        let path = TestPlan.scratch("full")
        defer { unlink(path) }
        let plan = try TestPlan.make(output: path)
        let reply = Self.replies(plan)
        let clock = TestClock(), counters = ScanCounters(), source = ScriptedReplies(clock: clock)
        for a in ["10.0.0.1", "10.0.0.2"] { source.enqueue(reply[a]!) }
        let sink = try MockingDriver.withMocking { driver in
            driver.failAlways("write", errno: ENOSPC)
            return try Self.receive(plan, clock: clock, counters: counters, replies: source)
        }
        #expect(counters.stop.load(ordering: .relaxed) == true)
        #expect(sink.recordsWritten == 0 && sink.recordsLost == 2)
        #expect(
            sink.failureDescription == "could not write results to '\(path)': No space left on device "
                + "(0 results written, 2 lost)")
        #expect(clock.elapsed <= ScriptedReplies.pollNanos)  // stopped at the first flush
    }

    @Test("at the end of the cooldown, replies already captured are still handled, at most one buffer's worth")
    func cooldownDrain() throws {
        let path = TestPlan.scratch("drain")
        defer { unlink(path) }
        let plan = try TestPlan.make(targets: ["10.0.0.0/27"], output: path) {
            $0.capture.bufferBytes = 10 * CapturePlan.frameCost(snaplen: 0)
        }
        let reply = Self.replies(plan)
        let clock = TestClock(), counters = ScanCounters(), source = ScriptedReplies(clock: clock)
        let order = reply.keys.sorted().prefix(15)
        for a in order { source.enqueue(reply[a]!) }
        source.dropped.store(3, ordering: .relaxed)
        clock.advance(5_000_000_000)
        counters.sendEndNanos.store(clock.now() - 2_000_000_000, ordering: .relaxed)  // cooldown already over
        try Self.receive(plan, clock: clock, counters: counters, replies: source)
        #expect(Self.lines(path) == Array(order.prefix(10)))
        #expect(source.pending == 5)
        #expect(counters.pcapDropped.load(ordering: .relaxed) == 3)
        #expect(counters.pcapReceived.load(ordering: .relaxed) == 10)
    }
}
