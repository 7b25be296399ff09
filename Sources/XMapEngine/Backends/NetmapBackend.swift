import XMapCore
import XMapIO

/// `--backend netmap`, ZMap's kernel-bypass path: the interface's rings through `/dev/netmap`,
/// one TX ring per sender thread, every RX ring read by the receive thread, which also answers
/// the gateway's ARP and neighbor requests. Its run time is compiled only with the `Netmap`
/// package trait (`#if NETMAP`); the default build knows the name and says it lacks it.
enum NetmapBackend: ScanBackend {
    static let name = "netmap"
    static let sendsBareIP = false
    static let senderThreadLimit = SenderThreadLimit.transmitQueues(label: "netmap")

    static func checkRequirements() throws {
        guard Posix.exists(NetmapSupport.device) else {
            throw XMapError(
                "--backend netmap: \(NetmapSupport.device) does not exist (the netmap kernel module "
                    + "is not loaded on this host)")
        }
        guard NetmapSupport.built else { throw notBuilt }
    }

    static var notBuilt: XMapError {
        XMapError("--backend netmap: this xmap was built without netmap (swift build -c release --traits Netmap)")
    }

    #if NETMAP
    /// ZMap's start-up order (zmap.md §3.3): warn that the interface leaves the host stack,
    /// register all NIC rings on the main port, wait for the link after the PHY reset, give each
    /// sender thread its own TX ring, and receive on every RX ring of the main port.
    static func open<S: BackendScan>(_ request: BackendRequest, then scan: S) throws -> ScanSummary {
        let network = request.network
        let name = network.interfaceName
        guard request.linkLayer == .ip else {
            throw XMapError("--backend netmap: the \(request.probeName) module needs --backend packet or afxdp")
        }
        guard !request.sendsFollowUps else {
            throw XMapError(
                "--backend netmap: \(request.probeName) answers replies with packets of its own, which "
                    + "the netmap backend does not send; use --backend packet or afxdp")
        }
        Log.warn("\(name) is disconnected from the host network stack while the scan runs", module: "netmap")
        Posix.sleep(nanos: 100_000_000)
        let main = try NetmapPort(allRingsOf: name)
        Log.info(
            "netmap bound to \(name) with \(main.txRingCount) tx rings, \(main.rxRingCount) rx rings",
            module: "netmap")
        try NetmapPort.waitForLink(name)
        // The plan gave one thread per TX queue the kernel lists; netmap's rings are the same queues.
        guard request.senderThreads <= main.txRingCount else {
            throw XMapError(
                "--backend netmap: \(name) has \(main.txRingCount) TX rings for "
                    + "\(request.senderThreads) sender threads; use -T \(main.txRingCount)", module: "send")
        }
        let control = NetmapControlQueue()
        let link = request.link
        let transmitters = try (0..<request.senderThreads).map { ring in
            try NetmapTransmitter(
                interfaceName: name, ring: ring, batchCapacity: request.batch,
                packetCapacity: request.packetLength, link: link, control: ring == 0 ? control : nil)
        }
        let family = request.plan.family
        let addresses = network.sourceAddresses.map { IPAddress(family: family, value: $0) }
        let capture = NetmapCapture(
            port: main, family: family, ourMAC: network.sourceMAC,
            gateway: network.gatewayMAC, addresses: addresses, control: control)
        let waitFor = request.plan.sending.waitPing
        let waitPing: () throws -> Void = {
            guard let address = waitFor else { return }
            try NetmapEchoWait.wait(
                for: address, from: addresses[0], link: link, port: main, capture: capture,
                control: control)
        }
        // Sender 0 sends the receiver's ARP and neighbor replies; once the senders are done, the
        // scan's own thread does, through the cooldown.
        let ring0 = transmitters[0]
        return try scan.run(
            BackendIO(
                transmitters: transmitters, replies: capture,
                followUps: nil as PacketSocketTransmitter?, waitPing: waitPing,
                cooldownTick: { ring0.sendControlFrames() }))
    }
    #else
    static func open<S: BackendScan>(_ request: BackendRequest, then scan: S) throws -> ScanSummary {
        throw notBuilt
    }
    #endif
}
