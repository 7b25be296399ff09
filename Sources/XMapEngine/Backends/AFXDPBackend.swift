import XMapIO

/// `--backend afxdp`: an AF_XDP socket per sender thread, each on its own TX queue of the
/// interface (`AFXDPTransmitter`); replies from libpcap, follow-ups through an AF_PACKET socket.
enum AFXDPBackend: ScanBackend {
    static let name = "afxdp"
    static let sendsBareIP = false
    static let senderThreadLimit = SenderThreadLimit.transmitQueues(label: "AF_XDP")

    static func checkRequirements() {}

    static func open<S: BackendScan>(_ request: BackendRequest, then scan: S) throws -> ScanSummary {
        let network = request.network
        let transmitters = try (0..<request.senderThreads).map { queue in
            try AFXDPTransmitter(
                interfaceIndex: network.interfaceIndex, interfaceName: network.interfaceName,
                queue: queue, batchCapacity: request.batch, packetCapacity: request.packetLength,
                link: request.link)
        }
        let queues = "\(transmitters.count) queue\(transmitters.count == 1 ? "" : "s")"
        let mode = transmitters.first?.zeroCopy == true ? "zero-copy" : "copy mode"
        Log.info("AF_XDP on \(network.interfaceName), \(queues), \(mode)", module: "send")
        let capture = try request.pcapCapture()
        let followUps = request.sendsFollowUps ? try request.packetSocket(batch: 1) : nil
        return try scan.run(
            BackendIO(
                transmitters: transmitters, replies: capture, followUps: followUps,
                waitPing: request.kernelWaitPing()))
    }
}
