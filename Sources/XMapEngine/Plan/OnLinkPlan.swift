import XMapCore

/// The targets of a scan that sit on a directly connected prefix of the scan interface (the
/// kernel's routing table has a route to them through the interface with no gateway). Before
/// the probes, the neighbour stage resolves each of them with ARP or neighbour solicitation at
/// the scan's rate (`NeighborStage`); then each of their probes goes to the MAC that answered,
/// and those that did not answer get no probe. Every other target goes to the gateway.
public struct OnLinkPlan: Sendable {
    /// The interface's connected prefixes that hold targets.
    public var prefixes: [IPPrefix]
    /// The on-link target addresses, each once.
    public var targets: AddressList
    /// Their MACs, once the neighbour stage has run.
    public let neighbors: NeighborTable

    /// The plan for `targets` on `prefixes`; every target goes into the neighbour table.
    public init(prefixes: [IPPrefix], targets: AddressList) {
        self.prefixes = prefixes
        self.targets = targets
        neighbors = NeighborTable(expected: targets.count)
        for i in 0..<targets.count { neighbors.add(targets[i]) }
    }

    /// The prefixes as text, for log lines.
    public var prefixList: String { prefixes.map(\.description).joined(separator: ", ") }
}
