import XMapCore

/// How probes are sent.
public struct SendPlan: Sendable {
    /// Packets per second over all threads; 0 means unlimited.
    public var rate: Int = 1
    /// Packets per `sendmmsg` batch.
    public var batchSize: Int = 64
    /// Send attempts per packet.
    public var retries: Int = 1
    /// Sender threads (`-T`).
    public var senderThreads: Int = 1
    /// Whether `-T` was given (AF_XDP otherwise takes one thread per TX queue, cores allowing).
    public var senderThreadsGiven = false
    /// `--cores`: CPUs for the receiver (first), the senders and the monitor, used round robin;
    /// empty means no pinning.
    public var pinCores: [Int] = []
    /// `-d`: print packets instead of sending them.
    public var dryRun = false
    /// ZMap's `--fast-dryrun`: the dry run writes binary records (address, port) instead of text.
    public var fastDryRun = false

    /// `--netmap-wait-ping`: an address that must answer an echo request before sending starts.
    public var waitPing: IPAddress?
    /// ZMap's conventions (the `zmap` personality) instead of XMap's: the dry-run text, and the
    /// choice among several source addresses.
    public var zmapConventions = false
    /// The packet I/O backend (`--backend`).
    public var backend: PacketBackend = .packet
    /// The `packet` backend's frames skip the queueing discipline and packet taps
    /// (PACKET_QDISC_BYPASS); false with `--no-qdisc-bypass`.
    public var bypassQueueing = true

    public init() {}
}

/// How sender threads put packets on the wire (`--backend`): a backend's name in
/// `BackendCatalog`.
public struct PacketBackend: RawRepresentable, Hashable, Sendable {
    /// The backend's name.
    public let rawValue: String

    /// The backend named `rawValue` (`BackendCatalog.backend(named:ipLayer:dryRun:)` checks it).
    public init(rawValue: String) { self.rawValue = rawValue }

    /// AF_PACKET sockets and `sendmmsg` (the default; works everywhere, also with `-X`).
    public static let packet = PacketBackend(rawValue: "packet")
}
