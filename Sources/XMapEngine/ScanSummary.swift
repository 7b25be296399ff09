import XMapIO

/// What a finished scan reports.
public struct ScanSummary: Sendable {
    /// Probes sent, and the ones the backend could not send.
    public var packetsSent: UInt64
    public var packetsFailed: UInt64
    /// Targets whose probes were all built.
    public var targetsScanned: UInt64
    /// Replies that passed validation, and captured packets that did not.
    public var validReplies: UInt64
    public var invalidReplies: UInt64
    /// Valid replies that repeated one already seen.
    public var repeatReplies: UInt64
    /// Captured packets that were not well-formed IP packets of the scan's family.
    public var malformedReplies: UInt64
    /// Validated replies the probe module answered with a packet of its own (`tcp_scan`).
    public var followUpsSent: UInt64
    /// Results with `success` set, all and first-seen.
    public var successTotal: UInt64
    public var successUnique: UInt64
    /// Results that passed the output filter (XMap's `output_results`).
    public var resultsOutput: UInt64
    /// Of those, the ones whose bytes all reached the output, and the ones that could not be written.
    public var resultsWritten: UInt64
    public var resultsLost: UInt64
    /// Why results could not be written (one line), if they could not.
    public var outputFailure: String?
    /// How long the scan ran.
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

extension ScanSummary {
    /// The summary of a scan that started at monotonic time `start` and ends at `end`, from its
    /// counters and its output.
    init(_ c: ScanCounters, sink: OutputSink, start: UInt64, end: UInt64) {
        self.init(
            packetsSent: c.packetsSent.load(ordering: .relaxed),
            packetsFailed: c.packetsFailed.load(ordering: .relaxed),
            targetsScanned: c.targetsScanned.load(ordering: .relaxed),
            validReplies: c.validReplies.load(ordering: .relaxed),
            invalidReplies: c.invalidReplies.load(ordering: .relaxed),
            repeatReplies: c.repeatReplies.load(ordering: .relaxed),
            malformedReplies: c.malformedReplies.load(ordering: .relaxed)
                &+ c.unframedReplies.load(ordering: .relaxed),
            followUpsSent: c.followUpsSent.load(ordering: .relaxed),
            successTotal: c.successTotal.load(ordering: .relaxed),
            successUnique: c.successUnique.load(ordering: .relaxed),
            resultsOutput: c.resultsOutput.load(ordering: .relaxed),
            resultsWritten: sink.recordsWritten, resultsLost: sink.recordsLost,
            outputFailure: sink.failureDescription,
            seconds: Double(end &- start) / 1e9,
            interrupted: c.interrupted.load(ordering: .relaxed),
            captureReceived: c.pcapReceived.load(ordering: .relaxed),
            captureDropped: c.pcapDropped.load(ordering: .relaxed),
            captureInterfaceDropped: c.pcapInterfaceDropped.load(ordering: .relaxed),
            appSuccessTotal: c.appSuccessTotal.load(ordering: .relaxed),
            appSuccessUnique: c.appSuccessUnique.load(ordering: .relaxed),
            successCooldownTotal: c.successCooldownTotal.load(ordering: .relaxed),
            successCooldownUnique: c.successCooldownUnique.load(ordering: .relaxed),
            failureTotal: c.failureTotal.load(ordering: .relaxed),
            ipFragments: c.ipFragments.load(ordering: .relaxed),
            sendStart: c.sendStartSeconds.load(ordering: .relaxed),
            sendEnd: c.sendEndSeconds.load(ordering: .relaxed),
            receiveStart: c.receiveStartSeconds.load(ordering: .relaxed),
            receiveEnd: c.receiveEndSeconds.load(ordering: .relaxed),
            firstTarget: c.firstTarget.withLock { $0 })
    }
}
