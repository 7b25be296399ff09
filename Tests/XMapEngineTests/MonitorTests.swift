import Testing
@testable import XMapEngine
import XMapCore

/// The monitor's numbers, its `-u` rows and its abort conditions, driven by hand-set counters.
@Suite("Monitor")
struct MonitorTests {
    func monitor(minHitrate: Double = 0, maxSendtoFailures: Int = -1) -> MonitorPlan {
        var m = MonitorPlan()
        m.minHitrate = minHitrate
        m.maxSendtoFailures = maxSendtoFailures
        return m
    }

    func makeTracker(
        _ counters: ScanCounters, monitor: MonitorPlan? = nil, expectedPackets: Double = 0
    ) -> StatusTracker {
        StatusTracker(
            limits: ScanLimits(), monitor: monitor ?? self.monitor(), counters: counters,
            expectedPackets: expectedPackets, frameLength: 42, start: 0)
    }

    static let second: UInt64 = 1_000_000_000

    @Test("rates, averages and hit rate from the counters")
    func snapshot() {
        let counters = ScanCounters()
        var tracker = makeTracker(counters, expectedPackets: 4000)
        counters.packetsSent.store(1000, ordering: .relaxed)
        counters.resultsOutput.store(10, ordering: .relaxed)
        let a = tracker.sample(now: Self.second)
        #expect(a.sendRate == 1000 && a.sendAverage == 1000)
        #expect(a.hitrate == 1)
        #expect(a.remaining == 3 + 5)  // 3000 packets left at 1000/s, plus cooldown
        #expect(a.sendBandwidth == 1000 * 84 * 8)  // short frames count as 84 bytes on the wire
        counters.packetsSent.store(1500, ordering: .relaxed)
        let b = tracker.sample(now: 2 * Self.second)
        #expect(b.sendRate == 500 && b.sendAverage == 750)
    }

    @Test("modules with app_success: XMap's second status line form (sent:, app success, app hitrate)")
    func appSuccessLine() {
        let counters = ScanCounters()
        var tracker = StatusTracker(
            limits: ScanLimits(), monitor: monitor(), counters: counters, expectedPackets: 100,
            reportsAppSuccess: true, frameLength: 42, start: 0)
        counters.packetsSent.store(100, ordering: .relaxed)
        counters.resultsOutput.store(40, ordering: .relaxed)
        counters.successUnique.store(40, ordering: .relaxed)
        counters.appSuccessUnique.store(25, ordering: .relaxed)
        let s = tracker.sample(now: Self.second)
        #expect(s.appSuccesses == 25 && s.appRate == 25 && s.appHitrate == 25)
        let line = Monitor.line(s, appSuccess: true)
        #expect(line.hasPrefix(" 0:01 17%; sent: 100 100 p/s"))
        #expect(line.contains("; recv: 40 40 p/s (40 p/s avg); app success: 25 25 p/s (25 p/s avg); drops: 0 p/s"))
        #expect(line.hasSuffix("hitrate: 40.00% app hitrate: 25.00%"))
        #expect(Monitor.line(s).contains("; send: 100 ") && !Monitor.line(s).contains("app"))
    }

    @Test("--min-hitrate aborts only after the warm-up and a 5 s window, and recovers")
    func minHitrate() {
        let counters = ScanCounters()
        let c = monitor(minHitrate: 5)
        var tracker = makeTracker(counters, monitor: c)
        counters.packetsSent.store(1000, ordering: .relaxed)
        counters.resultsOutput.store(10, ordering: .relaxed)  // 1 % < 5 %
        #expect(Monitor.abortReason(tracker.sample(now: 3 * Self.second), monitor: c) == nil)  // warm-up
        #expect(Monitor.abortReason(tracker.sample(now: 6 * Self.second), monitor: c) == nil)  // window starts
        #expect(Monitor.abortReason(tracker.sample(now: 10 * Self.second), monitor: c) == nil)  // 4 s below
        #expect(
            Monitor.abortReason(tracker.sample(now: 11 * Self.second), monitor: c)
                == "hitrate below 5 for 5 seconds. aborting scan.")
        counters.resultsOutput.store(100, ordering: .relaxed)  // 10 %: the window resets
        #expect(tracker.sample(now: 12 * Self.second).secondsBelowMinHitrate == 0)
        #expect(Monitor.abortReason(tracker.sample(now: 13 * Self.second), monitor: monitor()) == nil)
    }

    @Test("--max-sendto-failures: more failures than the limit abort; -1 never does")
    func sendtoFailures() {
        let counters = ScanCounters()
        var tracker = makeTracker(counters)
        counters.packetsFailed.store(10, ordering: .relaxed)
        let s = tracker.sample(now: Self.second)
        #expect(Monitor.abortReason(s, monitor: monitor(maxSendtoFailures: 10)) == nil)
        #expect(
            Monitor.abortReason(s, monitor: monitor(maxSendtoFailures: 9))
                == "maximum number of sendto failures (9) exceeded")
        #expect(Monitor.abortReason(s, monitor: monitor(maxSendtoFailures: -1)) == nil)
        #expect(Monitor.abortReason(s, monitor: monitor(maxSendtoFailures: 0)) != nil)
    }

    @Test("-u rows have XMap's 23 columns and number formats")
    func statusRow() {
        var s = StatusSnapshot()
        s.age = 12.7
        s.remaining = 3.2
        s.percentComplete = 79.8742
        s.hitrate = 1.5
        s.activeSenders = 2
        s.sent = 1234
        s.sendRate = 99.6
        let row = Monitor.csvRow(s, time: "2026-11-30 18:00:00")
        let cells = row.split(separator: ",", omittingEmptySubsequences: false)
        #expect(cells.count == 23)
        #expect(Monitor.csvHeader.split(separator: ",").count == 23)
        #expect(Array(cells[0...7]) == ["2026-11-30 18:00:00", "12", "3", "79.874200", "1.500000", "2", "1234", "100"])
    }
}
