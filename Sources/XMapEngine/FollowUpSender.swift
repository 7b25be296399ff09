import XMapCore
import XMapIO
import XMapModules

/// Sends a probe module's answers to replies (`tcp_scan` closing connections) from the
/// receive thread, through its own packet socket and one preallocated frame.
/// Owned by the receive thread once the scan starts; Sendable only for that hand-off.
final class FollowUpSender: @unchecked Sendable {
    private let socket: PacketSocket
    private let batch: FrameBatch
    private let retries: Int

    init<P: ProbeModule>(probe: P, config: ScanConfiguration) throws {
        socket = try PacketSocket(interfaceIndex: config.interfaceIndex, interfaceName: config.interfaceName,
                                  ipLayer: config.ipLayer)
        batch = FrameBatch(capacity: 1, frameSize: max(probe.packetLength, 64), ipLayer: config.ipLayerDestination)
        probe.writeTemplate(into: batch.frame(0))
        retries = config.retries
    }

    /// Lets `probe` answer `packet`; sends the answer if there is one. Returns whether a packet
    /// went out.
    func answer<P: ProbeModule>(_ packet: ReplyPacket, header: IPHeaderView, probe: P) -> Bool {
        let length = probe.followUp(packet, header: header, into: batch.frame(0))
        guard length > 0 else { return false }
        batch.setLength(0, length)
        return socket.send(batch, count: 1, retries: retries) == 0
    }
}
