import XMapCore
import XMapIO
import XMapModules

extension ScanSession {
    /// `-d`: the senders build every probe and the printer writes it to standard output;
    /// nothing is opened for sending or receiving, and nothing is sent.
    func dryRun() throws -> ScanSummary {
        let sink = try Self.openSink(plan)
        Self.logStart(plan)
        Log.info("dryrun mode -- won't actually send packets", module: "send")
        let printer = DryRunPrinter(counters: counters)
        let link = plan.network.ipLayer ? nil : plan.network.ethernetHeader(plan.family)
        let style = plan.sending.zmapConventions ? ZMapDryRunFormat.Style(module: plan.probe.module.name) : nil
        let transmitters = (0..<plan.sending.senderThreads).map { _ in
            DryRunTransmitter(
                probe: probe, printer: printer, link: link, fast: plan.sending.fastDryRun,
                zmapStyle: style)
        }
        try plan.privileges.apply()
        let checkpoints = try startCheckpoints()
        defer { Self.finishCheckpoints(checkpoints) }
        counters.sendStartSeconds.store(clock.wallClock().seconds, ordering: .relaxed)
        try runSenders(transmitters, pin: false)
        counters.sendEndSeconds.store(clock.wallClock().seconds, ordering: .relaxed)
        if let error = printer.writeError {
            throw XMapError("could not write the dry run to standard output: \(error.errnoText)")
        }
        return ScanSummary(counters, sink: sink, start: start, end: clock.now())
    }
}
