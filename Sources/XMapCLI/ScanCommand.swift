#if canImport(Glibc)
import Glibc
#endif
import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// What `xmap` and `zmap` do once their command lines are parsed: the listings, then plan,
/// detect the network, scan, write the metadata and report. Every failure ends with one line on
/// stderr and exit status 1; listings exit 0.
enum ScanCommand {
    static func run(_ options: XMapOptions) -> Never {
        let personality = options.personality
        Log.program = personality.program
        if options.version { writeStdout((personality == .xmap ? XMapMain.version : ZMapMain.version) + "\n"); exit(0) }
        if options.listProbeModules {
            writeStdout(personality == .xmap ? ProbeCatalog.listing : ZMapListing.probeModules)
            exit(0)
        }
        if options.listOutputModules {
            writeStdout(personality == .xmap ? OutputCatalog.listing : ZMapListing.outputModules)
            exit(0)
        }
        if options.listIIDModules { writeStdout(IIDCatalog.listing); exit(0) }
        XMapMain.configureLogging(options)
        do {
            let planner = ScanPlanner(options: options)
            let entry = try planner.probeEntry()
            if let args = options.probeArgs, let text = entry.informationText(forProbeArgs: args) {
                writeStderr(text)
                exit(0)
            }
            if options.listOutputFields {
                writeStdout(XMapMain.fieldListing(entry, title: personality == .xmap))
                exit(0)
            }
            let userMetadata = try options.userMetadata.map { text in
                do { return try JSONValue(parsing: text) } catch {
                    throw XMapError("unable to parse custom user metadata")
                }
            }
            var plan = try planner.plan()
            if let list = plan.targets.list, list.count == 0 {
                Log.warn("zero ip target file, no need to \(personality.program)")
                exit(0)
            }
            plan.network = try planner.network(for: plan)
            // The metadata file is opened before the scan, so a bad path fails before any probe.
            let metadataFD = try options.metadataFile.map(XMapMain.openMetadata)
            let summary = try plan.run()
            if let path = options.metadataFile, let fd = metadataFD {
                let json =
                    personality == .xmap
                    ? Metadata(plan: plan, summary: summary, options: options, userMetadata: userMetadata).json()
                    : ZMapMetadata(plan: plan, summary: summary, options: options, userMetadata: userMetadata).json()
                try XMapMain.writeMetadata(json, to: fd, path: path)
            }
            if let failure = summary.outputFailure { XMapMain.fail(failure, module: personality.program) }
            if summary.interrupted {
                Log.info("interrupted: \(summary.packetsSent) packets sent, \(summary.resultsWritten) results written")
                exit(130)
            }
            report(summary, plan)
            exit(0)
        } catch let e as XMapError {
            XMapMain.fail(e.message, module: e.module == "xmap" ? personality.program : e.module)
        } catch {
            XMapMain.fail("\(error)", module: personality.program)
        }
    }

    /// The last log lines of a finished scan.
    static func report(_ summary: ScanSummary, _ plan: ScanPlan) {
        if plan.sending.dryRun {
            Log.info("completed")
            return
        }
        let drops = summary.captureDropped &+ summary.captureInterfaceDropped
        if drops > 0 {
            let size =
                plan.capture.bufferBytes >= 1 << 20
                ? "\(plan.capture.bufferBytes >> 20) MiB" : "\(plan.capture.bufferBytes >> 10) KiB"
            Log.warn(
                "the capture dropped \(drops) packets (\(summary.captureDropped) because its \(size) buffer was "
                    + "full, \(summary.captureInterfaceDropped) at the interface): replies may be missing; raise "
                    + "--capture-buffer or lower the rate")
        }
        Log.info(
            "completed: \(summary.packetsSent) packets sent (\(summary.packetsFailed) failed), "
                + "\(summary.captureReceived) packets captured (\(drops) dropped), \(summary.validReplies) valid "
                + "replies (\(summary.repeatReplies) repeats), \(summary.invalidReplies) invalid replies ignored, "
                + "\(summary.malformedReplies) malformed packets ignored, \(summary.resultsWritten) results")
    }
}
