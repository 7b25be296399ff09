import XMapCore

extension IPFamily {
    /// The ICMP protocol number of the family: 1 (ICMP) or 58 (ICMPv6).
    public var icmpProtocol: UInt8 { self == .v4 ? 1 : 58 }

    /// Whether an ICMP message of `type` is an error that quotes the packet that caused it:
    /// unreachable, time exceeded and parameter problem (and ICMPv6 packet too big).
    public func isQuotingICMPError(_ type: UInt8) -> Bool {
        self == .v4 ? (type == 3 || type == 11 || type == 12) : (type >= 1 && type <= 4)
    }
}
