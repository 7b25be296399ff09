import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// Which targets are on the scan interface's own link (`OnLinkPlan`): the addresses the kernel
/// would send straight to their owner, by the interface's connected routes. Their probes get
/// the owner's MAC after the neighbour stage; the rest still go to the gateway. Not with `-G`
/// (one MAC for everything), `-X` (no MACs), or the `arp` and `nd` modules (link-layer probes
/// themselves).
struct OnLinkPlanBuilder {
    let options: XMapOptions

    /// The most on-link targets a scan resolves (16 MiB of table); more is an error.
    static let maxTargets = 1 << 20

    /// The network details of `plan` (`NetworkPlanBuilder`) with its on-link part. The gateway
    /// may be missing when the module is `arp` or `nd`, or when every target is on-link.
    func network(for plan: ScanPlan) throws -> NetworkPlan {
        let linkLayer = type(of: plan.probe.module.instance).linkLayer
        let builder = NetworkPlanBuilder(options: options)
        var network = try builder.build(family: plan.family, dryRun: plan.sending.dryRun, requireGateway: false)
        network.onLink = try build(plan: plan, network: network, linkLayer: linkLayer)
        let addresses =
            plan.targets.list.map { Double($0.count) }
            ?? Double(plan.targets.space.prefixCount) * Double(max(1, plan.targets.iidNum))
        let allOnLink = Double(network.onLink?.targets.count ?? 0) >= addresses
        if network.gatewayMAC == .zero && linkLayer == .ip && !allOnLink && options.gatewayMAC == nil
            && !options.ipLayer
        {
            // Some targets are off the link: they need the gateway after all (and its error).
            let onLink = network.onLink
            network = try builder.build(family: plan.family, dryRun: plan.sending.dryRun)
            network.onLink = onLink
        }
        return network
    }

    /// The on-link part of `plan` sent from `network`, or nil.
    func build(plan: ScanPlan, network: NetworkPlan, linkLayer: ProbeLinkLayer) throws -> OnLinkPlan? {
        if linkLayer != .ip {
            if options.ipLayer {
                throw XMapError("the \(plan.probe.module.name) module needs Ethernet frames: drop -X")
            }
            return nil
        }
        guard options.gatewayMAC == nil, !network.ipLayer, network.interfaceIndex != 0 else { return nil }
        let routes: LinkRoutes
        do {
            routes = try NetworkDetector.linkRoutes(family: plan.family, interfaceIndex: network.interfaceIndex)
        } catch let e as XMapError where plan.sending.dryRun {
            Log.debug("dry run without on-link routes: \(e.message)")
            return nil
        }
        guard !routes.connected.isEmpty else { return nil }
        let found = try Self.onLinkTargets(plan.targets, routes: routes)
        guard found.targets.count > 0 else { return nil }
        let onLink = OnLinkPlan(prefixes: found.prefixes, targets: found.targets)
        if plan.sending.dryRun {
            let how = plan.family == .v4 ? "ARP" : "neighbour solicitations"
            Log.info(
                "\(found.targets.count) targets are on the link of \(network.interfaceName) "
                    + "(\(onLink.prefixList)): a scan would resolve them with \(how) and probe each at its own MAC "
                    + "(dry run: nothing is sent; the packets below show the gateway's MAC)", module: "onlink")
        }
        if case .random = plan.targets.iid, plan.targets.space.maxLen < plan.family.bits {
            Log.warn(
                "random IIDs cannot be resolved in advance; probes to those addresses go to the gateway",
                module: "onlink")
        }
        return onLink
    }

    /// The targets of `targets` that `routes` puts on the link (each address once, ascending),
    /// and the connected prefixes that hold them.
    static func onLinkTargets(
        _ targets: TargetPlan, routes: LinkRoutes
    ) throws
        -> (targets: AddressList, prefixes: [IPPrefix])
    {
        let space = targets.space, family = space.family
        var found: [UInt128] = []
        var used: [IPPrefix] = []
        func take(_ address: UInt128) throws {
            let a = IPAddress(family: family, value: address)
            guard routes.isOnLink(a) else { return }
            guard found.count < maxTargets else {
                throw XMapError(
                    "over \(maxTargets) targets are on the interface's own link: too many to resolve "
                        + "before the scan; use -G to send everything to one MAC")
            }
            found.append(address)
            if let p = routes.connected.first(where: { $0.contains(a) }), !used.contains(p) { used.append(p) }
        }
        if let list = targets.list {
            for i in 0..<list.count { try take(list[i]) }
            return (Self.unique(found, family: family), used)
        }
        let shift = family.bits - space.maxLen
        let hostMask = space.hostMask
        var random = SplitMix64(seed: 0)
        let iids: [UInt128]
        if case .random = targets.iid, shift > 0 { return (AddressList(family: family), []) }
        iids = (0..<max(1, targets.iidNum)).map { targets.iid.hostBits(n: $0, hostMask: hostMask, random: &random) }
        for prefix in routes.connected {
            // The target prefixes (in units of --max-len) that overlap this connected prefix.
            let mask = IPPrefix.mask(length: prefix.length, bits: family.bits)
            let low = prefix.address.value & mask
            let high = low | (IPPrefix.mask(length: family.bits, bits: family.bits) & ~mask)
            let first = shift >= 128 ? 0 : low >> UInt128(shift), last = shift >= 128 ? 0 : high >> UInt128(shift)
            for range in space.allowed.ranges where range.upperBound >= first && range.lowerBound <= last {
                var p = max(range.lowerBound, first)
                let end = min(range.upperBound, last)
                while true {
                    let base = shift >= 128 ? 0 : p << UInt128(shift)
                    for iid in iids { try take(base | iid) }
                    if p == end { break }
                    p += 1
                }
            }
        }
        return (Self.unique(found, family: family), used)
    }

    /// `addresses` sorted, each once.
    static func unique(_ addresses: [UInt128], family: IPFamily) -> AddressList {
        var list = AddressList(family: family)
        var last: UInt128? = nil
        for a in addresses.sorted() where a != last {
            list.append(a)
            last = a
        }
        return list
    }
}
