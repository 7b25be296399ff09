/// When a scan stops (0 means no limit for each).
public struct ScanLimits: Sendable {
    /// `-n`: targets over all shards and threads.
    public var maxTargets: UInt64 = 0
    /// `-k`: packets over all shards and threads.
    public var maxPackets: UInt64 = 0
    /// `-t`: seconds of sending.
    public var maxRuntime: Int = 0
    /// `-N`: results written.
    public var maxResults: UInt64 = 0
    /// `-c`: seconds to keep receiving after the last probe.
    public var cooldownSeconds: Int = 5

    public init() {}
}
