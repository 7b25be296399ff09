import XMapCore
import XMapEngine
import XMapIO

/// How probes are sent: `-R`/`-B`, `--batch`, `--retries`, `-T`, `--cores`, `-d`, `--fast-dryrun`.
struct SendPlanBuilder {
    let options: XMapOptions

    /// Everything but the rate, which needs the probe's frame length (`rate`).
    func build() throws -> SendPlan {
        var sending = SendPlan()
        sending.dryRun = options.dryrun || options.fastDryrun
        sending.fastDryRun = options.fastDryrun
        sending.zmapConventions = options.personality == .zmap
        sending.senderThreads = options.senderThreads ?? 1
        sending.senderThreadsGiven = options.senderThreads != nil
        guard sending.senderThreads >= 1 && sending.senderThreads <= 255 else {
            throw XMapError("--sender-threads must be between 1 and 255")
        }
        sending.retries = options.retries ?? options.personality.defaultRetries
        guard sending.retries >= 0 else { throw XMapError("invalid retry count: `--retries='") }
        // `--batch` is the sendmmsg batch (XMap's default 1 is a rate-limiter step; 64 is faster
        // and keeps the rate). 0 is accepted as XMap does, and means the default.
        let batch = options.batch ?? 64
        guard batch >= 0 else { throw XMapError("invalid batch number: `--batch='") }
        guard batch <= 1024 else { throw XMapError("--batch must be at most 1024 (got \(batch))") }
        sending.batchSize = batch == 0 ? 64 : batch
        sending.pinCores = try Self.parseCores(options.cores, available: (try? Posix.allowedCPUs()) ?? [])
        if let text = options.netmapWaitPing {
            guard let address = IPAddress(text) else {
                throw XMapError("--netmap-wait-ping: invalid address '\(text)'")
            }
            sending.waitPing = address
        }
        sending.bypassQueueing = !options.noQdiscBypass
        if let b = options.backend {
            // A dry run needs no device (unlike ZMap's netmap build, which opens it even then).
            sending.backend = try BackendCatalog.backend(named: b, ipLayer: options.ipLayer, dryRun: sending.dryRun)
        }
        return sending
    }

    /// XMap drops to one sender when there are too few targets for the threads (its exact test:
    /// twice the threads reach `-n`, `-k`, the `-I` count or the allowed ⟨address, port slot⟩
    /// count), and refuses more sub-shards (shards × threads) than allowed ⟨address, port slot⟩s.
    /// Drops to one sender thread when there are too few targets for them (ZMap's and XMap's
    /// rule: two targets per thread at least). Returns whether it did; the warning is logged here
    /// unless `quiet` (the zmap command line logs it among ZMap's start-up lines).
    @discardableResult
    static func fitThreads(
        _ sending: inout SendPlan, identity: ScanIdentity, limits: ScanLimits,
        targets: TargetPlan, quiet: Bool = false
    ) throws -> Bool {
        let space = targets.space
        let addressPorts = UInt192(space.prefixCount).shiftedLeft(space.portBits)
        let threads = UInt64(sending.senderThreads)
        let fewerThanAsked = limits.maxTargets != 0 && 2 * threads >= limits.maxTargets
        // ZMap looks at -n only; XMap also at -k, the -I list and the space.
        let tooFew =
            quiet
            ? fewerThanAsked
            : fewerThanAsked
                || (limits.maxPackets != 0 && 2 * threads >= limits.maxPackets)
                || (targets.list.map { 2 * threads >= UInt64($0.count) } ?? false)
                || addressPorts <= UInt192(2 * threads)
        let dropped = tooFew && (threads > 1 || quiet)  // ZMap warns even with one thread
        if dropped {
            if !quiet { Log.warn("too few targets relative to senders, dropping to one sender") }
            sending.senderThreads = 1
        }
        let subshards = UInt64(identity.shards * sending.senderThreads)
        if targets.list == nil && addressPorts < UInt192(subshards) {
            throw XMapError(
                "senders * shards (\(subshards)) > allowed probing addresses (\(space.targetCount))", module: "send")
        }
        if limits.maxTargets != 0 && limits.maxTargets < subshards {
            throw XMapError("senders * shards (\(subshards)) > max targets (\(limits.maxTargets))", module: "send")
        }
        return dropped
    }

    /// ZMap's sender threads without `-T`: min(4, cores − 1 (at least 1), allowed targets).
    static func zmapDefaultThreads(targets: TargetPlan) -> Int {
        let cores = ((try? Posix.allowedCPUs()) ?? [0]).count
        let wanted = min(4, max(1, cores - 1))
        let available = targets.expectedTargets
        return max(1, min(wanted, available < Double(wanted) ? Int(available) : wanted))
    }

    /// ZMap: a rate below two batches per sender thread sends with one thread, one packet at a
    /// time (so the rate is kept). ZMap also applies it to `-r 0` (no limit), which makes an
    /// unlimited scan crawl; xmap does not.
    static func zmapSlowRate(_ sending: inout SendPlan) {
        guard sending.rate > 0, sending.rate < 2 * sending.senderThreads * sending.batchSize else { return }
        sending.senderThreads = 1
        sending.batchSize = 1
    }

    /// Packets per second from `-R` or `-B` (1 when neither is given, as XMap).
    static func rate(options: XMapOptions, frameLength: Int) throws -> Int {
        if options.rate != nil && options.bandwidth != nil {
            throw XMapError("must specify rate or bandwidth, or neither, not both.")
        }
        if let r = options.rate {
            guard r >= 0 else { throw XMapError("rate impossibly slow", module: "send") }
            return r
        }
        if let b = options.bandwidth { return try rate(forBandwidth: b, frameLength: frameLength) }
        return options.personality.defaultRate
    }

    /// XMap's bandwidth → rate conversion (binary suffixes; frames padded to 84 bytes on the wire).
    static func rate(forBandwidth text: String, frameLength: Int) throws -> Int {
        var digits = Substring(text)
        var multiplier: UInt64 = 1
        if let last = digits.last, !last.isNumber {
            switch last {
            case "G", "g": multiplier = 1 << 30
            case "M", "m": multiplier = 1 << 20
            case "K", "k": multiplier = 1 << 10
            default: throw XMapError("unknown bandwidth suffix '\(last)' (supported suffixes are G, M and K)")
            }
            digits = digits.dropLast()
        }
        guard let n = UInt64(digits), n > 0 else { throw XMapError("invalid bandwidth '\(text)'") }
        let bits = UInt64(max(frameLength * 8 + 8 * 24, 84 * 8))
        let rate = n.multipliedReportingOverflow(by: multiplier).partialValue / bits
        if rate == 0 {
            Log.warn("bandwidth \(n * multiplier) bit/s is slower than 1 pkt/s, setting rate to 1 pkt/s")
            return 1
        }
        return rate >= UInt64(UInt32.max) ? 0 : Int(rate)
    }

    /// `--cores`: CPU numbers separated by commas or spaces, each one this process may use.
    /// Without the option, every available CPU (XMap pins to all online CPUs by default).
    static func parseCores(_ text: String?, available: [Int]) throws -> [Int] {
        guard let text else { return available }
        var cores: [Int] = []
        for token in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            guard let cpu = Int(token), cpu >= 0 else { throw XMapError("invalid CPU '\(token)' in --cores '\(text)'") }
            guard available.isEmpty || available.contains(cpu) else {
                throw XMapError(
                    "CPU \(cpu) in --cores is not available to this process (available: "
                        + available.map(String.init).joined(separator: ",") + ")"
                )
            }
            cores.append(cpu)
        }
        guard !cores.isEmpty else { throw XMapError("--cores needs at least one CPU number") }
        return cores
    }
}
