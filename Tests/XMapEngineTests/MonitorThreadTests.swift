#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import XMapCore
@testable import XMapEngine
import XMapIO

/// The monitor thread's loop run on the test's thread with the test clock: a status line each
/// second, interrupts (Ctrl-C) as it sees them, the `-u` rows and its abort conditions. The
/// test's script acts at given times on the clock.
@Suite("Monitor thread")
struct MonitorThreadTests {
    /// SIGINT/SIGTERM as the test sends them.
    final class Signals: Sendable {
        let count = Atomic<Int>(0)
        init(_ n: Int = 0) { count.store(n, ordering: .relaxed) }
    }

    /// Runs the monitor until `script` sets `receiverDone`; `script` is called with the seconds
    /// since the start after every sleep. Returns the status lines it printed.
    static func run(
        _ counters: ScanCounters, monitor: MonitorPlan = MonitorPlan(), cooldown: Int = 5,
        interrupts: Signals = Signals(), statusFile: StatusFile? = nil,
        script: @escaping @Sendable (Double) -> Void
    ) -> [String] {
        let clock = TestClock()
        clock.onSleep { now in script(Double(now - TestClock.origin) / 1e9) }
        var limits = ScanLimits()
        limits.cooldownSeconds = cooldown
        let tracker = StatusTracker(
            limits: limits, monitor: monitor, counters: counters, expectedPackets: 4000,
            frameLength: 42, start: TestClock.origin)
        let lines = LineLog()
        Monitor(
            tracker: tracker, statusFile: statusFile, interrupts: { interrupts.count.load(ordering: .relaxed) },
            printStatus: { lines.append($0) }
        ).run(clock: clock)
        return lines.all
    }

    /// True once at time `t` (the script is called every 50 ms of the clock).
    static func at(_ t: Double, _ now: Double) -> Bool { abs(now - t) < 0.025 }

    @Test("a status line every second: sent, rates, done once sending ends; none after the receiver is done")
    func statusLines() {
        let counters = ScanCounters()
        let lines = Self.run(counters) { now in
            if Self.at(0.5, now) { counters.packetsSent.store(500, ordering: .relaxed) }
            if Self.at(1.5, now) {
                counters.packetsSent.store(1500, ordering: .relaxed)
                counters.resultsOutput.store(30, ordering: .relaxed)
            }
            if Self.at(2.5, now) { counters.sendEndNanos.store(TestClock.origin + 2_500_000_000, ordering: .relaxed) }
            if Self.at(3.5, now) { counters.receiverDone.store(true, ordering: .releasing) }
        }
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasSuffix("\n") })
        #expect(lines[0].hasPrefix(" 0:01 ") && lines[0].contains("; send: 500 500 p/s"))
        #expect(lines[1].hasPrefix(" 0:02 ") && lines[1].contains("; send: 1500 1.00 Kp/s"))
        #expect(lines[1].contains("; recv: 30 30 p/s (15 p/s avg); ") && lines[1].contains("hitrate: 2.00%"))
        #expect(lines[2].hasPrefix(" 0:03 ") && lines[2].contains("; send: 1500 done (600 p/s"))
    }

    @Test("-q: no status line")
    func quiet() {
        var monitor = MonitorPlan()
        monitor.quiet = true
        let counters = ScanCounters()
        let lines = Self.run(counters, monitor: monitor) { now in
            if Self.at(2.5, now) { counters.receiverDone.store(true, ordering: .releasing) }
        }
        #expect(lines.isEmpty)
    }

    @Test("Ctrl-C: the first stops sending (replies are still collected), the second stops everything")
    func interrupts() {
        let counters = ScanCounters()
        let signals = Signals()
        let seen = LineLog()
        _ = Self.run(counters, interrupts: signals) { now in
            if Self.at(0.3, now) { signals.count.store(1, ordering: .relaxed) }
            if Self.at(0.6, now) {
                seen.append(
                    "stopSending=\(counters.stopSending.load(ordering: .relaxed)) "
                        + "stop=\(counters.stop.load(ordering: .relaxed))")
                signals.count.store(2, ordering: .relaxed)
            }
            if Self.at(0.9, now) {
                seen.append("stop=\(counters.stop.load(ordering: .relaxed))")
                counters.receiverDone.store(true, ordering: .releasing)
            }
        }
        #expect(seen.all == ["stopSending=true stop=false", "stop=true"])
        #expect(counters.interrupted.load(ordering: .relaxed) == true)
    }

    @Test("Ctrl-C after sending ended, or without a cooldown, stops everything at once", arguments: [true, false])
    func interruptInCooldown(_ sendingDone: Bool) {
        let counters = ScanCounters()
        if sendingDone { counters.sendEndNanos.store(TestClock.origin, ordering: .relaxed) }
        _ = Self.run(counters, cooldown: sendingDone ? 5 : 0, interrupts: Signals(1)) { now in
            if Self.at(0.5, now) { counters.receiverDone.store(true, ordering: .releasing) }
        }
        #expect(counters.stop.load(ordering: .relaxed) && counters.interrupted.load(ordering: .relaxed))
    }

    @Test("--max-sendto-failures and --min-hitrate abort the scan with XMap's reason", arguments: [true, false])
    func aborts(_ failures: Bool) {
        var monitor = MonitorPlan()
        monitor.quiet = true
        if failures { monitor.maxSendtoFailures = 3 } else { monitor.minHitrate = 10 }
        let counters = ScanCounters()
        let abortedAt = Mutex<Double?>(nil)
        _ = Self.run(counters, monitor: monitor) { now in
            counters.packetsSent.store(UInt64(now * 1000), ordering: .relaxed)
            if failures && Self.at(0.5, now) { counters.packetsFailed.store(4, ordering: .relaxed) }
            if counters.stop.load(ordering: .relaxed) {
                abortedAt.withLock { if $0 == nil { $0 = now } }
                counters.receiverDone.store(true, ordering: .releasing)
            }
        }
        let reason = counters.abortReason.withLock { $0 }
        if failures {
            #expect(reason == "maximum number of sendto failures (3) exceeded")
            #expect(abortedAt.withLock { $0 }.map { $0 <= 1.06 } == true)  // at the first sample
        } else {
            // The hit rate counts after the 5 s warm-up, then for a 5 s window.
            #expect(reason == "hitrate below 10 for 5 seconds. aborting scan.")
            #expect(abortedAt.withLock { $0 }.map { $0 >= 11 && $0 <= 12.06 } == true)
        }
    }

    @Test("-u: the header, then one row a second with the elapsed seconds")
    func statusFile() throws {
        let path = TestPlan.scratch("status.csv")
        defer { unlink(path) }
        let counters = ScanCounters()
        _ = Self.run(counters, statusFile: try StatusFile(path: path)) { now in
            counters.packetsSent.store(UInt64(now * 100), ordering: .relaxed)
            if Self.at(3.5, now) { counters.receiverDone.store(true, ordering: .releasing) }
        }
        let rows = TestPlan.contents(path).split(separator: "\n").map { $0.split(separator: ",") }
        #expect(rows.count == 4 && rows[0].count == 23 && rows.dropFirst().allSatisfy { $0.count == 23 })
        #expect(rows.dropFirst().map { String($0[1]) } == ["1", "2", "3"])
        #expect(rows.dropFirst().map { String($0[6]) } == ["100", "200", "300"])
    }
}
