import XMapCore
import XMapIO
import XMapModules

/// What a finished scan reports.
public struct ScanSummary: Sendable {
    public var packetsSent: UInt64
    public var packetsFailed: UInt64
    public var targetsScanned: UInt64
    public var validReplies: UInt64
    public var invalidReplies: UInt64
    /// Valid replies that repeated one already seen.
    public var repeatReplies: UInt64
    /// Captured packets that were not well-formed IP packets of the scan's family.
    public var malformedReplies: UInt64
    /// Validated replies the probe module answered with a packet of its own (`tcp_scan`).
    public var followUpsSent: UInt64
    public var successTotal: UInt64
    public var successUnique: UInt64
    /// Results that passed the output filter (XMap's `output_results`).
    public var resultsOutput: UInt64
    /// Of those, the ones whose bytes all reached the output, and the ones that could not be written.
    public var resultsWritten: UInt64
    public var resultsLost: UInt64
    /// Why results could not be written (one line), if they could not.
    public var outputFailure: String?
    public var seconds: Double
    /// True when SIGINT/SIGTERM ended the scan early (results and metadata are still complete
    /// up to that point).
    public var interrupted = false
    /// Packets the capture took in, the ones it dropped because its buffer was full, and the
    /// ones the interface dropped (libpcap's `ps_recv`, `ps_drop`, `ps_ifdrop`).
    public var captureReceived: UInt64 = 0
    public var captureDropped: UInt64 = 0
    public var captureInterfaceDropped: UInt64 = 0
    /// Results with `app_success` set (modules that have it), all and first-seen.
    public var appSuccessTotal: UInt64 = 0
    public var appSuccessUnique: UInt64 = 0
    /// Successes during the cooldown (all, first-seen), non-successes, IPv4 fragments.
    public var successCooldownTotal: UInt64 = 0
    public var successCooldownUnique: UInt64 = 0
    public var failureTotal: UInt64 = 0
    public var ipFragments: UInt64 = 0
    /// Wall-clock seconds (Unix time) when sending and receiving started and ended; 0 if never.
    public var sendStart = 0, sendEnd = 0, receiveStart = 0, receiveEnd = 0
    /// The first target probed (by the first sender thread), if any.
    public var firstTarget: UInt128?
}

/// Runs a planned scan: opens the packet I/O and the capture, starts the receiver, the senders
/// and the monitor, waits for sending plus cooldown, and reports. Generic over the probe module
/// (the probe catalog calls it with each module's type), so the loops it starts are
/// specialised for that module.
enum Scanner {
    static func run<P: ProbeModule>(_ probe: P, _ plan: ScanPlan) throws -> ScanSummary {
        let plan = capThreads(plan)
        let counters = ScanCounters()
        let start = Posix.monotonicNanos()
        let progress = ScanProgress(threads: plan.sending.senderThreads, resuming: plan.checkpoint?.resume?.threads)
        // The files the scan writes besides the results, opened first (in a dry run too).
        let checkpointWriter = try firstCheckpoint(plan, progress: progress)
        let statusFile = try StatusFile(path: plan.monitor.statusUpdatesPath)
        if plan.sending.dryRun {
            let sink = try openSink(plan)
            logStart(plan)
            Log.info("dryrun mode -- won't actually send packets", module: "send")
            let printer = DryRunPrinter(counters: counters)
            let link = plan.network.ipLayer ? nil : plan.network.ethernetHeader(plan.family)
            let transmitters = (0..<plan.sending.senderThreads).map { _ in
                DryRunTransmitter(probe: probe, printer: printer, link: link, fast: plan.sending.fastDryRun,
                                  zmapStyle: plan.sending.zmapConventions
                                      ? ZMapDryRunFormat.Style(module: plan.probe.module.name) : nil)
            }
            try plan.privileges.apply()
            let checkpoints = try startCheckpoints(checkpointWriter)
            defer { finishCheckpoints(checkpoints) }
            counters.sendStartSeconds.store(Posix.wallClock().seconds, ordering: .relaxed)
            try runSenders(probe, plan, counters: counters, transmitters: transmitters, progress: progress, pin: false)
            counters.sendEndSeconds.store(Posix.wallClock().seconds, ordering: .relaxed)
            if let error = printer.writeError {
                throw XMapError("could not write the dry run to standard output: \(error.errnoText)")
            }
            return summary(counters, sink: sink, start: start)
        }

        // Open everything that can fail before the output file exists.
        let network = plan.network
        let ipLayer = network.ipLayer
            ? IPLayerDestination(interfaceIndex: network.interfaceIndex, family: plan.family, linkAddress: network.gatewayMAC)
            : nil
        func transmitter(batch: Int) throws -> PacketSocketTransmitter {
            try PacketSocketTransmitter(interfaceIndex: network.interfaceIndex, interfaceName: network.interfaceName,
                                        batchCapacity: batch, packetCapacity: probe.packetLength,
                                        link: network.ethernetHeader(plan.family), ipLayer: ipLayer,
                                        retries: plan.sending.retries, bypassQueueing: plan.sending.bypassQueueing)
        }
        let batch = max(1, min(plan.sending.batchSize, 1024))
        if plan.sending.backend == .afxdp {
            let xdp = try (0..<plan.sending.senderThreads).map { i in
                try AFXDPTransmitter(interfaceIndex: network.interfaceIndex, interfaceName: network.interfaceName, queue: i,
                                     batchCapacity: batch, packetCapacity: probe.packetLength,
                                     link: network.ethernetHeader(plan.family))
            }
            Log.info("AF_XDP on \(network.interfaceName), \(xdp.count) queue\(xdp.count == 1 ? "" : "s"), \(xdp.first?.zeroCopy == true ? "zero-copy" : "copy mode")", module: "send")
            return try runScan(probe, plan, counters: counters, start: start, transmitters: xdp, capture: try pcapCapture(probe, plan),
                               waitPing: kernelWaitPing(plan), progress: progress, checkpointWriter: checkpointWriter,
                               statusFile: statusFile, transmitter: transmitter)
        }
        if plan.sending.backend == .netmap {
            #if NETMAP
            return try runNetmap(probe, plan, counters: counters, start: start, batch: batch, progress: progress,
                                 checkpointWriter: checkpointWriter, statusFile: statusFile, transmitter: transmitter)
            #else
            throw XMapError("--backend netmap: this xmap was built without netmap (swift build -c release --traits Netmap)")
            #endif
        }
        let transmitters = try (0..<plan.sending.senderThreads).map { _ in try transmitter(batch: batch) }
        return try runScan(probe, plan, counters: counters, start: start, transmitters: transmitters,
                           capture: try pcapCapture(probe, plan), waitPing: kernelWaitPing(plan), progress: progress,
                           checkpointWriter: checkpointWriter, statusFile: statusFile, transmitter: transmitter)
    }

    /// The libpcap capture of the kernel-backed backends (`packet`, `afxdp`).
    static func pcapCapture<P: ProbeModule>(_ probe: P, _ plan: ScanPlan) throws -> PcapCapture {
        try PcapCapture(interface: plan.network.interfaceName, family: plan.family, snaplen: probe.snaplen,
                        filter: probe.pcapFilter, excludingSource: plan.network.sourceMAC,
                        bufferBytes: plan.capture.bufferBytes, etherType: P.linkLayer.etherType(plan.family))
    }

    /// `--netmap-wait-ping` through a kernel socket (the kernel-backed backends).
    static func kernelWaitPing(_ plan: ScanPlan) -> () throws -> Void {
        { if let address = plan.sending.waitPing { try EchoWait.wait(for: address) } }
    }

    #if NETMAP
    /// The netmap backend, in ZMap's order (zmap.md §3.3): warn that the interface leaves the
    /// host stack, register all NIC rings on the main port, wait for the link after the PHY
    /// reset, give each sender thread its own TX ring (at most one thread per ring), and receive
    /// on every RX ring of the main port, answering the gateway's ARP and neighbor requests.
    static func runNetmap<P: ProbeModule>(
        _ probe: P, _ plan: ScanPlan, counters: ScanCounters, start: UInt64, batch: Int, progress: ScanProgress,
        checkpointWriter: CheckpointWriter?, statusFile: StatusFile?, transmitter: (Int) throws -> PacketSocketTransmitter
    ) throws -> ScanSummary {
        let network = plan.network
        let name = network.interfaceName
        try NeighborStage.refuseNetmap(P.self)
        guard !P.sendsFollowUps else {
            throw XMapError("--backend netmap: \(plan.probe.module.name) answers replies with packets of its own, which the netmap backend does not send; use --backend packet or afxdp")
        }
        Log.warn("\(name) is disconnected from the host network stack while the scan runs", module: "netmap")
        Posix.sleep(nanos: 100_000_000)
        let main = try NetmapPort(allRingsOf: name)
        Log.info("netmap bound to \(name) with \(main.txRingCount) tx rings, \(main.rxRingCount) rx rings", module: "netmap")
        try NetmapPort.waitForLink(name)
        var plan = plan
        if plan.sending.senderThreads > main.txRingCount {
            Log.warn("\(plan.sending.senderThreads) sender threads capped to \(main.txRingCount), the TX rings of \(name)", module: "send")
            plan.sending.senderThreads = main.txRingCount
        }
        let control = NetmapControlQueue()
        let link = network.ethernetHeader(plan.family)
        let transmitters = try (0..<plan.sending.senderThreads).map { i in
            try NetmapTransmitter(interfaceName: name, ring: i, batchCapacity: batch, packetCapacity: probe.packetLength,
                                  link: link, control: i == 0 ? control : nil)
        }
        let addresses = network.sourceAddresses.map { IPAddress(family: plan.family, value: $0) }
        let capture = NetmapCapture(port: main, family: plan.family, ourMAC: network.sourceMAC, gateway: network.gatewayMAC,
                                    addresses: addresses, control: control)
        let waitPing: () throws -> Void = {
            guard let address = plan.sending.waitPing else { return }
            try NetmapEchoWait.wait(for: address, from: addresses[0], link: link, port: main, capture: capture, control: control)
        }
        // Sender 0 sends the receiver's ARP and neighbor replies; once the senders are done, the
        // scan's own thread does, through the cooldown.
        let ring0 = transmitters[0]
        return try runScan(probe, plan, counters: counters, start: start, transmitters: transmitters, capture: capture,
                           waitPing: waitPing, progress: progress, checkpointWriter: checkpointWriter, statusFile: statusFile,
                           transmitter: transmitter, cooldownTick: { ring0.sendControlFrames() })
    }
    #endif

    /// ZMap's thread caps for a backend with TX queues or rings (AF_XDP, netmap): one sender per
    /// queue, and one core kept for the receiver. Without `-T`, min(queues, cores − 1); an
    /// explicit `-T` is honoured up to the number of queues. Each cap is logged. (netmap caps
    /// once more to the rings the kernel reports when the port is registered.)
    static func capThreads(_ plan: ScanPlan) -> ScanPlan {
        guard plan.sending.backend != .packet, !plan.sending.dryRun else { return plan }
        var plan = plan
        let backend = plan.sending.backend == .afxdp ? "AF_XDP" : "netmap"
        let name = plan.network.interfaceName
        let queues = Posix.transmitQueues(name)
        let cores = ((try? Posix.allowedCPUs()) ?? [0]).count
        var threads = plan.sending.senderThreads
        if !plan.sending.senderThreadsGiven {
            threads = max(1, min(queues, cores - 1))
            if threads != plan.sending.senderThreads {
                Log.info("\(backend): \(threads) sender threads (\(name) has \(queues) TX queue\(queues == 1 ? "" : "s"), \(cores) cores, one kept for receiving)", module: "send")
            }
        } else if threads > queues {
            Log.warn("\(backend): -T \(threads) capped to \(queues), the number of TX queues of \(name) (ethtool -L \(name) tx N rx N adds queues)", module: "send")
            threads = queues
        }
        plan.sending.senderThreads = threads
        return plan
    }

    /// The scan proper, once the transmitters are open: capture, receiver, senders, monitor.
    static func runScan<P: ProbeModule, T: PacketTransmitter & SendableMetatype, C: ReplySource & Sendable>(
        _ probe: P, _ plan: ScanPlan, counters: ScanCounters, start: UInt64, transmitters: [T], capture: C,
        waitPing: () throws -> Void, progress: ScanProgress, checkpointWriter: CheckpointWriter?, statusFile: StatusFile?,
        transmitter: (Int) throws -> PacketSocketTransmitter, cooldownTick: (() -> Void)? = nil
    ) throws -> ScanSummary {
        let network = plan.network
        let followUps = P.sendsFollowUps ? FollowUpSender(probe: probe, transmitter: try transmitter(1)) : nil
        try waitPing()
        let sink = try openSink(plan)
        logStart(plan)
        try NeighborStage.run(plan)
        Log.info("scanning \(plan.targets.space.targetCount) targets (\(plan.targets.space.prefixCount) prefixes) from \(network.interfaceName), gateway \(network.gatewayMAC), seed \(plan.identity.seed)")

        // Everything is open: give up what the scan no longer needs before the first reply is
        // parsed and before any thread starts.
        try plan.privileges.apply()
        var context = ReplyContext(validator: Validator(key: plan.identity.validationKey, family: plan.family),
                                   sourcePorts: plan.probe.settings.sourcePorts, probes: plan.probe.settings.probes,
                                   targetPorts: PortSet(plan.targets.space.ports),
                                   validateSourcePort: plan.probe.validateSourcePort)
        context.linkScope = NeighborStage.replyScope(P.self, plan)
        let receiver = try OSThread.spawn(name: "xmap-recv") {
            pin(plan, slot: 0)
            counters.receiveStartSeconds.store(Posix.wallClock().seconds, ordering: .relaxed)
            Receiver(probe: probe, plan: plan, counters: counters, source: capture, sink: sink, context: context,
                     followUps: followUps).run()
            counters.receiveEndSeconds.store(Posix.wallClock().seconds, ordering: .relaxed)
            counters.receiverDone.store(true, ordering: .releasing)
        }
        let expected = plan.targets.expectedTargets * Double(plan.probe.settings.probes) / Double(plan.identity.shards)
        let tracker = StatusTracker(limits: plan.limits, monitor: plan.monitor, counters: counters, expectedPackets: expected,
                                    reportsAppSuccess: plan.output.schema.appSuccess != nil,
                                    frameLength: EthernetHeader.length + probe.packetLength, start: start)
        InterruptSignal.install()
        defer { InterruptSignal.uninstall() }
        let monitor = try OSThread.spawn(name: "xmap-monitor") {
            pin(plan, slot: plan.sending.senderThreads + 1)
            Monitor(tracker: tracker, statusFile: statusFile).run()
        }
        // The last checkpoint is written after the receiver is done, once every reply is in.
        let checkpoints = try startCheckpoints(checkpointWriter)
        defer { finishCheckpoints(checkpoints) }
        counters.sendStartSeconds.store(Posix.wallClock().seconds, ordering: .relaxed)
        do {
            try runSenders(probe, plan, counters: counters, transmitters: transmitters, progress: progress, pin: true)
        } catch {
            counters.stopAll()
            counters.sendEndSeconds.store(Posix.wallClock().seconds, ordering: .relaxed)
            counters.sendEndNanos.store(Posix.monotonicNanos(), ordering: .releasing)
            receiver.join()
            monitor.join()
            throw error
        }
        counters.sendEndSeconds.store(Posix.wallClock().seconds, ordering: .relaxed)
        counters.sendEndNanos.store(Posix.monotonicNanos(), ordering: .releasing)
        Log.debug("sending finished; cooldown \(plan.limits.cooldownSeconds) s", module: "send")
        if let cooldownTick {
            while !counters.receiverDone.load(ordering: .acquiring) {
                cooldownTick()
                Posix.sleep(nanos: 1_000_000)
            }
        }
        receiver.join()
        monitor.join()
        if let reason = counters.abortReason.withLock({ $0 }) {
            throw XMapError(reason, module: "monitor")
        }
        if !plan.monitor.quiet {
            var final = tracker
            writeStderr(Monitor.line(final.sample(now: Posix.monotonicNanos()), appSuccess: final.reportsAppSuccess,
                                     zmap: plan.monitor.zmapLine) + "\n")
        }
        sink.flush()
        return summary(counters, sink: sink, start: start)
    }

    /// The checkpoint writer for `--checkpoint` (nil without it), once it has written the
    /// starting progress: a checkpoint path that cannot be written fails before the scan starts.
    static func firstCheckpoint(_ plan: ScanPlan, progress: ScanProgress) throws -> CheckpointWriter? {
        guard let c = plan.checkpoint, let path = c.path else { return nil }
        let template = Checkpoint(parameters: c.parameters, seed: plan.identity.seed,
                                  validationKey: plan.identity.validationKey.keyBytes, threads: [])
        let writer = try CheckpointWriter(path: path, template: template, progress: progress)
        try writer.writeOrThrow(progress.snapshot)
        return writer
    }

    /// Starts the thread that writes the checkpoint twice a second.
    static func startCheckpoints(_ writer: CheckpointWriter?) throws -> (CheckpointWriter, OSThread)? {
        guard let writer else { return nil }
        return (writer, try OSThread.spawn(name: "xmap-checkpoint") { writer.run() })
    }

    /// Stops the checkpoint writer and writes the final progress.
    static func finishCheckpoints(_ checkpoints: (CheckpointWriter, OSThread)?) {
        guard let (writer, thread) = checkpoints else { return }
        writer.stop()
        thread.join()
        writer.write(writer.current)
    }

    /// Opens the results destination and writes the output module's header.
    static func openSink(_ plan: ScanPlan) throws -> OutputSink {
        let sink = try plan.output.redis.map { OutputSink(redis: try RedisConnection(endpoint: $0.endpoint), batch: $0.batch) }
            ?? OutputSink(path: plan.output.path)
        if plan.output.headerRow { sink.writeHeader(plan.output.module.header()) }
        sink.flush()
        if let problem = sink.failureDescription { throw XMapError(problem) }
        return sink
    }

    /// The plan's start-up lines, XMap's or ZMap's (after everything that can fail has been
    /// opened, so an error stays one line).
    static func logStart(_ plan: ScanPlan) {
        for line in plan.startLines {
            if line.isWarning { Log.warn(line.message, module: line.module) } else {
                Log.info(line.message, module: line.module)
            }
        }
        if let warning = plan.probe.module.instance.startWarning { Log.warn(warning, module: plan.probe.module.name) }
    }

    /// Starts one sender thread per transmitter and waits for all of them. Each publishes its
    /// progress to `progress` (for `--checkpoint`).
    static func runSenders<P: ProbeModule, T: PacketTransmitter & SendableMetatype>(_ probe: P, _ plan: ScanPlan, counters: ScanCounters,
                                                                 transmitters: [T], progress: ScanProgress,
                                                                 pin: Bool) throws {
        var draws = RandomDraws(seed: plan.identity.seed, sources: plan.network.sourceAddresses.count,
                                senderThreads: transmitters.count, moduleDraws: P.drawsThreadSeed,
                                receiverDraws: !plan.sending.dryRun)
        draws.zmapSources = plan.sending.zmapConventions
        let resume = plan.checkpoint?.resume?.threads
        var threads: [OSThread] = []
        defer { for t in threads { t.join() } }
        counters.activeSenders.store(transmitters.count, ordering: .relaxed)
        for (i, transmitter) in transmitters.enumerated() {
            nonisolated(unsafe) let transmitter = transmitter
            threads.append(try OSThread.spawn(name: "xmap-send-\(i)") {
                if pin { Self.pin(plan, slot: 1 + i) }
                Sender(probe: probe, plan: plan, counters: counters, transmitter: transmitter, threadIndex: i,
                       draws: draws, progress: progress, resume: resume?[i] ?? ThreadProgress()).run()
                counters.activeSenders.subtract(1, ordering: .relaxed)
            })
        }
    }

    /// Pins the calling thread to `--cores` entry `slot` (round robin): XMap gives the receiver
    /// slot 0, sender i slot 1 + i and the monitor the slot after the senders.
    static func pin(_ plan: ScanPlan, slot: Int) {
        let cores = plan.sending.pinCores
        guard !cores.isEmpty else { return }
        let cpu = cores[slot % cores.count]
        do { try Posix.pinCurrentThread(to: cpu) } catch { Log.warn("\(error)", module: "xmap") }
    }

    static func summary(_ c: ScanCounters, sink: OutputSink, start: UInt64) -> ScanSummary {
        ScanSummary(packetsSent: c.packetsSent.load(ordering: .relaxed), packetsFailed: c.packetsFailed.load(ordering: .relaxed),
                    targetsScanned: c.targetsScanned.load(ordering: .relaxed), validReplies: c.validReplies.load(ordering: .relaxed),
                    invalidReplies: c.invalidReplies.load(ordering: .relaxed),
                    repeatReplies: c.repeatReplies.load(ordering: .relaxed),
                    malformedReplies: c.malformedReplies.load(ordering: .relaxed) &+ c.unframedReplies.load(ordering: .relaxed),
                    followUpsSent: c.followUpsSent.load(ordering: .relaxed),
                    successTotal: c.successTotal.load(ordering: .relaxed), successUnique: c.successUnique.load(ordering: .relaxed),
                    resultsOutput: c.resultsOutput.load(ordering: .relaxed),
                    resultsWritten: sink.recordsWritten, resultsLost: sink.recordsLost,
                    outputFailure: sink.failureDescription,
                    seconds: Double(Posix.monotonicNanos() &- start) / 1e9,
                    interrupted: c.interrupted.load(ordering: .relaxed),
                    captureReceived: c.pcapReceived.load(ordering: .relaxed),
                    captureDropped: c.pcapDropped.load(ordering: .relaxed),
                    captureInterfaceDropped: c.pcapInterfaceDropped.load(ordering: .relaxed),
                    appSuccessTotal: c.appSuccessTotal.load(ordering: .relaxed),
                    appSuccessUnique: c.appSuccessUnique.load(ordering: .relaxed),
                    successCooldownTotal: c.successCooldownTotal.load(ordering: .relaxed),
                    successCooldownUnique: c.successCooldownUnique.load(ordering: .relaxed),
                    failureTotal: c.failureTotal.load(ordering: .relaxed), ipFragments: c.ipFragments.load(ordering: .relaxed),
                    sendStart: c.sendStartSeconds.load(ordering: .relaxed), sendEnd: c.sendEndSeconds.load(ordering: .relaxed),
                    receiveStart: c.receiveStartSeconds.load(ordering: .relaxed),
                    receiveEnd: c.receiveEndSeconds.load(ordering: .relaxed),
                    firstTarget: c.firstTarget.withLock { $0 })
    }
}
