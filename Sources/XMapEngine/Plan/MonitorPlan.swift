/// The monitor thread's output and abort conditions.
public struct MonitorPlan: Sendable {
    /// `-q`: no status line.
    public var quiet = false
    /// ZMap's status line (no bandwidth figures) instead of XMap's.
    public var zmapLine = false
    /// `-u`: CSV file that receives one status row per second.
    public var statusUpdatesPath: String?
    /// `--min-hitrate`: abort when the hit rate (percent) stays below this for 5 s after a 5 s
    /// warm-up; 0 disables the check.
    public var minHitrate: Double = 0
    /// `--max-sendto-failures`: abort once more packets than this failed to send; negative
    /// disables the check.
    public var maxSendtoFailures: Int = -1

    public init() {}
}
