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
    public var successUnique: UInt64
    public var resultsOutput: UInt64
    public var seconds: Double
    /// True when SIGINT/SIGTERM ended the scan early (results and metadata are still complete
    /// up to that point).
    public var interrupted = false
}

/// Runs a configured scan: opens sockets and the capture, starts the receiver, the senders and
/// the monitor, waits for sending plus cooldown, and reports.
public enum Scanner {
    /// Runs the scan described by `config`.
    /// - Throws: `XMapError` for anything that prevents the scan from starting.
    public static func run(_ config: ScanConfiguration) throws -> ScanSummary {
        guard let type = ProbeModuleRegistry.module(named: config.probeModule, family: config.family) else {
            throw XMapError("specified \(config.family) probe module (\(config.probeModule)) does not exist")
        }
        // Name each concrete module so the send and receive loops are specialised for it (no
        // witness-table calls per packet); modules not listed here still work, unspecialised.
        switch type {
        case is ICMPEchoProbe4.Type: return try run(ICMPEchoProbe4.self, config)
        case is ICMPEchoProbe6.Type: return try run(ICMPEchoProbe6.self, config)
        case is TCPSynProbe4.Type: return try run(TCPSynProbe4.self, config)
        case is TCPSynProbe6.Type: return try run(TCPSynProbe6.self, config)
        case is TCPScanProbe4.Type: return try run(TCPScanProbe4.self, config)
        case is ICMPEchoGatewayProbe6.Type: return try run(ICMPEchoGatewayProbe6.self, config)
        case is ICMPEchoTimeExceededProbe6.Type: return try run(ICMPEchoTimeExceededProbe6.self, config)
        case is UDPProbe4.Type: return try run(UDPProbe4.self, config)
        case is UDPProbe6.Type: return try run(UDPProbe6.self, config)
        default: return try run(type, config)
        }
    }

    static func run<P: ProbeModule>(_ type: P.Type, _ config: ScanConfiguration) throws -> ScanSummary {
        let settings = ProbeSettings(family: config.family, sourceMAC: config.sourceMAC, gatewayMAC: config.gatewayMAC,
                                     ttl: config.ttl, sourcePorts: config.sourcePorts, probes: config.probes,
                                     probeArgs: config.probeArgs, targetPorts: config.space.ports)
        let probe = try P(settings: settings)
        let key = AESKey(key: config.validationKey)
        var rng = AESRandom(seed: config.seed)
        let permutation = config.targetList == nil ? try CyclicPermutation(count: config.space.valueCount, rng: &rng) : nil

        let allFields = ScanConfiguration.allFields(type)
        guard let outputType = OutputModuleRegistry.module(named: config.outputModule) else {
            throw XMapError("specified output module (\(config.outputModule)) does not exist")
        }
        var selection: [Int] = []
        for name in config.outputFields {
            guard let i = allFields.firstIndex(where: { $0.name == name }) else {
                throw XMapError("specified field (\(name)) not available in selected probe module")
            }
            selection.append(i)
        }
        let output = outputType.init(fieldNames: config.outputFields)
        let counters = ScanCounters()
        let start = Posix.monotonicNanos()

        if config.dryRun {
            let sink = try OutputSink(path: config.outputPath)
            if config.headerRow { try sink.write(output.header()) }
            try sink.flush()
            let printer = DryRunPrinter()
            runSenders(probe: probe, config: config, counters: counters, sockets: nil, cipher: key.cipher,
                       printer: printer, permutation: permutation)
            withExtendedLifetime(key) {}
            return summary(counters, start: start)
        }

        // Open everything that can fail before the output file exists.
        var sockets: [PacketSocket] = []
        for _ in 0..<config.senderThreads {
            sockets.append(try PacketSocket(interfaceIndex: config.interfaceIndex, interfaceName: config.interfaceName,
                                            ipLayer: config.ipLayer))
        }
        let followUps = P.sendsFollowUps ? try FollowUpSender(probe: probe, config: config) : nil
        let capture = try PcapCapture(interface: config.interfaceName, snaplen: probe.snaplen, filter: probe.pcapFilter,
                                      excludingSource: config.sourceMAC)
        var statusFile: Int32?
        if let path = config.statusUpdatesPath {
            statusFile = try FileStatus.openForWriting(path)
            Array((Monitor.csvHeader + "\n").utf8).withUnsafeBytes { try? Posix.writeAll(statusFile!, $0) }
        }
        defer { if let fd = statusFile { Posix.close(fd) } }
        let sink = try OutputSink(path: config.outputPath)
        if config.headerRow { try sink.write(output.header()) }
        try sink.flush()
        Log.info("scanning \(config.space.targetCount) targets (\(config.space.prefixCount) prefixes) from \(config.interfaceName), gateway \(config.gatewayMAC), seed \(Int64(bitPattern: config.seed))")

        let context = ReplyContext(validator: Validator(cipher: key.cipher, family: config.family),
                                   sourcePorts: config.sourcePorts, probes: config.probes,
                                   targetPorts: PortSet(config.space.ports),
                                   validateSourcePort: config.validateSourcePort)
        let successIndex = allFields.firstIndex { $0.name == "success" } ?? 0
        let repeatIndex = allFields.firstIndex { $0.name == "repeat" } ?? 0
        let receiver = OSThread.spawn(name: "xmap-recv") {
            pin(config, slot: 0)
            let r = Receiver(probe: probe, config: config, counters: counters, capture: capture, output: output,
                             sink: sink, context: context, selection: selection, successIndex: successIndex,
                             repeatIndex: repeatIndex, followUps: followUps)
            r.run()
            counters.receiverDone.store(true, ordering: .releasing)
        }
        let targets = config.targetList.map { Double($0.count * max(1, config.space.ports.count) * config.space.indexCount) }
            ?? Double(config.space.targetCount.low128) * Double(config.iidNum)
        let expected = targets * Double(config.probes) / Double(config.shards)
        let tracker = StatusTracker(config: config, counters: counters, expectedPackets: expected,
                                    packetLength: probe.packetLength, start: start)
        let statusFD = statusFile
        InterruptSignal.install()
        defer { InterruptSignal.uninstall() }
        let monitor = OSThread.spawn(name: "xmap-monitor") {
            pin(config, slot: config.senderThreads + 1)
            Monitor(tracker: tracker, statusFile: statusFD).run()
        }
        runSenders(probe: probe, config: config, counters: counters, sockets: sockets, cipher: key.cipher,
                   printer: nil, permutation: permutation)
        counters.sendEndNanos.store(Posix.monotonicNanos(), ordering: .releasing)
        Log.debug("sending finished; cooldown \(config.cooldownSeconds) s", module: "send")
        receiver.join()
        monitor.join()
        withExtendedLifetime(key) {}
        if let reason = counters.abortReason.withLock({ $0 }) {
            throw XMapError(reason, module: "monitor")
        }
        if !config.quiet {
            var final = tracker
            writeStderr(Monitor.line(final.sample(now: Posix.monotonicNanos())) + "\n")
        }
        return summary(counters, start: start)
    }

    static func runSenders<P: ProbeModule>(probe: P, config: ScanConfiguration, counters: ScanCounters,
                                           sockets: [PacketSocket]?, cipher: AESCipher, printer: DryRunPrinter?,
                                           permutation: CyclicPermutation?) {
        var threads: [OSThread] = []
        counters.activeSenders.store(config.senderThreads, ordering: .relaxed)
        for i in 0..<config.senderThreads {
            let socket = sockets?[i]
            threads.append(OSThread.spawn(name: "xmap-send-\(i)") {
                if printer == nil { pin(config, slot: 1 + i) }
                let s = Sender(probe: probe, config: config, counters: counters, socket: socket, cipher: cipher,
                               threadIndex: i, dryRunOutput: printer)
                s.run(permutation: permutation)
                counters.activeSenders.subtract(1, ordering: .relaxed)
            })
        }
        for t in threads { t.join() }
    }

    /// Pins the calling thread to `--cores` entry `slot` (round robin): XMap gives the receiver
    /// slot 0, sender i slot 1 + i and the monitor the slot after the senders.
    static func pin(_ config: ScanConfiguration, slot: Int) {
        guard !config.pinCores.isEmpty else { return }
        let cpu = config.pinCores[slot % config.pinCores.count]
        do { try Posix.pinCurrentThread(to: cpu) } catch { Log.warn("\(error)", module: "xmap") }
    }

    static func summary(_ c: ScanCounters, start: UInt64) -> ScanSummary {
        ScanSummary(packetsSent: c.packetsSent.load(ordering: .relaxed), packetsFailed: c.packetsFailed.load(ordering: .relaxed),
                    targetsScanned: c.targetsScanned.load(ordering: .relaxed), validReplies: c.validReplies.load(ordering: .relaxed),
                    invalidReplies: c.invalidReplies.load(ordering: .relaxed), successUnique: c.successUnique.load(ordering: .relaxed),
                    resultsOutput: c.resultsOutput.load(ordering: .relaxed),
                    seconds: Double(Posix.monotonicNanos() &- start) / 1e9,
                    interrupted: c.interrupted.load(ordering: .relaxed))
    }
}
