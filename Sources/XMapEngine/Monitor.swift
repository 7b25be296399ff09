import XMapCore
import XMapIO

/// The monitor thread: once per second until the receiver finishes, it prints XMap's status
/// line on stderr, appends a row to the `-u` status file, warns about drops and send failures,
/// and aborts the scan for `--min-hitrate` and `--max-sendto-failures`.
struct Monitor {
    static let minHitrateWindow = 5.0

    let tracker: StatusTracker
    /// The `-u` file, already open, header written.
    let statusFile: StatusFile?
    /// SIGINT and SIGTERM received so far (`InterruptSignal.count`; tests count their own).
    var interrupts: @Sendable () -> Int = { InterruptSignal.count }
    /// Where the status line goes (standard error; tests keep the lines).
    var printStatus: @Sendable (String) -> Void = { writeStderr($0) }

    func run<K: ScanClock>(clock: K) {
        var tracker = self.tracker
        let counters = tracker.counters
        var signals = 0
        while !counters.receiverDone.load(ordering: .acquiring) {
            // Sleep in short steps so the end of the scan is not delayed by up to a second.
            var slept: UInt64 = 0
            while slept < 1_000_000_000 && !counters.receiverDone.load(ordering: .acquiring) {
                clock.sleep(nanos: 50_000_000)
                slept += 50_000_000
                let received = interrupts()
                if received > signals {
                    signals = received
                    Self.interrupt(signals, counters: counters, cooldownSeconds: tracker.limits.cooldownSeconds)
                }
            }
            if counters.receiverDone.load(ordering: .acquiring) { break }
            let s = tracker.sample(now: clock.now())
            if let statusFile {
                let (seconds, _) = clock.wallClock()
                statusFile.write(Self.csvRow(s, time: Log.localTime("%Y-%m-%d %H:%M:%S", seconds: seconds)))
            }
            if !tracker.monitor.quiet {
                printStatus(Self.line(s, appSuccess: tracker.reportsAppSuccess, zmap: tracker.monitor.zmapLine) + "\n")
            }
            if s.dropRate > 0 && s.dropRate > 0.05 * s.resultRate {
                let pcap = counters.pcapDropped.load(ordering: .relaxed)
                let interface = counters.pcapInterfaceDropped.load(ordering: .relaxed)
                Log.warn(
                    "Dropped \(StatusFormat.fixed(s.dropRate, 0)) packets in the last second, "
                        + "(\(s.drops) total dropped (pcap: \(pcap) + iface: \(interface)))", module: "monitor")
            }
            if s.failureRate > 0 && s.failureRate > 0.01 * s.sendRate {
                Log.warn(
                    "Failed to send \(StatusFormat.fixed(s.failureRate, 0)) packets/sec "
                        + "(\(s.sendFailures) total failures)", module: "monitor")
            }
            if let reason = Self.abortReason(s, monitor: tracker.monitor) {
                counters.abort(reason)
            }
        }
    }

    /// First SIGINT/SIGTERM: stop sending and collect replies through the cooldown. Second: stop
    /// now. Either way the results so far are written and the metadata too.
    static func interrupt(_ signals: Int, counters: ScanCounters, cooldownSeconds: Int) {
        counters.interrupted.store(true, ordering: .relaxed)
        if signals == 1 && counters.sendEndNanos.load(ordering: .relaxed) == 0 && cooldownSeconds > 0 {
            counters.stopSending.store(true, ordering: .relaxed)
            Log.warn(
                "interrupted: sending stopped; collecting replies for \(cooldownSeconds) s (interrupt again to stop "
                    + "now)",
                module: "monitor")
        } else {
            counters.stopAll()
            Log.warn("interrupted: stopping now", module: "monitor")
        }
    }

    /// XMap's fatal monitor conditions.
    static func abortReason(_ s: StatusSnapshot, monitor: MonitorPlan) -> String? {
        if monitor.minHitrate > 0 && s.secondsBelowMinHitrate >= minHitrateWindow {
            return
                "hitrate below \(StatusFormat.fixed(monitor.minHitrate, 0)) for "
                + "\(StatusFormat.fixed(s.secondsBelowMinHitrate, 0)) seconds. aborting scan."
        }
        if monitor.maxSendtoFailures >= 0 && s.sendFailures > UInt64(monitor.maxSendtoFailures) {
            return "maximum number of sendto failures (\(monitor.maxSendtoFailures)) exceeded"
        }
        return nil
    }

    /// The `-u` file's header (XMap's column names).
    static let csvHeader =
        "real-time,time-elapsed,time-remaining,percent-complete,hit-rate,active-send-threads,sent-total,"
        + "sent-last-one-sec,sent-avg-per-sec,sent-bandwidth-last-one-sec,sent-bandwidth-avg-per-sec,"
        + "recv-success-total,recv-success-last-one-sec,recv-success-avg-per-sec,recv-total,"
        + "recv-total-last-one-sec,recv-total-avg-per-sec,pcap-drop-total,drop-last-one-sec,drop-avg-per-sec,"
        + "sendto-fail-total,sendto-fail-last-one-sec,sendto-fail-avg-per-sec"

    /// One `-u` row in XMap's number formats (`%u`, `%f`, `%.0f`).
    static func csvRow(_ s: StatusSnapshot, time: String) -> String {
        func f0(_ v: Double) -> String { StatusFormat.fixed(v, 0) }
        let fields: [String] = [
            time, "\(UInt32(clamping: Int(s.age)))", "\(UInt32(clamping: Int(s.remaining)))",
            StatusFormat.fixed(s.percentComplete, 6), StatusFormat.fixed(s.hitrate, 6), "\(s.activeSenders)",
            "\(s.sent)", f0(s.sendRate), f0(s.sendAverage), f0(s.sendBandwidth), f0(s.sendBandwidthAverage),
            "\(s.results)", f0(s.resultRate), f0(s.resultAverage),
            "\(s.captured)", f0(s.capturedRate), f0(s.capturedAverage),
            "\(s.drops)", f0(s.dropRate), f0(s.dropAverage),
            "\(s.sendFailures)", f0(s.failureRate), f0(s.failureAverage)
        ]
        return fields.joined(separator: ",")
    }

    /// XMap's status line; for modules with `app_success` (DNS) its second form, which says
    /// `sent:`, counts first-seen successes as recv and adds the application successes.
    /// XMap's line (with bandwidth figures), or ZMap's (`zmap`: packets only).
    static func line(_ s: StatusSnapshot, appSuccess: Bool = false, zmap: Bool = false) -> String {
        let left =
            s.age >= StatusTracker.warmupSeconds
            ? " (\(StatusFormat.remaining(Int(s.remaining.rounded(.up)))) left)" : ""
        let bandwidth = zmap ? "" : " \(StatusFormat.number(s.sendBandwidthAverage, base: 1024))b/s"
        let average = "\(StatusFormat.number(s.sendAverage))p/s\(bandwidth) avg"
        let word = appSuccess ? "sent" : "send"
        let now = zmap ? "" : " \(StatusFormat.number(s.sendBandwidth, base: 1024))b/s"
        let send =
            s.sendingDone
            ? "\(word): \(s.sent) done (\(average))"
            : "\(word): \(s.sent) \(StatusFormat.number(s.sendRate))p/s\(now) (\(average))"
        let received = appSuccess ? s.successUnique : s.results
        var text =
            "\(StatusFormat.elapsed(Int(s.age))) \(StatusFormat.fixed(s.percentComplete, 0))%\(left); \(send); "
            + "recv: \(received) \(StatusFormat.number(s.resultRate))p/s (\(StatusFormat.number(s.resultAverage))p/s "
            + "avg); "
        if appSuccess {
            text +=
                "app success: \(s.appSuccesses) \(StatusFormat.number(s.appRate))p/s "
                + "(\(StatusFormat.number(s.appAverage))p/s avg); "
        }
        text +=
            "drops: \(StatusFormat.number(s.dropRate))p/s (\(StatusFormat.number(s.dropAverage))p/s avg); "
            + "hitrate: \(StatusFormat.fixed(s.hitrate, 2))%"
        if appSuccess { text += " app hitrate: \(StatusFormat.fixed(s.appHitrate, 2))%" }
        return text
    }
}
