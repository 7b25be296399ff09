#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import XMapCore
@testable import XMapEngine
import XMapIO
import XMapModules

/// A clock that only moves when someone sleeps on it (or a test advances it): a sleep of n
/// nanoseconds moves it n nanoseconds at once. A test that runs an engine loop on its own
/// thread therefore sees the same times on every run, and no test waits for real time.
final class TestClock: ScanClock {
    /// Where the monotonic clock starts (1 s, so that 0 never means "now").
    static let origin: UInt64 = 1_000_000_000
    /// The wall clock at the origin (2023-11-14T22:13:20Z).
    static let epoch = 1_700_000_000

    private let nanos = Atomic<UInt64>(TestClock.origin)
    private let sleeps = Atomic<Int>(0)
    private let hook = Mutex<(@Sendable (UInt64) -> Void)?>(nil)

    func now() -> UInt64 { nanos.load(ordering: .acquiring) }

    /// Moves the clock on by `nanos`, then calls the `onSleep` hook with the new time.
    func sleep(nanos n: UInt64) {
        let t = nanos.add(n, ordering: .acquiringAndReleasing).newValue
        sleeps.add(1, ordering: .relaxed)
        if let hook = hook.withLock({ $0 }) { hook(t) }
        Posix.yield()  // other threads of a whole-scan test get to run
    }

    func wallClock() -> (seconds: Int, micros: Int) {
        let t = now() - Self.origin
        return (Self.epoch + Int(t / 1_000_000_000), Int(t % 1_000_000_000 / 1000))
    }

    /// Moves the clock on without sleeping.
    func advance(_ n: UInt64) { nanos.add(n, ordering: .acquiringAndReleasing) }

    /// Nanoseconds since the origin.
    var elapsed: UInt64 { now() - Self.origin }

    /// How many times anyone slept.
    var sleepCount: Int { sleeps.load(ordering: .relaxed) }

    /// Calls `body` with the time after every sleep (a test's script of events).
    func onSleep(_ body: @escaping @Sendable (UInt64) -> Void) { hook.withLock { $0 = body } }
}

/// A sender's transmitter that keeps what it is given: every batch, with the clock's time when
/// it was sent. It can refuse packets (counted as failed, as a full socket buffer's would be)
/// and hand each probe it sends to an in-memory network.
final class MemoryTransmitter: PacketTransmitter, @unchecked Sendable {
    let batchCapacity: Int
    private let buffers: UnsafeMutableRawPointer
    private var lengths: [Int]
    private let clock: TestClock
    /// What was sent: one entry per `send`, with the clock's time.
    private(set) var batches: [(time: UInt64, packets: [[UInt8]])] = []
    /// How many packets of each batch fail (given the batch number and its size); 0 by default.
    var failures: (_ batch: Int, _ count: Int) -> Int = { _, _ in 0 }
    /// Called after each batch (its number), e.g. to interrupt the scan.
    var afterSend: (_ batch: Int) -> Void = { _ in }
    /// Where sent probes go (the targets' answers come back through it).
    var network: MemoryNetwork?

    init(batchCapacity: Int, clock: TestClock) {
        self.batchCapacity = batchCapacity
        self.clock = clock
        buffers = .allocate(byteCount: batchCapacity * 2048, alignment: 64)
        buffers.initializeMemory(as: UInt8.self, repeating: 0, count: batchCapacity * 2048)
        lengths = Array(repeating: 0, count: batchCapacity)
    }

    deinit { buffers.deallocate() }

    func packetBuffer(_ slot: Int) -> UnsafeMutableRawPointer { buffers + slot * 2048 }
    func setLength(_ slot: Int, _ length: Int) { lengths[slot] = length }

    func send(count: Int) -> Int {
        let packets = (0..<count).map { Array(UnsafeRawBufferPointer(start: packetBuffer($0), count: lengths[$0])) }
        let number = batches.count
        let failed = failures(number, count)
        batches.append((clock.now(), packets))
        if let network { for p in packets.prefix(count - failed) { network.deliver(p) } }
        afterSend(number)
        return failed
    }

    /// Every packet sent, in order.
    var packets: [[UInt8]] { batches.flatMap(\.packets) }
}

/// The targets of an in-memory network: `answer` turns a probe into the reply its target sends
/// (nil: the target is silent), and replies go to `replies`.
final class MemoryNetwork: Sendable {
    let replies: ScriptedReplies
    let answer: @Sendable ([UInt8]) -> [UInt8]?

    init(replies: ScriptedReplies, answer: @escaping @Sendable ([UInt8]) -> [UInt8]?) {
        self.replies = replies
        self.answer = answer
    }

    func deliver(_ probe: [UInt8]) { if let reply = answer(probe) { replies.enqueue(reply) } }

    /// An IPv4 echo request answered by its target: addresses swapped, type 0 (echo reply).
    static func echoReply(_ probe: [UInt8]) -> [UInt8] {
        var r = probe
        for i in 0..<4 { r.swapAt(12 + i, 16 + i) }
        r[20] = 0
        return r
    }
}

/// A reply source that hands over what the test queues, in order, and otherwise waits its poll
/// interval on the test clock (so time goes on while the receiver is idle, as with a real
/// capture). Queued errors are thrown in turn.
final class ScriptedReplies: ReplySource, Sendable {
    enum Item {
        case packet([UInt8])
        case failure(SystemError)
    }

    private let queue = Mutex<[Item]>([])
    private let handed = Atomic<UInt64>(0)
    private let clock: TestClock
    /// Called with the time whenever the source is asked for a reply.
    private let poll = Mutex<(@Sendable (UInt64) -> Void)?>(nil)
    /// What `statistics()` reports as dropped.
    let dropped = Atomic<UInt64>(0)
    static let pollNanos: UInt64 = 100_000_000

    init(clock: TestClock) { self.clock = clock }

    func enqueue(_ packet: [UInt8]) { queue.withLock { $0.append(.packet(packet)) } }
    func enqueue(failure: SystemError) { queue.withLock { $0.append(.failure(failure)) } }
    func onPoll(_ body: @escaping @Sendable (UInt64) -> Void) { poll.withLock { $0 = body } }

    /// Replies still queued.
    var pending: Int { queue.withLock { $0.count } }

    func next(_ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool {
        if try nextIfReady(body) { return true }
        clock.sleep(nanos: Self.pollNanos)
        return false
    }

    func nextIfReady(_ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool {
        if let hook = poll.withLock({ $0 }) { hook(clock.now()) }
        let item: Item? = queue.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        switch item {
        case nil: return false
        case .failure(let e): throw e
        case .packet(let p):
            handed.add(1, ordering: .relaxed)
            p.withUnsafeBytes(body)
            return true
        }
    }

    func statistics() -> CaptureStatistics {
        CaptureStatistics(received: handed.load(ordering: .relaxed), dropped: dropped.load(ordering: .relaxed))
    }
}

/// Scan plans for engine tests: IPv4 `icmp_echo` over a few addresses, CSV results to a file,
/// no status line, and never a privilege dropped.
enum TestPlan {
    static let source: UInt128 = 0xC000_0201  // 192.0.2.1

    static func make(
        targets: [String] = ["10.0.0.0/28"], module: String = "icmp_echo", ports: [UInt16] = [],
        probes: Int = 1, fields: [String] = ["saddr"], filter: String? = nil, output: String? = nil,
        seed: UInt64 = 7, _ adjust: (inout ScanPlan) throws -> Void = { _ in }
    ) throws -> ScanPlan {
        var builder = TargetSpaceBuilder(family: .v4, maxLen: 32)
        for t in targets { builder.allow(try IPPrefix.parse(t, family: .v4)) }
        let space = TargetSpace(family: .v4, maxLen: 32, ports: ports, indexCount: 1, allowed: builder.build())
        var rng = AESRandom(seed: seed)
        let targetPlan = TargetPlan(
            space: space,
            order: .permutation(try CyclicPermutation(count: space.valueCount, rng: &rng)))
        let entry = ProbeCatalog.entry(named: module, family: .v4)!
        let settings = ProbeSettings(
            family: .v4, ttl: 64, sourcePorts: SourcePortRange(first: 40000, last: 40099),
            probes: probes, targetPorts: ports)
        let probe = ProbePlan(module: try entry.configure(settings), settings: settings)
        let schema = probe.module.schema
        let selection = try FieldSelection(fields, schema: schema)
        let parsed = try filter.map { try FilterExpression.parse($0, schema: schema) }
        let out = OutputPlan(
            moduleName: "csv", module: CSVOutput(selection: selection), schema: schema,
            selection: selection, filter: parsed, path: output, headerRow: false)
        var sending = SendPlan()
        sending.rate = 0
        var network = NetworkPlan()
        network.interfaceName = "mem0"
        network.sourceAddresses = [source]
        var monitor = MonitorPlan()
        monitor.quiet = true
        var plan = ScanPlan(
            targets: targetPlan, probe: probe, output: out, sending: sending, limits: ScanLimits(),
            network: network,
            identity: ScanIdentity(seed: seed, seedProvided: true, validationKey: AESKey(seed: seed)),
            monitor: monitor)
        plan.limits.cooldownSeconds = 1
        plan.privileges = PrivilegePlan(drop: false)
        try adjust(&plan)
        return plan
    }

    /// A scratch file path (removed by the caller).
    static func scratch(_ name: String) -> String {
        let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        return "\(dir)/xmap-engine-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    static func contents(_ path: String) -> String {
        (try? LocalFiles.read(path, limit: 1 << 24)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// The destination of an IPv4 packet, dotted.
func destination(_ packet: [UInt8]) -> String { packet[16..<20].map(String.init).joined(separator: ".") }

/// The source of an IPv4 packet, dotted.
func source(_ packet: [UInt8]) -> String { packet[12..<16].map(String.init).joined(separator: ".") }

extension ScanPlan {
    /// Runs sender thread `thread` of this plan to its end on the calling thread, with a memory
    /// transmitter of the plan's batch size; returns the transmitter.
    @discardableResult
    func runSender(
        thread: Int = 0, clock: TestClock, counters: ScanCounters = ScanCounters(),
        progress: ScanProgress? = nil, resume: ThreadProgress = ThreadProgress(),
        _ configure: (MemoryTransmitter) -> Void = { _ in }
    ) -> MemoryTransmitter {
        let transmitter = MemoryTransmitter(batchCapacity: sending.batchSize, clock: clock)
        configure(transmitter)
        func run<P: ProbeModule>(_ probe: P) {
            let draws = RandomDraws(
                seed: identity.seed, sources: network.sourceAddresses.count,
                senderThreads: sending.senderThreads, moduleDraws: P.drawsThreadSeed,
                receiverDraws: true)
            Sender(
                probe: probe, plan: self, counters: counters, transmitter: transmitter, clock: clock,
                threadIndex: thread, draws: draws,
                progress: progress ?? ScanProgress(threads: sending.senderThreads), resume: resume
            ).run()
        }
        run(probe.module.instance)
        return transmitter
    }
}

/// Lines collected from several threads.
final class LineLog: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
