import XMapCore
import XMapIO

/// Prints XMap's once-per-second status line on stderr until the receiver finishes.
struct Monitor {
    let config: ScanConfiguration
    let counters: ScanCounters
    /// Total packets the scan will send (for percent complete); 0 if unknown.
    let expectedPackets: Double
    let packetLength: Int

    func run(startNanos: UInt64) {
        var last = (time: startNanos, sent: UInt64(0), recv: UInt64(0), drops: UInt64(0))
        while !counters.receiverDone.load(ordering: .acquiring) {
            // Sleep in short steps so the end of the scan is not delayed by up to a second.
            var slept: UInt64 = 0
            while slept < 1_000_000_000 && !counters.receiverDone.load(ordering: .acquiring) {
                Posix.sleep(nanos: 50_000_000)
                slept += 50_000_000
            }
            if counters.receiverDone.load(ordering: .acquiring) { break }
            let now = Posix.monotonicNanos()
            if !config.quiet { writeStderr(line(now: now, start: startNanos, last: &last) + "\n") }
        }
    }

    /// One status line.
    func line(now: UInt64, start: UInt64, last: inout (time: UInt64, sent: UInt64, recv: UInt64, drops: UInt64)) -> String {
        let sent = counters.packetsSent.load(ordering: .relaxed)
        let recv = counters.resultsOutput.load(ordering: .relaxed)
        let drops = counters.pcapDropped.load(ordering: .relaxed)
        let age = Double(now &- start) / 1e9
        let dt = max(1e-9, Double(now &- last.time) / 1e9)
        let sendRate = Double(sent &- last.sent) / dt, sendAvg = Double(sent) / max(age, 1e-9)
        let recvRate = Double(recv &- last.recv) / dt, recvAvg = Double(recv) / max(age, 1e-9)
        let dropRate = Double(drops &- last.drops) / dt, dropAvg = Double(drops) / max(age, 1e-9)
        last = (now, sent, recv, drops)
        let bitsPerPacket = Double((packetLength > 60 ? packetLength + 24 : 84) * 8)
        let end = counters.sendEndNanos.load(ordering: .relaxed)
        let cooldown = Double(config.cooldownSeconds)
        var remaining: Double
        if end != 0 {
            remaining = max(0, cooldown - Double(now &- end) / 1e9)
        } else if expectedPackets > 0 && sendAvg > 0 {
            remaining = max(0, (expectedPackets - Double(sent)) / sendAvg) + cooldown
        } else {
            remaining = cooldown
        }
        if config.maxRuntime > 0 && end == 0 { remaining = min(remaining, max(0, Double(config.maxRuntime) - age) + cooldown) }
        let percent = 100 * age / max(age + remaining, 1e-9)
        let left = age >= 5 ? " (\(StatusFormat.remaining(Int(remaining.rounded(.up)))) left)" : ""
        let hitrate = sent > 0 ? 100 * Double(recv) / Double(sent) : 0
        let send = end == 0
            ? "send: \(sent) \(StatusFormat.number(sendRate))p/s \(StatusFormat.number(sendRate * bitsPerPacket, base: 1024))b/s (\(StatusFormat.number(sendAvg))p/s \(StatusFormat.number(sendAvg * bitsPerPacket, base: 1024))b/s avg)"
            : "send: \(sent) done (\(StatusFormat.number(sendAvg))p/s \(StatusFormat.number(sendAvg * bitsPerPacket, base: 1024))b/s avg)"
        return "\(StatusFormat.elapsed(Int(age))) \(StatusFormat.fixed(percent, 0))%\(left); \(send); "
            + "recv: \(recv) \(StatusFormat.number(recvRate))p/s (\(StatusFormat.number(recvAvg))p/s avg); "
            + "drops: \(StatusFormat.number(dropRate))p/s (\(StatusFormat.number(dropAvg))p/s avg); "
            + "hitrate: \(StatusFormat.fixed(hitrate, 2))%"
    }
}
