import XMapIO

/// `--backend packet`, the default: an AF_PACKET socket per sender thread sending batches with
/// `sendmmsg` (bare IP packets with `-X`), replies from libpcap.
enum PacketSocketBackend: ScanBackend {
    static let name = "packet"
    static let sendsBareIP = true
    static let senderThreadLimit = SenderThreadLimit.none

    static func checkRequirements() {}

    static func open<S: BackendScan>(_ request: BackendRequest, then scan: S) throws -> ScanSummary {
        let transmitters = try (0..<request.senderThreads).map { _ in try request.packetSocket(batch: request.batch) }
        let capture = try request.pcapCapture()
        let followUps = request.sendsFollowUps ? try request.packetSocket(batch: 1) : nil
        return try scan.run(
            BackendIO(
                transmitters: transmitters, replies: capture, followUps: followUps,
                waitPing: request.kernelWaitPing()))
    }
}
