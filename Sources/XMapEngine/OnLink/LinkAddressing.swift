import XMapCore
import XMapModules

/// Where each probe's frame goes on the link, decided by the send loop once per address and
/// written into the Ethernet header the transmitter keeps in front of each packet buffer
/// (`LinkHeader`). Plain values and pointers: nothing allocated, counted or called dynamically.
///
/// * IP probes without on-link targets (and every `-X`, `-G` or dry-run scan): the
///   transmitter's header as it is (the gateway's MAC).
/// * IP probes with on-link targets resolved: the target's MAC when it is on-link and answered,
///   no probe when it is on-link and did not, the gateway's MAC otherwise.
/// * `arp`: broadcast, EtherType ARP. `nd`: the target's solicited-node group (33:33:ff:…).
struct LinkAddressing {
    enum Mode { case unchanged, routed, arp, solicitedNode }

    /// A destination meaning "leave the header as it is".
    static let unchanged: UInt64 = .max
    /// A destination meaning "send nothing to this address".
    static let skip: UInt64 = 0

    let mode: Mode
    let gateway: UInt64
    let table: NeighborTable.View?

    /// The addressing of probe module `P` sending from `network` (in a dry run, nothing is
    /// resolved).
    init<P: ProbeModule>(_ probe: P.Type, network: NetworkPlan, dryRun: Bool) {
        gateway = network.gatewayMAC.value
        let ethernet = !network.ipLayer
        switch P.linkLayer {
        case .arp:
            mode = ethernet ? .arp : .unchanged
            table = nil
        case .neighborDiscovery:
            mode = ethernet ? .solicitedNode : .unchanged
            table = nil
        case .ip:
            if ethernet, !dryRun, let onLink = network.onLink, onLink.neighbors.isResolved {
                mode = .routed
                table = onLink.neighbors.view
            } else {
                mode = .unchanged
                table = nil
            }
        }
    }

    /// The destination MAC of probes to `address` (48 bits), `unchanged`, or `skip`.
    @inline(__always)
    func destination(for address: UInt128) -> UInt64 {
        switch mode {
        case .unchanged: return Self.unchanged
        case .arp: return 0xFFFF_FFFF_FFFF  // broadcast
        case .solicitedNode: return NeighborDiscovery.solicitedNodeMAC(address)
        case .routed:
            guard let table else { return gateway }
            let mac = table.lookup(address)
            if mac == NeighborTable.notOnLink { return gateway }
            return mac == NeighborTable.unresolved ? Self.skip : mac
        }
    }

    /// Writes `destination` (from `destination(for:)`, not `skip`) into the header in front of
    /// `buffer`, and the ARP EtherType for `arp`.
    @inline(__always)
    func write(_ destination: UInt64, before buffer: UnsafeMutableRawPointer) {
        guard destination != Self.unchanged else { return }
        LinkHeader.setDestination(before: buffer, destination)
        if mode == .arp { LinkHeader.setEtherType(before: buffer, ARPPacket.etherType) }
    }
}
