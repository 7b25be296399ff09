/// The packet I/O seam: where a sender thread puts its probes. A transmitter owns a batch of
/// preallocated packet buffers and a way to send them; the send loop is generic over it, so a
/// backend (AF_PACKET with `sendmmsg`, AF_XDP, netmap, the dry-run printer) is one type.
///
/// Buffers start at the IP header; the link header in front of them, if any, is the
/// transmitter's business. Each buffer keeps what was written into it between batches, so the
/// probe module's template is written once per buffer.
public protocol PacketTransmitter: AnyObject {
    /// How many packets one batch holds.
    var batchCapacity: Int { get }
    /// The buffer of packet `slot` (0 ..< batchCapacity), at its IP header.
    func packetBuffer(_ slot: Int) -> UnsafeMutableRawPointer
    /// Records the length of packet `slot` (IP header included).
    func setLength(_ slot: Int, _ length: Int)
    /// Sends packets 0 ..< count; returns how many could not be sent.
    func send(count: Int) -> Int
}
