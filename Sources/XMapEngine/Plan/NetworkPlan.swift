import XMapCore

/// Where probes leave from: interface, source addresses and the link header.
public struct NetworkPlan: Sendable {
    public var interfaceName: String = ""
    public var interfaceIndex: Int32 = 0
    public var sourceMAC: MACAddress = .zero
    public var gatewayMAC: MACAddress = .zero
    /// Source addresses (`-S`, or the interface's).
    public var sourceAddresses: [UInt128] = [0]
    /// `-X`: send bare IP packets (no Ethernet header), for tun/tunnel interfaces and VPNs.
    public var ipLayer = false
    /// Targets on a directly connected prefix of the interface, which get their own MAC
    /// (`OnLinkPlan.swift`); nil when there are none, with `-G`, `-X` and the `arp`/`nd` modules.
    public var onLink: OnLinkPlan?

    public init() {}

    /// The Ethernet header in front of every probe of a `family` scan.
    public func ethernetHeader(_ family: IPFamily) -> EthernetHeader {
        EthernetHeader(from: sourceMAC, to: gatewayMAC, carrying: family)
    }
}
