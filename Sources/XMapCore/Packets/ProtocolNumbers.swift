/// IP protocol numbers (IPv4 protocol, IPv6 next header) of the probes.
public enum IPProtocol {
    public static let icmp: UInt8 = 1
    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17
    /// IP-in-IP encapsulation (RFC 2003).
    public static let ipip: UInt8 = 4
    public static let icmpv6: UInt8 = 58
}

/// TCP header flag bits (byte 13 of the header).
public enum TCPFlags {
    public static let fin: UInt8 = 0x01
    public static let syn: UInt8 = 0x02
    public static let rst: UInt8 = 0x04
    public static let psh: UInt8 = 0x08
    public static let ack: UInt8 = 0x10
    public static let synAck: UInt8 = syn | ack
    public static let finAck: UInt8 = fin | ack
}
