import Testing
import XMapCore
@testable import XMapEngine
import XMapIO

/// One sender thread run on the test's thread with a memory transmitter and the test clock:
/// which packets it builds, how it batches and paces them, and when it stops.
@Suite("Sender")
struct SenderTests {
    static func addresses(_ prefix: String) throws -> Set<String> {
        let p = try IPPrefix.parse(prefix, family: .v4)
        let first = p.network.value, count = UInt128(1) << UInt128(32 - p.length)
        return Set((0..<count).map { IPAddress(family: .v4, value: first + $0).description })
    }

    @Test("every target once, from the source address, in batches of --batch; the counters agree")
    func batches() throws {
        let plan = try TestPlan.make { $0.sending.batchSize = 4 }
        let clock = TestClock(), counters = ScanCounters()
        let sent = plan.runSender(clock: clock, counters: counters)
        #expect(sent.batches.map(\.packets.count) == [4, 4, 4, 4])
        let all = try Self.addresses("10.0.0.0/28")
        #expect(Set(sent.packets.map(destination)) == all)
        #expect(Set(sent.packets.map(source)) == ["192.0.2.1"])
        #expect(sent.packets.allSatisfy { $0[20] == 8 })  // echo requests
        #expect(counters.packetsSent.load(ordering: .relaxed) == 16)
        #expect(counters.targetsScanned.load(ordering: .relaxed) == 16)
        #expect(counters.packetsFailed.load(ordering: .relaxed) == 0)
        #expect(clock.sleepCount == 0)  // -R 0: no pacing
    }

    @Test("--probes N sends N probes to every target")
    func probes() throws {
        let plan = try TestPlan.make(probes: 3)
        let clock = TestClock(), counters = ScanCounters()
        let sent = plan.runSender(clock: clock, counters: counters)
        let perTarget = Dictionary(grouping: sent.packets.map(destination), by: { $0 }).mapValues(\.count)
        #expect(perTarget.count == 16 && perTarget.values.allSatisfy { $0 == 3 })
        #expect(counters.packetsSent.load(ordering: .relaxed) == 48)
        #expect(counters.targetsScanned.load(ordering: .relaxed) == 16)
    }

    @Test(
        "shards × sender threads split the targets: every target exactly once over all sub-shards",
        arguments: [(1, 1), (1, 4), (3, 2), (2, 3), (5, 1)])
    func subshards(_ shards: Int, _ threads: Int) throws {
        var all: [String] = []
        for shard in 0..<shards {
            let plan = try TestPlan.make(targets: ["10.0.0.0/26"]) {
                $0.identity.shards = shards
                $0.identity.shard = shard
                $0.sending.senderThreads = threads
            }
            for thread in 0..<threads {
                all += plan.runSender(thread: thread, clock: TestClock()).packets.map(destination)
            }
        }
        let expected = try Self.addresses("10.0.0.0/26")
        #expect(all.count == 64 && Set(all) == expected)
    }

    @Test("-n and -k are split over the sub-shards: the whole scan stops at the limit", arguments: [1, 3])
    func limits(_ threads: Int) throws {
        for (maxTargets, maxPackets) in [(UInt64(10), UInt64(0)), (0, 7)] {
            let plan = try TestPlan.make(targets: ["10.0.0.0/26"]) {
                $0.sending.senderThreads = threads
                $0.limits.maxTargets = maxTargets
                $0.limits.maxPackets = maxPackets
            }
            let counters = ScanCounters()
            let progress = ScanProgress(threads: threads)
            var all: [String] = []
            for thread in 0..<threads {
                all += plan.runSender(thread: thread, clock: TestClock(), counters: counters, progress: progress)
                    .packets.map(destination)
            }
            let expected = Int(max(maxTargets, maxPackets))
            #expect(all.count == expected && Set(all).count == expected)
            #expect(counters.targetsScanned.load(ordering: .relaxed) == UInt64(expected))
            // A thread that reached its share is done (a resumed scan does not send again).
            #expect(progress.snapshot.allSatisfy { $0.position == .finished })
        }
    }

    @Test(
        "-R paces the thread: never ahead of schedule, batches of up to --batch, the whole run at the rate",
        arguments: [1000, 100_000])
    func rate(_ rate: Int) throws {
        let plan = try TestPlan.make(targets: ["10.0.0.0/22"]) {
            $0.sending.rate = rate
            $0.sending.batchSize = 64
        }
        let clock = TestClock()
        let sent = plan.runSender(clock: clock)
        let interval = 1e9 / Double(rate)
        var total = 0
        for batch in sent.batches {
            total += batch.packets.count
            #expect(batch.packets.count <= 64)
            // Packets due within the next millisecond may go early, together; no more.
            let allowed = Double(batch.time - TestClock.origin) / interval + 1 + 1_000_000 / interval
            #expect(Double(total) <= allowed, "\(total) packets by \(batch.time - TestClock.origin) ns")
        }
        #expect(total == 1024)
        // The last packets go up to a millisecond early, like every batch.
        let seconds = Double(clock.elapsed) / 1e9
        #expect(seconds >= 1023 / Double(rate) - 0.001 - 1 / Double(rate), "\(seconds) s")
        #expect(seconds <= 1024 / Double(rate), "\(seconds) s")
    }

    @Test("--max-runtime stops sending at the deadline, on the scan's clock")
    func maxRuntime() throws {
        let plan = try TestPlan.make(targets: ["10.0.0.0/20"]) {
            $0.sending.rate = 1000
            $0.limits.maxRuntime = 2
        }
        let clock = TestClock(), progress = ScanProgress(threads: 1)
        let sent = plan.runSender(clock: clock, progress: progress)
        #expect(clock.elapsed >= 2_000_000_000 && clock.elapsed <= 2_002_000_000)
        #expect(sent.packets.count >= 1999 && sent.packets.count <= 2002)
        #expect(progress.snapshot[0].position != .finished)  // stopped, not done
    }

    @Test("packets the transmitter refuses are counted as failed; --max-sendto-failures aborts on them")
    func failures() throws {
        let plan = try TestPlan.make { $0.sending.batchSize = 4 }
        let counters = ScanCounters()
        let sent = plan.runSender(clock: TestClock(), counters: counters) { $0.failures = { batch, _ in batch % 2 } }
        #expect(sent.packets.count == 16)
        #expect(counters.packetsSent.load(ordering: .relaxed) == 16)
        #expect(counters.packetsFailed.load(ordering: .relaxed) == 2)
        var monitor = MonitorPlan()
        monitor.maxSendtoFailures = 1
        var tracker = StatusTracker(
            limits: plan.limits, monitor: monitor, counters: counters, expectedPackets: 16,
            frameLength: 42, start: TestClock.origin)
        let sample = tracker.sample(now: TestClock.origin + 1_000_000_000)
        #expect(sample.sendFailures == 2)
        #expect(Monitor.abortReason(sample, monitor: monitor) == "maximum number of sendto failures (1) exceeded")
    }

    @Test("an interrupt stops sending at the next target; the progress lets a resumed thread finish the rest")
    func interruptAndResume() throws {
        let plan = try TestPlan.make(targets: ["10.0.0.0/26"]) { $0.sending.batchSize = 8 }
        let counters = ScanCounters(), progress = ScanProgress(threads: 1)
        let first = plan.runSender(clock: TestClock(), counters: counters, progress: progress) { t in
            t.afterSend = { batch in
                if batch == 1 { Monitor.interrupt(1, counters: counters, cooldownSeconds: 5) }
            }
        }
        #expect(first.packets.count == 16)
        #expect(counters.interrupted.load(ordering: .relaxed) && counters.stopSending.load(ordering: .relaxed))
        #expect(counters.stop.load(ordering: .relaxed) == false)  // replies are still collected
        let saved = progress.snapshot[0]
        #expect(saved.targets == 16 && saved.packets == 16 && saved.position != .finished)

        let rest = plan.runSender(clock: TestClock(), progress: progress, resume: saved)
        let all = first.packets.map(destination) + rest.packets.map(destination)
        let expected = try Self.addresses("10.0.0.0/26")
        #expect(all.count == 64 && Set(all) == expected)
        #expect(progress.snapshot[0] == ThreadProgress(position: .finished, targets: 64, packets: 64))

        Monitor.interrupt(2, counters: counters, cooldownSeconds: 5)  // a second interrupt stops everything
        #expect(counters.stop.load(ordering: .relaxed) == true)
    }
}
