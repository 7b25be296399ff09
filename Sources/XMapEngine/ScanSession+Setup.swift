import XMapCore
import XMapIO
import XMapModules

/// What a scan opens and logs around its threads: the checkpoint and its thread, the results
/// destination, the start-up lines, and where each thread runs.
extension ScanSession {
    /// The checkpoint writer for `--checkpoint` (nil without it), once it has written the
    /// starting progress: a checkpoint path that cannot be written fails before the scan starts.
    static func firstCheckpoint(_ plan: ScanPlan, progress: ScanProgress) throws -> CheckpointWriter? {
        guard let c = plan.checkpoint, let path = c.path else { return nil }
        let template = Checkpoint(
            parameters: c.parameters, seed: plan.identity.seed,
            validationKey: plan.identity.validationKey.keyBytes, threads: [])
        let writer = try CheckpointWriter(path: path, template: template, progress: progress)
        try writer.writeOrThrow(progress.snapshot)
        return writer
    }

    /// Starts the thread that writes the checkpoint twice a second.
    func startCheckpoints() throws -> (CheckpointWriter, OSThread)? {
        guard let writer = checkpointWriter else { return nil }
        let clock = self.clock
        return (writer, try OSThread.spawn(name: "xmap-checkpoint") { writer.run(clock: clock) })
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
        let sink =
            try plan.output.redis.map {
                OutputSink(redis: try RedisConnection(endpoint: $0.endpoint), batch: $0.batch)
            } ?? OutputSink(path: plan.output.path)
        if plan.output.headerRow { sink.writeHeader(plan.output.module.header()) }
        sink.flush()
        if let problem = sink.failureDescription { throw XMapError(problem) }
        return sink
    }

    /// The plan's start-up lines, XMap's or ZMap's (after everything that can fail has been
    /// opened, so an error stays one line).
    static func logStart(_ plan: ScanPlan) {
        for line in plan.startLines {
            if line.isWarning {
                Log.warn(line.message, module: line.module)
            } else {
                Log.info(line.message, module: line.module)
            }
        }
        let module = plan.probe.module
        if let warning = module.instance.startWarning { Log.warn(warning, module: module.name) }
    }

    /// Pins the calling thread to `--cores` entry `slot` (round robin): XMap gives the receiver
    /// slot 0, sender i slot 1 + i and the monitor the slot after the senders.
    static func pin(_ plan: ScanPlan, slot: Int) {
        let cores = plan.sending.pinCores
        guard !cores.isEmpty else { return }
        let cpu = cores[slot % cores.count]
        do { try Posix.pinCurrentThread(to: cpu) } catch { Log.warn("\(error)", module: "xmap") }
    }
}
