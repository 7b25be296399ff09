import Synchronization

/// Counters shared by the sender, receiver and monitor threads (relaxed atomics; senders publish
/// once per batch, not per packet).
public final class ScanCounters: Sendable {
    public let packetsSent = Atomic<UInt64>(0)
    public let packetsFailed = Atomic<UInt64>(0)
    /// Packets the receive thread sent in answer to replies (`tcp_scan`).
    public let followUpsSent = Atomic<UInt64>(0)
    public let targetsScanned = Atomic<UInt64>(0)
    /// Replies that passed validation.
    public let validReplies = Atomic<UInt64>(0)
    /// Packets captured that failed validation (stray, forged or foreign).
    public let invalidReplies = Atomic<UInt64>(0)
    /// Valid replies that repeat one already seen (duplicates, amplification).
    public let repeatReplies = Atomic<UInt64>(0)
    /// Packets captured that are not well-formed IP packets of the scan's family.
    public let malformedReplies = Atomic<UInt64>(0)
    public let successTotal = Atomic<UInt64>(0)
    public let successUnique = Atomic<UInt64>(0)
    /// Results whose `app_success` is set (DNS: an answer with RCODE 0), all and first-seen.
    public let appSuccessTotal = Atomic<UInt64>(0)
    public let appSuccessUnique = Atomic<UInt64>(0)
    /// Successes that arrived during the cooldown, all and first-seen; validated replies that are
    /// not successes; IPv4 replies with more fragments to come (XMap's metadata counters).
    public let successCooldownTotal = Atomic<UInt64>(0)
    public let successCooldownUnique = Atomic<UInt64>(0)
    public let failureTotal = Atomic<UInt64>(0)
    public let ipFragments = Atomic<UInt64>(0)
    /// Wall-clock seconds when sending and receiving started and ended (0 until then).
    public let sendStartSeconds = Atomic<Int>(0)
    public let sendEndSeconds = Atomic<Int>(0)
    public let receiveStartSeconds = Atomic<Int>(0)
    public let receiveEndSeconds = Atomic<Int>(0)
    /// The first target the first sender thread probed (metadata `first_scanned`).
    public let firstTarget = Mutex<UInt128?>(nil)
    /// Results that passed the output filter (what XMap's status line calls recv).
    public let resultsOutput = Atomic<UInt64>(0)
    /// libpcap's statistics, refreshed about once per second by the receiver.
    public let pcapReceived = Atomic<UInt64>(0)
    public let pcapDropped = Atomic<UInt64>(0)
    public let pcapInterfaceDropped = Atomic<UInt64>(0)
    /// Frames the reply source could not take an IP packet of the scan's family from.
    public let unframedReplies = Atomic<UInt64>(0)
    /// Senders still running.
    public let activeSenders = Atomic<Int>(0)
    /// Monotonic time (ns) when the last sender finished; 0 while sending.
    public let sendEndNanos = Atomic<UInt64>(0)
    /// Set to stop everything (max results, fatal receive error, abort, second interrupt).
    public let stop = Atomic<Bool>(false)
    /// Set to stop sending only (first interrupt); replies are still collected during cooldown.
    /// Also set whenever `stop` is.
    public let stopSending = Atomic<Bool>(false)
    /// Set when the receiver has finished.
    public let receiverDone = Atomic<Bool>(false)
    /// Set when SIGINT/SIGTERM stopped the scan early.
    public let interrupted = Atomic<Bool>(false)
    /// Why the monitor aborted the scan (`--min-hitrate`, `--max-sendto-failures`), if it did.
    public let abortReason = Mutex<String?>(nil)

    /// Stops the scan with a fatal reason (the first reason wins).
    public func abort(_ reason: String) {
        abortReason.withLock { if $0 == nil { $0 = reason } }
        stopAll()
    }

    /// Stops senders and the receiver.
    public func stopAll() {
        stopSending.store(true, ordering: .relaxed)
        stop.store(true, ordering: .relaxed)
    }

    public init() {}
}
