import XMapCore
import XMapEngine
import XMapIO

/// Fills in interface, source address, source MAC and gateway MAC: from the options when given,
/// otherwise from the kernel (default route, interface addresses, neighbour table with active
/// resolution), so a scan needs no network flags at all.
struct NetworkPlanBuilder {
    let options: XMapOptions

    /// With `requireGateway` false, a missing gateway leaves the gateway MAC zero instead of
    /// failing (`arp`, `nd`, and scans whose targets are all on-link need none).
    func build(family: IPFamily, dryRun dry: Bool, requireGateway: Bool = true) throws -> NetworkPlan {
        var c = NetworkPlan()
        // Explicit source addresses.
        var sources = try options.sourceIP.map { try Self.sourceAddresses($0, family: family) } ?? []
        var gatewayMAC: MACAddress? = nil
        if let g = options.gatewayMAC {
            guard let m = MACAddress(g) else { throw XMapError("invalid MAC address `\(g)' (-G)") }
            gatewayMAC = m
        }
        var sourceMAC: MACAddress? = nil
        if let s = options.sourceMAC {
            guard let m = MACAddress(s) else { throw XMapError("invalid MAC address `\(s)' (--source-mac)") }
            sourceMAC = m
        }

        // An interface named with -i must exist, in a dry run too: it needs no privilege to check.
        var namedInterface: InterfaceInfo? = nil
        if let i = options.interface {
            guard i.utf8.count < 16 else { throw XMapError("device interface name (\(i)) too long") }
            namedInterface = try NetworkDetector.interface(named: i)
        }

        do {
            // Interface and route.
            var route: RouteInfo? = nil
            let iface: InterfaceInfo
            if let named = namedInterface {
                iface = named
                if let r = try NetworkDetector.defaultRoute(family: family), r.interfaceName == named.name { route = r }
            } else if let r = try NetworkDetector.defaultRoute(family: family) {
                route = r
                iface = try NetworkDetector.interface(named: r.interfaceName)
            } else {
                throw XMapError(
                    "could not detect the default interface: there is no \(family) default route. Try specifying an "
                        + "interface with -i"
                )
            }
            let ifaceName = iface.name
            c.interfaceName = iface.name
            c.interfaceIndex = iface.index
            c.sourceMAC = sourceMAC ?? iface.mac
            if sources.isEmpty {
                if let pref = route?.preferredSource, pref.family == family {
                    sources = [pref.value]
                } else {
                    sources = [try NetworkDetector.sourceAddress(family: family, interface: iface).value]
                }
            }
            if let g = gatewayMAC {
                c.gatewayMAC = g
            } else if options.ipLayer && (iface.mac == .zero || route?.gateway == nil) {
                // Bare IP packets on a link without hardware addresses (tun, tunnels): nothing
                // to resolve. On Ethernet the gateway's MAC is still needed for the link header.
                c.gatewayMAC = .zero
            } else if route?.gateway == nil && !requireGateway {
                c.gatewayMAC = .zero
            } else {
                guard let gw = route?.gateway else {
                    throw XMapError(
                        "could not detect the \(family) gateway of \(ifaceName) (no default route via it). Try "
                            + "setting the gateway MAC address with -G"
                    )
                }
                if dry {
                    // A dry run sends nothing, not even a neighbour solicitation.
                    c.gatewayMAC = try NetworkDetector.knownNeighborMAC(for: gw, interface: iface) ?? .zero
                } else {
                    c.gatewayMAC = try NetworkDetector.neighborMAC(for: gw, interface: iface, timeout: 3)
                }
                Log.debug("gateway \(gw) is at \(c.gatewayMAC)")
            }
        } catch let e as XMapError {
            // A dry run prints packets only; it can go on with placeholders.
            guard dry else { throw e }
            Log.debug("dry run without network details: \(e.message)")
            c.sourceMAC = sourceMAC ?? c.sourceMAC
            c.gatewayMAC = gatewayMAC ?? c.gatewayMAC
        }
        if sources.isEmpty { sources = [0] }
        c.sourceAddresses = sources
        c.ipLayer = options.ipLayer
        return c
    }

    /// The interface a scan of `family` sends on, as `build` will choose it (`-i`, or the
    /// default route's), when it exists; nil otherwise (`build` then says why).
    func interfaceName(family: IPFamily) -> String? {
        if let name = options.interface {
            return name.utf8.count < 16 ? (try? NetworkDetector.interface(named: name))?.name : nil
        }
        return (try? NetworkDetector.defaultRoute(family: family))??.interfaceName
    }

    /// `-S`: addresses and inclusive `a-b` ranges, separated by commas, at most 1024 in all (XMap
    /// drops ranges by mistake; here they count).
    static func sourceAddresses(_ text: String, family: IPFamily) throws -> [UInt128] {
        var sources: [UInt128] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = IPAddress(ends[0], family: family), let last = IPAddress(ends.last!, family: family)
            else {
                throw XMapError("invalid source address '\(item)' for an \(family) scan (-S)")
            }
            guard first.value <= last.value else {
                throw XMapError("invalid source address range '\(item)': the last address is below the first (-S)")
            }
            guard last.value - first.value < 1024, sources.count + Int(last.value - first.value) + 1 <= 1024 else {
                throw XMapError("over 1024 source \(family) addresses provided")
            }
            sources += (first.value...last.value).map { $0 }
        }
        return sources
    }
}
