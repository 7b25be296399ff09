import XMapCore
import XMapIO
import XMapModules

/// Runs a planned scan. Generic over the probe module (the probe catalog calls it with each
/// module's type) and, through the backend catalog, over the backend's transmitter and reply
/// source, so the loops it starts are specialised for both.
enum Scanner {
    /// Runs `plan` on the backend it names, or as a dry run.
    static func run<P: ProbeModule>(_ probe: P, _ plan: ScanPlan) throws -> ScanSummary {
        if plan.sending.dryRun {
            return try ScanSession(probe: probe, plan: plan, clock: SystemClock(), hooks: ScanHooks()).dryRun()
        }
        return try BackendCatalog.run(probe, plan)
    }

    /// Runs `plan` on backend `B` and `clock`: opens the files the scan writes besides the
    /// results, then the backend (or, for a dry run, the printer), and runs the scan.
    static func run<P: ProbeModule, B: ScanBackend, K: ScanClock>(
        _ probe: P, _ plan: ScanPlan, backend: B.Type, clock: K, hooks: ScanHooks = ScanHooks()
    ) throws -> ScanSummary {
        let session = try ScanSession(probe: probe, plan: plan, clock: clock, hooks: hooks)
        if plan.sending.dryRun { return try session.dryRun() }
        return try B.open(BackendRequest(probe: probe, plan: plan), then: session)
    }
}

/// What the engine takes from its surroundings besides the clock: the interrupt count and
/// where the status line goes. Tests give their own.
struct ScanHooks: Sendable {
    /// SIGINT and SIGTERM received so far.
    var interrupts: @Sendable () -> Int = { InterruptSignal.count }
    /// Writes the status line (standard error).
    var printStatus: @Sendable (String) -> Void = { writeStderr($0) }
}

/// One scan, from the moment its side files are open: its counters and progress, and the
/// threads it runs once the backend has opened its packet I/O.
struct ScanSession<P: ProbeModule, K: ScanClock>: BackendScan {
    let probe: P
    let plan: ScanPlan
    let clock: K
    let hooks: ScanHooks
    let counters = ScanCounters()
    /// Monotonic time the scan started.
    let start: UInt64
    let progress: ScanProgress
    let checkpointWriter: CheckpointWriter?
    let statusFile: StatusFile?

    /// Opens the files the scan writes besides the results (in a dry run too): the checkpoint,
    /// with the starting progress written, and the `-u` status file.
    init(probe: P, plan: ScanPlan, clock: K, hooks: ScanHooks) throws {
        self.probe = probe
        self.plan = plan
        self.clock = clock
        self.hooks = hooks
        start = clock.now()
        progress = ScanProgress(threads: plan.sending.senderThreads, resuming: plan.checkpoint?.resume?.threads)
        checkpointWriter = try Self.firstCheckpoint(plan, progress: progress)
        statusFile = try StatusFile(path: plan.monitor.statusUpdatesPath)
    }

    /// The scan proper, once the backend is open: receiver, senders, monitor, cooldown.
    func run<T: PacketTransmitter & SendableMetatype, C: ReplySource & Sendable, F: PacketTransmitter & Sendable>(
        _ io: BackendIO<T, C, F>
    ) throws -> ScanSummary {
        let (probe, plan, clock, counters, network) = (self.probe, self.plan, self.clock, self.counters, plan.network)
        try io.waitPing()
        let sink = try Self.openSink(plan)
        Self.logStart(plan)
        try NeighborStage.run(plan)
        // After the neighbour stage: follow-ups to on-link targets go to their own MACs.
        let followUps =
            P.sendsFollowUps
            ? io.followUps.map { FollowUpSender(probe: probe, transmitter: $0, network: network) } : nil
        Log.info(
            "scanning \(plan.targets.space.targetCount) targets (\(plan.targets.space.prefixCount) prefixes) "
                + "from \(network.interfaceName), gateway \(network.gatewayMAC), seed \(plan.identity.seed)")

        // Everything is open: give up what the scan no longer needs before the first reply is
        // parsed and before any thread starts.
        try plan.privileges.apply()
        var context = plan.replyContext
        context.linkScope = NeighborStage.replyScope(P.self, plan)
        let replies = io.replies
        let receiver = try OSThread.spawn(name: "xmap-recv") {
            Self.pin(plan, slot: 0)
            counters.receiveStartSeconds.store(clock.wallClock().seconds, ordering: .relaxed)
            Receiver(
                probe: probe, plan: plan, counters: counters, source: replies, sink: sink, context: context,
                followUps: followUps, clock: clock
            ).run()
            counters.receiveEndSeconds.store(clock.wallClock().seconds, ordering: .relaxed)
            counters.receiverDone.store(true, ordering: .releasing)
        }
        let expected = plan.targets.expectedTargets * Double(plan.probe.settings.probes) / Double(plan.identity.shards)
        let tracker = StatusTracker(
            limits: plan.limits, monitor: plan.monitor, counters: counters,
            expectedPackets: expected, reportsAppSuccess: plan.output.schema.appSuccess != nil,
            frameLength: EthernetHeader.length + probe.packetLength, start: start)
        InterruptSignal.install()
        defer { InterruptSignal.uninstall() }
        let monitor = Monitor(
            tracker: tracker, statusFile: statusFile, interrupts: hooks.interrupts,
            printStatus: hooks.printStatus)
        let monitorThread = try OSThread.spawn(name: "xmap-monitor") {
            Self.pin(plan, slot: plan.sending.senderThreads + 1)
            monitor.run(clock: clock)
        }
        // The last checkpoint is written after the receiver is done, once every reply is in.
        let checkpoints = try startCheckpoints()
        defer { Self.finishCheckpoints(checkpoints) }
        counters.sendStartSeconds.store(clock.wallClock().seconds, ordering: .relaxed)
        do {
            try runSenders(io.transmitters, pin: true)
        } catch {
            counters.stopAll()
            endSending()
            receiver.join()
            monitorThread.join()
            throw error
        }
        endSending()
        Log.debug("sending finished; cooldown \(plan.limits.cooldownSeconds) s", module: "send")
        if let tick = io.cooldownTick {
            while !counters.receiverDone.load(ordering: .acquiring) {
                tick()
                clock.sleep(nanos: 1_000_000)
            }
        }
        receiver.join()
        monitorThread.join()
        if let reason = counters.abortReason.withLock({ $0 }) {
            throw XMapError(reason, module: "monitor")
        }
        if !plan.monitor.quiet {
            var final = tracker
            hooks.printStatus(
                Monitor.line(
                    final.sample(now: clock.now()), appSuccess: final.reportsAppSuccess,
                    zmap: plan.monitor.zmapLine) + "\n")
        }
        sink.flush()
        return ScanSummary(counters, sink: sink, start: start, end: clock.now())
    }

    /// Marks the end of sending (the receiver's cooldown starts).
    private func endSending() {
        counters.sendEndSeconds.store(clock.wallClock().seconds, ordering: .relaxed)
        counters.sendEndNanos.store(clock.now(), ordering: .releasing)
    }

    /// Starts one sender thread per transmitter and waits for all of them. Each publishes its
    /// progress to `progress` (for `--checkpoint`).
    func runSenders<T: PacketTransmitter & SendableMetatype>(_ transmitters: [T], pin: Bool) throws {
        let (probe, plan, clock, counters, progress) = (self.probe, self.plan, self.clock, self.counters, self.progress)
        var scanDraws = RandomDraws(
            seed: plan.identity.seed, sources: plan.network.sourceAddresses.count,
            senderThreads: transmitters.count, moduleDraws: P.drawsThreadSeed,
            receiverDraws: !plan.sending.dryRun)
        scanDraws.zmapSources = plan.sending.zmapConventions
        let draws = scanDraws
        let resume = plan.checkpoint?.resume?.threads
        var threads: [OSThread] = []
        defer { for t in threads { t.join() } }
        counters.activeSenders.store(transmitters.count, ordering: .relaxed)
        for (i, transmitter) in transmitters.enumerated() {
            nonisolated(unsafe) let transmitter = transmitter
            threads.append(
                try OSThread.spawn(name: "xmap-send-\(i)") {
                    if pin { Self.pin(plan, slot: 1 + i) }
                    Sender(
                        probe: probe, plan: plan, counters: counters, transmitter: transmitter, clock: clock,
                        threadIndex: i, draws: draws, progress: progress,
                        resume: resume?[i] ?? ThreadProgress()
                    ).run()
                    counters.activeSenders.subtract(1, ordering: .relaxed)
                })
        }
    }
}

extension ScanPlan {
    /// What validating a reply needs: the scan's key, source ports, probes and target ports.
    var replyContext: ReplyContext {
        ReplyContext(
            validator: Validator(key: identity.validationKey, family: family),
            sourcePorts: probe.settings.sourcePorts, probes: probe.settings.probes,
            targetPorts: PortSet(targets.space.ports), validateSourcePort: probe.validateSourcePort)
    }
}
