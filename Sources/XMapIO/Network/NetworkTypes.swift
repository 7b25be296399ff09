import XMapCore

/// A network interface: its name, kernel index and Ethernet address.
public struct InterfaceInfo: Sendable, Equatable {
    public let name: String
    public let index: Int32
    /// The link-layer address; `MACAddress.zero` for links without an Ethernet address (tun).
    public let mac: MACAddress

    public init(name: String, index: Int32, mac: MACAddress) {
        self.name = name
        self.index = index
        self.mac = mac
    }
}

/// Where the kernel sends packets for a destination: the outgoing interface, the next-hop
/// gateway (nil when the destination is on the link) and the source address it would pick.
public struct RouteInfo: Sendable, Equatable {
    public let interfaceIndex: Int32
    public let interfaceName: String
    /// The next hop; nil for a directly connected destination. An IPv4 route may have an IPv6
    /// gateway (RTA_VIA, RFC 5549).
    public let gateway: IPAddress?
    /// The route's preferred source (RTA_PREFSRC), when the kernel reports one.
    public let preferredSource: IPAddress?

    public init(interfaceIndex: Int32, interfaceName: String, gateway: IPAddress?, preferredSource: IPAddress?) {
        self.interfaceIndex = interfaceIndex
        self.interfaceName = interfaceName
        self.gateway = gateway
        self.preferredSource = preferredSource
    }
}
