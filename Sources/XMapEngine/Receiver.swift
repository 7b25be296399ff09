import XMapCore
import XMapIO
import XMapModules

/// The receive thread: captures candidate replies, validates them against the scan key, builds
/// result records, applies the output filter and writes results.
struct Receiver<P: ProbeModule>: ~Copyable {
    let probe: P
    let config: ScanConfiguration
    let counters: ScanCounters
    let capture: PcapCapture
    let output: any OutputModule
    let sink: OutputSink
    let context: ReplyContext
    /// For each output field, its index in the full record.
    let selection: [Int]
    /// Index of `success` and `repeat` in the full record.
    let successIndex: Int
    let repeatIndex: Int
    /// Answers replies for modules that send follow-ups (`tcp_scan`).
    let followUps: FollowUpSender?

    func run() {
        var seen = RepeatDetector(method: config.dedup, family: config.family, expected: config.expectedResults,
                                  seed: config.seed)
        var record: [FieldValue] = []
        var selected: [FieldValue] = []
        var lastFlush = Posix.monotonicNanos()
        var lastStatistics = lastFlush
        let family = config.family
        let link = capture.linkHeaderLength
        let cooldown = UInt64(config.cooldownSeconds) * 1_000_000_000
        while true {
            let now = Posix.monotonicNanos()
            let end = counters.sendEndNanos.load(ordering: .acquiring)
            if counters.stop.load(ordering: .relaxed) { break }
            if end != 0 && now >= end &+ cooldown { break }
            let got: Bool
            do {
                got = try capture.next { frame in
                    handle(frame, link: link, family: family, seen: &seen, record: &record, selected: &selected)
                }
            } catch {
                Log.error("\(error)", module: "recv")
                counters.stopAll()
                break
            }
            // Keep results flowing to pipes: flush when idle or at least every 100 ms.
            if !got || now &- lastFlush > 100_000_000 {
                try? sink.flush()
                lastFlush = now
            }
            if now &- lastStatistics > 500_000_000 {
                publishStatistics()
                lastStatistics = now
            }
        }
        publishStatistics()
        try? sink.flush()
    }

    /// Copies libpcap's counters for the monitor (only this thread touches the capture).
    private func publishStatistics() {
        let stats = capture.statistics()
        counters.pcapReceived.store(stats.received, ordering: .relaxed)
        counters.pcapDropped.store(stats.dropped, ordering: .relaxed)
        counters.pcapInterfaceDropped.store(stats.interfaceDropped, ordering: .relaxed)
    }

    private func handle(_ frame: UnsafeRawBufferPointer, link: Int, family: IPFamily, seen: inout RepeatDetector,
                        record: inout [FieldValue], selected: inout [FieldValue]) {
        guard frame.count > link else { return }
        switch link {
        case 14:    // Ethernet
            guard UInt16(frame[12]) << 8 | UInt16(frame[13]) == family.etherType else { return }
        case 16:    // Linux cooked capture: protocol at 14
            guard UInt16(frame[14]) << 8 | UInt16(frame[15]) == family.etherType else { return }
        default:    // raw IP (tun and tunnel devices)
            guard frame[link] >> 4 == (family == .v4 ? 4 : 6) else { return }
        }
        var ipBytes = UnsafeRawBufferPointer(rebasing: frame[link...])
        // Trim Ethernet padding using the IP length field.
        if family == .v4, ipBytes.count >= 4 {
            let total = Int(ipBytes[2]) << 8 | Int(ipBytes[3])
            if total >= 20 && total < ipBytes.count { ipBytes = UnsafeRawBufferPointer(rebasing: ipBytes[..<total]) }
        } else if family == .v6, ipBytes.count >= 6 {
            let total = 40 + (Int(ipBytes[4]) << 8 | Int(ipBytes[5]))
            if total < ipBytes.count { ipBytes = UnsafeRawBufferPointer(rebasing: ipBytes[..<total]) }
        }
        let packet = ReplyPacket(ipBytes)
        guard let header = IPHeaderView(packet, family: family),
              let valid = probe.validate(packet, header: header, context: context)
        else {
            counters.invalidReplies.add(1, ordering: .relaxed)
            return
        }
        counters.validReplies.add(1, ordering: .relaxed)
        if let followUps, followUps.answer(packet, header: header, probe: probe) {
            counters.followUpsSent.add(1, ordering: .relaxed)
        }
        let isRepeat = seen.isRepeat(valid.repeatKey)
        let (sec, usec) = Posix.wallClock()
        let cooldown = counters.sendEndNanos.load(ordering: .relaxed) != 0

        record.removeAll(keepingCapacity: true)
        record.append(.address(IPAddress(family: family, value: valid.reportedSource)))
        record.append(.address(IPAddress(family: family, value: header.destination)))
        if family == .v4 { record.append(.int(UInt64(header.ipid))) }
        record.append(.int(UInt64(header.ttl)))
        record.append(contentsOf: probe.fieldValues(packet, header: header))
        record.append(.bool(isRepeat))
        record.append(.bool(cooldown))
        record.append(.string(Log.isoTimestamp(seconds: sec, micros: usec)))
        record.append(.int(UInt64(sec)))
        record.append(.int(UInt64(usec)))

        let success = (record[successIndex].numeric ?? 0) != 0
        if success {
            counters.successTotal.add(1, ordering: .relaxed)
            if !isRepeat { counters.successUnique.add(1, ordering: .relaxed) }
        }
        if let filter = config.filter, !filter.matches(record) { return }
        selected.removeAll(keepingCapacity: true)
        for i in selection { selected.append(record[i]) }
        let n = counters.resultsOutput.add(1, ordering: .relaxed).newValue
        do {
            try sink.append { output.append(selected, to: &$0) }
        } catch {
            Log.error("\(error)", module: "recv")
            counters.stopAll()
        }
        if config.maxResults != 0 && n >= config.maxResults {
            counters.stopAll()
        }
    }
}
