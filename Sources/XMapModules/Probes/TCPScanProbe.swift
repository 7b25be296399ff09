import XMapCore

/// `tcp_scan` (IPv4 only): the same SYN as `tcp_syn`, but it follows the connection: a SYN-ACK
/// is answered with a FIN-ACK and a FIN-ACK with an ACK, and SYN-ACK, ACK and FIN-ACK replies
/// are all results (`synack`, `ack`, `finack`; RST-ACK is `rst`).
public struct TCPScanProbe4: CoreBackedProbe {
    public static let name = "tcp_scan"
    public static let family = IPFamily.v4
    public static let usesPorts = true
    public static let sendsFollowUps = true
    public static let helpText = "Probe module that sends a TCP SYN packet to a specific port and closes the connection it opens: a SYN-ACK is answered with a FIN-ACK and the peer's FIN-ACK with an ACK. Possible classifications are: synack, ack, finack and rst."
    public let core: TCPSynCore

    public init(settings: ProbeSettings) throws {
        core = try TCPSynCore(family: .v4, settings: settings, stateful: true, module: Self.name)
    }
    public var pcapFilter: String { "ip && tcp" }
    public var snaplen: Int { EthernetHeader.length + 60 + 60 }
    public func followUp(_ p: ReplyPacket, header h: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int {
        core.followUp(p, header: h, into: buffer)
    }
}
