import XMapCore
import XMapIO
import XMapModules

/// Sends a probe module's answers to replies (`tcp_scan` closing connections) from the
/// receive thread, through a transmitter of its own with one packet buffer (the backend's:
/// an AF_PACKET socket for `packet` and `afxdp`).
/// Owned by the receive thread once the scan starts.
struct FollowUpSender<P: ProbeModule, F: PacketTransmitter & Sendable>: Sendable {
    private let probe: P
    private let transmitter: F
    /// Where each answer goes on the link (an on-link target's own MAC once resolved).
    private let link: LinkAddressing

    init(probe: P, transmitter: F, network: NetworkPlan) {
        self.probe = probe
        self.transmitter = transmitter
        link = LinkAddressing(P.self, network: network, dryRun: false)
        probe.writeTemplate(into: transmitter.packetBuffer(0))
    }

    /// Lets the probe module answer `packet`; sends the answer if there is one. Returns whether
    /// a packet went out.
    func answer(_ packet: ReplyPacket, header: IPHeaderView) -> Bool {
        let length = probe.followUp(packet, header: header, into: transmitter.packetBuffer(0))
        let destination = link.destination(for: header.source)
        guard length > 0, destination != LinkAddressing.skip else { return false }
        link.write(destination, before: transmitter.packetBuffer(0))
        transmitter.setLength(0, length)
        return transmitter.send(count: 1) == 0
    }
}
