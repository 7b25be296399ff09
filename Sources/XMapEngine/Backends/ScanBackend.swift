import XMapCore
import XMapIO
import XMapModules

/// A packet I/O backend (`--backend NAME`): one type per backend, listed once in
/// `BackendCatalog`. At plan time it states what the host must have and how many sender threads
/// it can run; at run time it opens its transmitters (one per sender thread), its reply source
/// and its wait-ping step, and hands them to the scan. The scan's send and receive loops are
/// then specialised for the backend's own types: the backend is chosen once, never per packet.
protocol ScanBackend: SendableMetatype {
    /// The name `--backend` takes, and the metadata's `backend`.
    static var name: String { get }
    /// Whether it can send bare IP packets (`-X`); a backend that builds Ethernet frames cannot.
    static var sendsBareIP: Bool { get }
    /// How many sender threads it can run.
    static var senderThreadLimit: SenderThreadLimit { get }
    /// Checks that this host has what a scan with the backend needs (a device, a build option).
    /// Not asked for a dry run, which sends nothing.
    /// - Throws: `XMapError` saying what is missing.
    static func checkRequirements() throws
    /// Opens the backend for `request` (everything that can fail before the output file is
    /// created) and runs `scan` with it.
    /// - Throws: `XMapError` when the backend cannot be opened, or what the scan throws.
    static func open<S: BackendScan>(_ request: BackendRequest, then scan: S) throws -> ScanSummary
}

/// How many sender threads a backend can run.
enum SenderThreadLimit: Sendable, Equatable {
    /// Any number (`-T`, at most 255).
    case none
    /// One per TX queue of the interface, and one core kept for the receive thread (ZMap's caps
    /// for AF_XDP and netmap); `label` names the backend in the log lines.
    case transmitQueues(label: String)
}

/// What a backend opens its packet I/O for.
struct BackendRequest {
    let plan: ScanPlan
    /// The probe module's name (for messages).
    let probeName: String
    /// The longest probe packet, IP header included.
    let packetLength: Int
    /// The probe module's capture length and BPF filter (for a libpcap capture).
    let snaplen: Int
    let pcapFilter: String
    /// Whether the probe module answers replies with packets of its own (`tcp_scan`): the
    /// backend then opens a follow-up transmitter too.
    let sendsFollowUps: Bool
    /// How the module's frames travel (ARP frames for `arp`).
    let linkLayer: ProbeLinkLayer

    init<P: ProbeModule>(probe: P, plan: ScanPlan) {
        self.plan = plan
        probeName = plan.probe.module.name
        packetLength = probe.packetLength
        snaplen = probe.snaplen
        pcapFilter = probe.pcapFilter
        sendsFollowUps = P.sendsFollowUps
        linkLayer = P.linkLayer
    }

    var network: NetworkPlan { plan.network }
    /// Sender threads, as planned (the plan has applied the backend's limit).
    var senderThreads: Int { plan.sending.senderThreads }
    /// Packets per batch.
    var batch: Int { max(1, min(plan.sending.batchSize, 1024)) }
    /// The Ethernet header in front of every probe.
    var link: EthernetHeader { plan.network.ethernetHeader(plan.family) }
}

/// The scan, waiting for its packet I/O: a backend opens it and calls `run`.
protocol BackendScan {
    /// Runs the scan on `io`.
    func run<T: PacketTransmitter & SendableMetatype, C: ReplySource & Sendable, F: PacketTransmitter & Sendable>(
        _ io: BackendIO<T, C, F>
    ) throws -> ScanSummary
}

/// A backend's packet I/O, open: what the scan's threads use.
struct BackendIO<T: PacketTransmitter & SendableMetatype, C: ReplySource & Sendable, F: PacketTransmitter & Sendable> {
    /// One transmitter per sender thread.
    var transmitters: [T]
    /// Where the receive thread takes replies from.
    var replies: C
    /// The receive thread's transmitter for the probe module's follow-ups (nil when the module
    /// sends none).
    var followUps: F?
    /// `--netmap-wait-ping`: waits for the link before sending starts.
    var waitPing: () throws -> Void
    /// Called every millisecond on the scan's thread from the end of sending until the receive
    /// thread is done (netmap: the receive thread's ARP and neighbor answers), if set.
    var cooldownTick: (() -> Void)? = nil
}

extension BackendRequest {
    /// An AF_PACKET transmitter on the scan's interface (`-X`: for bare IP packets).
    func packetSocket(batch: Int) throws -> PacketSocketTransmitter {
        let n = network
        let ipLayer =
            n.ipLayer
            ? IPLayerDestination(interfaceIndex: n.interfaceIndex, family: plan.family, linkAddress: n.gatewayMAC)
            : nil
        return try PacketSocketTransmitter(
            interfaceIndex: n.interfaceIndex, interfaceName: n.interfaceName,
            batchCapacity: batch, packetCapacity: packetLength, link: link,
            ipLayer: ipLayer, retries: plan.sending.retries,
            bypassQueueing: plan.sending.bypassQueueing)
    }

    /// The libpcap capture of the backends that leave receiving to the kernel.
    func pcapCapture() throws -> PcapCapture {
        try PcapCapture(
            interface: network.interfaceName, family: plan.family, snaplen: snaplen, filter: pcapFilter,
            excludingSource: network.sourceMAC, bufferBytes: plan.capture.bufferBytes,
            etherType: linkLayer.etherType(plan.family))
    }

    /// `--netmap-wait-ping` through a kernel socket.
    func kernelWaitPing() -> () throws -> Void {
        let address = plan.sending.waitPing
        return { if let address { try EchoWait.wait(for: address) } }
    }
}
