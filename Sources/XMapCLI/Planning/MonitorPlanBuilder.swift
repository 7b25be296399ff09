import XMapCore
import XMapEngine

/// Status output and abort conditions: `-q`, `-u`, `--min-hitrate`, `--max-sendto-failures`.
struct MonitorPlanBuilder {
    let options: XMapOptions

    func build() throws -> MonitorPlan {
        var monitor = MonitorPlan()
        monitor.quiet = options.quiet
        monitor.zmapLine = options.personality == .zmap
        monitor.statusUpdatesPath = options.statusUpdatesFile
        monitor.minHitrate = options.minHitrate ?? 0
        guard monitor.minHitrate.isFinite && monitor.minHitrate >= 0 && monitor.minHitrate <= 100 else {
            throw XMapError("--min-hitrate must be a percentage between 0 and 100 (got \(options.minHitrate ?? 0))")
        }
        monitor.maxSendtoFailures = options.maxSendtoFailures ?? -1
        return monitor
    }
}
