import XMapIO

/// The scan's statistics at one moment, as XMap's monitor exports them once per second: for
/// the status line, the `-u` CSV file and the abort checks. Rates are per second since the
/// previous snapshot; averages are since the start.
struct StatusSnapshot {
    var age = 0.0
    var remaining = 0.0
    var percentComplete = 0.0
    /// Results that passed the filter, per 100 packets sent.
    var hitrate = 0.0
    var activeSenders = 0
    var sendingDone = false
    var sent: UInt64 = 0
    var sendRate = 0.0, sendAverage = 0.0
    var sendBandwidth = 0.0, sendBandwidthAverage = 0.0
    /// Results that passed the output filter (XMap's "recv").
    var results: UInt64 = 0
    var resultRate = 0.0, resultAverage = 0.0
    /// Packets libpcap captured (XMap's "recv-total").
    var captured: UInt64 = 0
    var capturedRate = 0.0, capturedAverage = 0.0
    /// Packets dropped by libpcap and by the interface.
    var drops: UInt64 = 0
    var dropRate = 0.0, dropAverage = 0.0
    /// Successes seen for the first time, and (modules with `app_success`) application
    /// successes seen for the first time, with their rates and hit rate.
    var successUnique: UInt64 = 0
    var appSuccesses: UInt64 = 0
    var appRate = 0.0, appAverage = 0.0, appHitrate = 0.0
    var sendFailures: UInt64 = 0
    var failureRate = 0.0, failureAverage = 0.0
    /// How long the hit rate has been below `--min-hitrate` (0 when it is not).
    var secondsBelowMinHitrate = 0.0
}

/// Turns the shared counters into snapshots, remembering the previous one for the rates.
struct StatusTracker {
    /// XMap's warm-up before the remaining time and `--min-hitrate` count.
    static let warmupSeconds = 5.0

    let limits: ScanLimits
    let monitor: MonitorPlan
    let counters: ScanCounters
    /// Total packets the scan will send (for percent complete); 0 if unknown.
    let expectedPackets: Double
    /// Whether the probe module has `app_success` (XMap's status line then reports it).
    let reportsAppSuccess: Bool
    /// Bytes of one probe frame, link header included.
    let frameLength: Int
    let start: UInt64
    private var last:
        (time: UInt64, sent: UInt64, results: UInt64, captured: UInt64, drops: UInt64, failures: UInt64, app: UInt64)
    private var lastSendRate = 0.0
    private var belowMinHitrateSince: UInt64 = 0

    init(
        limits: ScanLimits, monitor: MonitorPlan, counters: ScanCounters, expectedPackets: Double,
        reportsAppSuccess: Bool = false, frameLength: Int, start: UInt64
    ) {
        self.reportsAppSuccess = reportsAppSuccess
        self.limits = limits
        self.monitor = monitor
        self.counters = counters
        self.expectedPackets = expectedPackets
        self.frameLength = frameLength
        self.start = start
        last = (start, 0, 0, 0, 0, 0, 0)
    }

    /// Bits on the wire per packet, as XMap counts them (preamble, gap and CRC; 84 at least).
    var bitsPerPacket: Double { Double((frameLength > 60 ? frameLength + 24 : 84) * 8) }

    mutating func sample(now: UInt64) -> StatusSnapshot {
        var s = StatusSnapshot()
        s.sent = counters.packetsSent.load(ordering: .relaxed)
        s.results = counters.resultsOutput.load(ordering: .relaxed)
        s.captured = counters.pcapReceived.load(ordering: .relaxed)
        s.drops =
            counters.pcapDropped.load(ordering: .relaxed) &+ counters.pcapInterfaceDropped.load(ordering: .relaxed)
        s.sendFailures = counters.packetsFailed.load(ordering: .relaxed)
        s.successUnique = counters.successUnique.load(ordering: .relaxed)
        s.appSuccesses = counters.appSuccessUnique.load(ordering: .relaxed)
        s.activeSenders = counters.activeSenders.load(ordering: .relaxed)
        let end = counters.sendEndNanos.load(ordering: .relaxed)
        s.sendingDone = end != 0

        s.age = Double(now &- start) / 1e9
        let age = max(s.age, 1e-9)
        let dt = max(1e-9, Double(now &- last.time) / 1e9)
        func rate(_ value: UInt64, _ previous: UInt64) -> Double { Double(value &- previous) / dt }
        if s.sendingDone {
            s.sendRate = lastSendRate  // XMap keeps the last value once sending is done
            s.sendAverage = Double(s.sent) / max(1e-9, Double(end &- start) / 1e9)
        } else {
            s.sendRate = rate(s.sent, last.sent)
            s.sendAverage = Double(s.sent) / age
            lastSendRate = s.sendRate
        }
        s.sendBandwidth = s.sendRate * bitsPerPacket
        s.sendBandwidthAverage = s.sendAverage * bitsPerPacket
        s.resultRate = rate(s.results, last.results)
        s.resultAverage = Double(s.results) / age
        s.capturedRate = rate(s.captured, last.captured)
        s.capturedAverage = Double(s.captured) / age
        s.dropRate = rate(s.drops, last.drops)
        s.dropAverage = Double(s.drops) / age
        s.failureRate = rate(s.sendFailures, last.failures)
        s.failureAverage = Double(s.sendFailures) / age
        s.appRate = rate(s.appSuccesses, last.app)
        s.appAverage = Double(s.appSuccesses) / age
        last = (now, s.sent, s.results, s.captured, s.drops, s.sendFailures, s.appSuccesses)
        s.appHitrate = s.sent > 0 ? 100 * Double(s.appSuccesses) / Double(s.sent) : 0

        s.hitrate = s.sent > 0 ? 100 * Double(s.results) / Double(s.sent) : 0
        if s.age > Self.warmupSeconds && s.hitrate < monitor.minHitrate {
            if belowMinHitrateSince == 0 { belowMinHitrateSince = now }
            s.secondsBelowMinHitrate = Double(now &- belowMinHitrateSince) / 1e9
        } else {
            belowMinHitrateSince = 0
        }

        let cooldown = Double(limits.cooldownSeconds)
        if s.sendingDone {
            s.remaining = max(0, cooldown - Double(now &- end) / 1e9)
        } else if expectedPackets > 0 && s.sendAverage > 0 {
            s.remaining = max(0, (expectedPackets - Double(s.sent)) / s.sendAverage) + cooldown
        } else {
            s.remaining = cooldown
        }
        let maxRuntime = limits.maxRuntime
        if maxRuntime > 0 && !s.sendingDone {
            s.remaining = min(s.remaining, max(0, Double(maxRuntime) - s.age) + cooldown)
        }
        s.percentComplete = 100 * s.age / max(s.age + s.remaining, 1e-9)
        return s
    }
}
