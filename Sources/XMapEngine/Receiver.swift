import XMapCore
import XMapIO
import XMapModules

/// The receive thread: takes candidate replies from the reply source, validates them against
/// the scan key, fills a result record, applies the output filter and writes results. Generic
/// over the probe module, the reply source, the follow-up transmitter and the clock, so the
/// per-reply path makes no existential call.
struct Receiver<P: ProbeModule, C: ReplySource, F: PacketTransmitter & Sendable, K: ScanClock>: ~Copyable {
    let probe: P
    let plan: ScanPlan
    let counters: ScanCounters
    let source: C
    let sink: OutputSink
    let context: ReplyContext
    /// Answers replies for modules that send follow-ups (`tcp_scan`).
    let followUps: FollowUpSender<P, F>?
    let clock: K

    func run() {
        var seen = RepeatDetector(
            method: plan.output.dedup, family: plan.family,
            expected: plan.output.expectedResults, seed: plan.identity.seed,
            limit: plan.output.dedupLimit)
        var record = Record(schema: plan.output.schema)
        record.fillsRawAddresses = plan.output.readsRawAddresses
        var lastFlush = clock.now()
        var lastStatistics = lastFlush
        let cooldown = UInt64(plan.limits.cooldownSeconds) * 1_000_000_000
        var cooledDown = false
        while true {
            let now = clock.now()
            let end = counters.sendEndNanos.load(ordering: .acquiring)
            if counters.stop.load(ordering: .relaxed) { break }
            if end != 0 && now >= end &+ cooldown { cooledDown = true; break }
            let got: Bool
            do {
                got = try source.next { packet in handle(packet, seen: &seen, record: &record) }
            } catch {
                Log.error("\(error)", module: "recv")
                counters.stopAll()
                break
            }
            // Keep results flowing to pipes: flush when idle or at least every 100 ms.
            if !got || now &- lastFlush > 100_000_000 {
                if !sink.flush() { counters.stopAll() }
                lastFlush = now
            }
            if now &- lastStatistics > 500_000_000 {
                publishStatistics()
                lastStatistics = now
            }
        }
        if cooledDown { drain(seen: &seen, record: &record) }
        publishStatistics()
        sink.flush()
    }

    /// At the end of the cooldown, handles the replies already captured but not yet read (they
    /// arrived in time; the receiver was behind, e.g. blocked on a slow output). At most one
    /// capture buffer's worth, so a flood that goes on cannot keep the scan from ending.
    private func drain(seen: inout RepeatDetector, record: inout Record) {
        var left = plan.capture.bufferBytes / CapturePlan.frameCost(snaplen: 0)
        var lastFlush = clock.now()
        while left > 0 && !counters.stop.load(ordering: .relaxed) {
            let got: Bool
            do {
                got = try source.nextIfReady { packet in handle(packet, seen: &seen, record: &record) }
            } catch {
                Log.error("\(error)", module: "recv")
                return
            }
            if !got { return }
            left -= 1
            let now = clock.now()
            if now &- lastFlush > 100_000_000 {
                if !sink.flush() { counters.stopAll() }
                lastFlush = now
            }
        }
    }

    /// Copies the reply source's counters for the monitor (only this thread touches the source).
    private func publishStatistics() {
        let stats = source.statistics()
        counters.pcapReceived.store(stats.received, ordering: .relaxed)
        counters.pcapDropped.store(stats.dropped, ordering: .relaxed)
        counters.pcapInterfaceDropped.store(stats.interfaceDropped, ordering: .relaxed)
        counters.unframedReplies.store(stats.unframed, ordering: .relaxed)
    }

    private func handle(_ bytes: UnsafeRawBufferPointer, seen: inout RepeatDetector, record: inout Record) {
        let packet = ReplyPacket(bytes)
        // ARP replies have no IP header: their addresses stand in for one.
        guard let header = P.linkLayer == .arp ? IPHeaderView(arp: packet) : IPHeaderView(packet, family: plan.family)
        else {
            counters.malformedReplies.add(1, ordering: .relaxed)
            return
        }
        guard let valid = probe.validate(packet, header: header, context: context) else {
            counters.invalidReplies.add(1, ordering: .relaxed)
            return
        }
        counters.validReplies.add(1, ordering: .relaxed)
        let isRepeat = seen.isRepeat(valid.repeatKey)
        if isRepeat { counters.repeatReplies.add(1, ordering: .relaxed) }
        if let followUps, !isRepeat || P.followsUpRepeats, followUps.answer(packet, header: header) {
            counters.followUpsSent.add(1, ordering: .relaxed)
        }
        let (sec, usec) = clock.wallClock()

        record.reset()
        record.setIPFields(source: valid.reportedSource, header: header)
        // The system fields first: modules may read the receive time (icmp_echo_time's RTT).
        record[SystemField.repeat] = .bool(isRepeat)
        record[SystemField.cooldown] = .bool(counters.sendEndNanos.load(ordering: .relaxed) != 0)
        record[SystemField.timestampString] = .string(Log.isoTimestamp(seconds: sec, micros: usec))
        record[SystemField.timestampSeconds] = .int(UInt64(sec))
        record[SystemField.timestampMicros] = .int(UInt64(usec))
        probe.record(packet, header: header, into: &record)

        if header.moreFragments { counters.ipFragments.add(1, ordering: .relaxed) }
        if record.isSuccess {
            counters.successTotal.add(1, ordering: .relaxed)
            if !isRepeat { counters.successUnique.add(1, ordering: .relaxed) }
            if counters.sendEndNanos.load(ordering: .relaxed) != 0 {
                counters.successCooldownTotal.add(1, ordering: .relaxed)
                if !isRepeat { counters.successCooldownUnique.add(1, ordering: .relaxed) }
            }
        } else {
            counters.failureTotal.add(1, ordering: .relaxed)
        }
        if record.isAppSuccess {
            counters.appSuccessTotal.add(1, ordering: .relaxed)
            if !isRepeat { counters.appSuccessUnique.add(1, ordering: .relaxed) }
        }
        if let filter = plan.output.filter, !filter.matches(record) { return }
        let n = counters.resultsOutput.add(1, ordering: .relaxed).newValue
        sink.appendRecord { plan.output.module.append(record, to: &$0) }
        // Results can no longer be written: stop the scan (the sink has counted what is lost).
        if sink.hasFailed { counters.stopAll() }
        if plan.limits.maxResults != 0 && n >= plan.limits.maxResults {
            counters.stopAll()
        }
    }
}
