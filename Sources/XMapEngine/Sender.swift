import Synchronization
import XMapCore
import XMapIO
import XMapModules

/// One sender thread: walks its sub-shard of the permutation, builds probes into preallocated
/// frames and sends them in batches. Generic over the probe module, so nothing per packet goes
/// through a protocol witness, allocates, or touches reference counts.
struct Sender<P: ProbeModule>: ~Copyable {
    let probe: P
    let config: ScanConfiguration
    let counters: ScanCounters
    let socket: PacketSocket?
    let cipher: AESCipher
    let threadIndex: Int
    let dryRunOutput: DryRunPrinter?

    /// Runs to the end of the sub-shard or until a limit or stop.
    func run(permutation: CyclicPermutation?) {
        let total = config.shards * config.senderThreads
        let index = config.shard * config.senderThreads + threadIndex
        if let list = config.targetList {
            var w = ListWalk(list: list, chunk: list.chunk(index, of: total), ports: config.space.ports,
                             indexCount: config.space.indexCount)
            loop(&w)
            return
        }
        guard let permutation else { return }
        let walker = GroupWalker(permutation: permutation, subshard: index, of: total)
        if let narrow = walker.narrowWalk {
            var w = BatchedWalk(NarrowBatchWalk(narrow))
            loop(&w)
            w.release()
        } else if let mid = walker.midWalk {
            var w = BatchedWalk(MidBatchWalk(mid))
            loop(&w)
            w.release()
        } else if var w = walker.wideWalk {
            loop(&w)
        }
    }

    /// This thread's share of a limit that XMap splits over all sub-shards.
    func quota(_ total: UInt64) -> UInt64 {
        guard total > 0 else { return 0 }
        let parts = UInt64(config.shards * config.senderThreads)
        let index = UInt64(config.shard * config.senderThreads + threadIndex)
        return total / parts + (index < total % parts ? 1 : 0)
    }

    private func loop<W: TargetWalk>(_ walk: inout W) {
        let batchCapacity = config.dryRun ? 1 : max(1, min(config.batchSize, 1024))
        let batch = FrameBatch(capacity: batchCapacity, frameSize: max(probe.packetLength, 64),
                               ipLayer: config.ipLayerDestination)
        for i in 0..<batchCapacity { probe.writeTemplate(into: batch.frame(i)) }
        let validator = Validator(cipher: cipher, family: config.family)
        let space = config.space
        let sources = config.sourceAddresses
        let hostMask = space.hostMask
        let targetQuota = quota(config.maxTargets)
        let packetQuota = quota(config.maxPackets)
        let deadline: UInt64 = config.maxRuntime > 0 ? Posix.monotonicNanos() + UInt64(config.maxRuntime) * 1_000_000_000 : 0
        var limiter = RateLimiter(packetsPerSecond: Double(config.rate) / Double(config.senderThreads))
        var random = SplitMix64(seed: config.seed &+ UInt64(threadIndex) &* 0x9E37_79B9)
        var pending = 0
        var sent: UInt64 = 0, failed: UInt64 = 0, targets: UInt64 = 0
        var published: (UInt64, UInt64, UInt64) = (0, 0, 0)

        func flush() {
            if pending > 0, let socket {
                failed &+= UInt64(socket.send(batch, count: pending, retries: config.retries))
            }
            pending = 0
            counters.packetsSent.add(sent &- published.0, ordering: .relaxed)
            counters.packetsFailed.add(failed &- published.1, ordering: .relaxed)
            counters.targetsScanned.add(targets &- published.2, ordering: .relaxed)
            published = (sent, failed, targets)
        }

        outer: while true {
            if counters.stopSending.load(ordering: .relaxed) { break }
            if deadline != 0 && Posix.monotonicNanos() >= deadline { break }
            if targetQuota != 0 && targets >= targetQuota { break }
            let target: Target
            switch walk.next(in: space) {
            case .done: break outer
            case .skip: continue outer
            case .target(let t): target = t
            }
            for n in 0..<config.iidNum {
                let address = target.address | config.iid.hostBits(n: n, hostMask: hostMask, random: &random)
                for p in 0..<config.probes {
                    if packetQuota != 0 && sent >= packetQuota { break outer }
                    if limiter.mustWait() {
                        flush()
                        limiter.sleep()
                        if counters.stopSending.load(ordering: .relaxed) { break outer }
                    }
                    limiter.consume()
                    let source = sources.count == 1 ? sources[0] : sources[sourceIndex(address, probe: p, count: sources.count)]
                    let v = validator.block(src: source, dst: address, port: target.port)
                    let t = Target(address: address, port: target.port, index: target.index)
                    let frame = batch.frame(pending)
                    let length = probe.makePacket(into: frame, source: source, target: t, probe: p, validation: v)
                    sent &+= 1
                    if let dryRunOutput {
                        if config.fastDryRun {
                            dryRunOutput.record(address: address, port: target.port, family: config.family)
                        } else {
                            dryRunOutput.print(probe.describe(frame: UnsafeRawBufferPointer(start: frame, count: length)))
                        }
                    } else {
                        batch.setLength(pending, length)
                        pending += 1
                        if pending == batchCapacity { flush() }
                    }
                }
            }
            targets &+= 1
        }
        flush()
    }

    /// XMap's source address choice for several `-S` addresses: (probe + sum of target bytes) mod n.
    @inline(__always) func sourceIndex(_ address: UInt128, probe: Int, count: Int) -> Int {
        var sum = probe
        var a = address
        for _ in 0..<config.family.bytes {
            sum &+= Int(a & 0xFF)
            a >>= 8
        }
        return sum % count
    }
}

/// Serialises dry-run packet descriptions on stdout.
final class DryRunPrinter: Sendable {
    private let lock = Mutex<Void>(())

    func print(_ description: String) {
        lock.withLock { _ in writeStdout(description + DryRunFormat.separator + "\n") }
    }

    /// ZMap's `--fast-dryrun` record: the destination address and port in network byte order
    /// (6 bytes for IPv4, 18 for IPv6).
    func record(address: UInt128, port: UInt16, family: IPFamily) {
        var bytes = [UInt8](repeating: 0, count: family.bytes + 2)
        bytes.withUnsafeMutableBytes { b in
            let w = PacketWriter(b.baseAddress!)
            w.address(0, address, family: family)
            w.u16(family.bytes, port)
        }
        lock.withLock { _ in bytes.withUnsafeBytes { try? Posix.writeAll(1, $0) } }
    }
}
