import XMapCore

/// ICMP (IPv4) message types the modules use.
public enum ICMPType {
    public static let echoReply: UInt8 = 0
    public static let unreachable: UInt8 = 3
    public static let echoRequest: UInt8 = 8
    public static let timeExceeded: UInt8 = 11
    public static let parameterProblem: UInt8 = 12
}

/// ICMPv6 message types the modules use.
public enum ICMPv6Type {
    public static let unreachable: UInt8 = 1
    public static let packetTooBig: UInt8 = 2
    public static let timeExceeded: UInt8 = 3
    public static let parameterProblem: UInt8 = 4
    public static let echoRequest: UInt8 = 128
    public static let echoReply: UInt8 = 129
}

extension IPFamily {
    /// The ICMP protocol number of the family: 1 (ICMP) or 58 (ICMPv6).
    public var icmpProtocol: UInt8 { self == .v4 ? IPProtocol.icmp : IPProtocol.icmpv6 }

    /// Whether an ICMP message of `type` is an error that quotes the packet that caused it:
    /// unreachable, time exceeded and parameter problem (and ICMPv6 packet too big).
    public func isQuotingICMPError(_ type: UInt8) -> Bool {
        self == .v4
            ? (type == ICMPType.unreachable || type == ICMPType.timeExceeded || type == ICMPType.parameterProblem)
            : (type >= ICMPv6Type.unreachable && type <= ICMPv6Type.parameterProblem)
    }

    /// The echo request type of the family.
    public var echoRequestType: UInt8 { self == .v4 ? ICMPType.echoRequest : ICMPv6Type.echoRequest }
    /// The echo reply type of the family.
    public var echoReplyType: UInt8 { self == .v4 ? ICMPType.echoReply : ICMPv6Type.echoReply }
}
