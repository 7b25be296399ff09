import XMapCore
import XMapIO
import XMapModules

/// One sender thread: walks its sub-shard of the targets, builds probes into its transmitter's
/// buffers and sends them in batches. Generic over the probe module, the transmitter and the
/// clock, so nothing per packet goes through a protocol witness, allocates, or touches
/// reference counts.
struct Sender<P: ProbeModule, T: PacketTransmitter, K: ScanClock>: ~Copyable {
    let probe: P
    let plan: ScanPlan
    let counters: ScanCounters
    let transmitter: T
    let clock: K
    let threadIndex: Int
    /// The scan's draws from its AES generator (source offset, this thread's random seed).
    let draws: RandomDraws
    /// Where this thread publishes how far it got (for `--checkpoint`), and where it starts.
    let progress: ScanProgress
    let resume: ThreadProgress

    /// This thread's sub-shard: its index among all shards × threads, and their number.
    var subshard: (index: Int, total: Int) {
        let threads = plan.sending.senderThreads
        return (plan.identity.shard * threads + threadIndex, plan.identity.shards * threads)
    }

    /// Runs to the end of the sub-shard or until a limit or stop, starting after `resume`.
    func run() {
        if resume.position == .finished { return }
        let (index, total) = subshard
        switch plan.targets.order {
        case .list(let list):
            var w = ListWalk(
                list: list, chunk: list.chunk(index, of: total), ports: plan.targets.space.ports,
                indexCount: plan.targets.space.indexCount)
            if case .list(let entry, let port, let slot) = resume.position {
                w.resume(after: entry, port: port, index: slot)
            }
            loop(&w)
        case .zmap(let order):
            let done: UInt64 = if case .emitted(let n) = resume.position { n } else { 0 }
            var w = ZMapWalk(order.iterator(thread: threadIndex, applyingMaxTargets: false), resumingAfter: done)
            loop(&w)
        case .permutation(let permutation):
            let element: UInt192? = if case .element(let e) = resume.position { e } else { nil }
            switch GroupWalker(permutation: permutation, subshard: index, of: total) {
            case .narrow(let w):
                var batched = BatchedWalk((element.map { w.resumed(after: $0.l0) } ?? w).interleaved)
                loop(&batched)
            case .mid(let w):
                var batched = BatchedWalk((element.map { w.resumed(after: $0.low128) } ?? w).interleaved)
                loop(&batched)
            case .wide(let w):
                var serial = element.map { w.resumed(after: $0) } ?? w
                loop(&serial)
            }
        }
    }

    /// This thread's share of a limit that XMap splits over all sub-shards.
    func quota(_ limit: UInt64) -> UInt64 {
        guard limit > 0 else { return 0 }
        let (index, total) = subshard
        return limit / UInt64(total) + (UInt64(index) < limit % UInt64(total) ? 1 : 0)
    }

    private func loop<W: TargetWalk & ~Copyable>(_ walk: inout W) {
        let capacity = transmitter.batchCapacity
        for i in 0..<capacity { probe.writeTemplate(into: transmitter.packetBuffer(i)) }
        let validator = Validator(key: plan.identity.validationKey, family: plan.family)
        let space = plan.targets.space
        let iid = plan.targets.iid, iidNum = plan.targets.iidNum
        let probes = plan.probe.settings.probes
        let sources = plan.network.sourceAddresses
        let hostMask = space.hostMask
        let targetQuota = quota(plan.limits.maxTargets)
        let packetQuota = quota(plan.limits.maxPackets)
        let maxRuntime = plan.limits.maxRuntime
        let deadline: UInt64 = maxRuntime > 0 ? clock.now() + UInt64(maxRuntime) * 1_000_000_000 : 0
        var limiter = RateLimiter(
            packetsPerSecond: Double(plan.sending.rate) / Double(plan.sending.senderThreads),
            clock: clock)
        var random = SplitMix64(seed: plan.identity.seed &+ UInt64(threadIndex) &* 0x9E37_79B9)
        var thread = probe.makeThreadState(seed: draws.threadSeeds[threadIndex])
        let family = plan.family
        let link = LinkAddressing(P.self, network: plan.network, dryRun: plan.sending.dryRun)
        var pending = 0
        // Counts go on from a resumed checkpoint (the quotas are the whole scan's).
        var sent = resume.packets, failed = resume.failed, targets = resume.targets
        var published: (UInt64, UInt64, UInt64) = (sent, failed, targets)
        /// The last target whose packets are all built, and what was sent up to it.
        var lastDone: W.Position? = nil
        var done = ThreadProgress(position: resume.position, targets: targets, packets: sent, failed: failed)

        func flush() {
            if pending > 0 { failed &+= UInt64(transmitter.send(count: pending)) }
            pending = 0
            counters.packetsSent.add(sent &- published.0, ordering: .relaxed)
            counters.packetsFailed.add(failed &- published.1, ordering: .relaxed)
            counters.targetsScanned.add(targets &- published.2, ordering: .relaxed)
            published = (sent, failed, targets)
            if let lastDone {
                done.position = walk.saved(lastDone)
                progress.publish(done, thread: threadIndex)
            }
        }

        var finished = false
        outer: while true {
            if counters.stopSending.load(ordering: .relaxed) { break }
            if deadline != 0 && clock.now() >= deadline { break }
            if targetQuota != 0 && targets >= targetQuota { finished = true; break }
            let target: Target
            switch walk.next(in: space) {
            case .done:
                finished = true
                break outer
            case .skip: continue outer
            case .target(let t): target = t
            }
            if threadIndex == 0 && targets == 0 {
                counters.firstTarget.withLock { if $0 == nil { $0 = target.address } }
            }
            for n in 0..<iidNum {
                let address = target.address | iid.hostBits(n: n, hostMask: hostMask, random: &random)
                let linkDestination = link.destination(for: address)
                if linkDestination == LinkAddressing.skip { continue }  // on-link, did not answer
                for p in 0..<probes {
                    if packetQuota != 0 && sent >= packetQuota { finished = true; break outer }
                    if limiter.mustWait() {
                        flush()
                        limiter.sleep()
                        if counters.stopSending.load(ordering: .relaxed) { break outer }
                    }
                    limiter.consume()
                    let source =
                        sources.count == 1
                        ? sources[0]
                        : sources[draws.sourceIndex(address, probe: p, count: sources.count, family: family)]
                    let v = validator.block(src: source, dst: address, port: target.port)
                    let t = Target(address: address, port: target.port, index: target.index)
                    let length = probe.makePacket(
                        into: transmitter.packetBuffer(pending), source: source, target: t,
                        probe: p, validation: v, thread: &thread)
                    link.write(linkDestination, before: transmitter.packetBuffer(pending))
                    transmitter.setLength(pending, length)
                    sent &+= 1
                    pending += 1
                    if pending == capacity { flush() }
                }
            }
            targets &+= 1
            lastDone = walk.position
            done.targets = targets
            done.packets = sent
            done.failed = failed
        }
        flush()
        if finished {
            done.position = .finished
            progress.publish(done, thread: threadIndex)
        }
    }
}
