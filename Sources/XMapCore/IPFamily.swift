/// The address family of a scan: every scan is either IPv4 or IPv6, never both.
public enum IPFamily: Int, Sendable, Hashable, CustomStringConvertible {
    case v4 = 4
    case v6 = 6

    /// Address width in bits (32 or 128).
    @inlinable public var bits: Int { self == .v4 ? 32 : 128 }
    /// Address width in bytes (4 or 16).
    @inlinable public var bytes: Int { self == .v4 ? 4 : 16 }
    /// The Ethernet type of frames carrying this family.
    @inlinable public var etherType: UInt16 { self == .v4 ? 0x0800 : 0x86DD }

    public var description: String { self == .v4 ? "IPv4" : "IPv6" }
}
