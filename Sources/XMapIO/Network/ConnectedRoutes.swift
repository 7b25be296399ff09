import XMapCore

/// The routes of one interface that decide which targets are on its link.
public struct LinkRoutes: Sendable, Equatable {
    /// Directly connected prefixes: unicast main-table routes through the interface with no
    /// gateway (the kernel's "proto kernel scope link" routes, and any added by hand).
    public var connected: [IPPrefix]
    /// Routes through a gateway that are more specific than a connected prefix: the kernel sends
    /// their addresses to that gateway, so they are not on the link.
    public var carvedOut: [IPPrefix]

    public init(connected: [IPPrefix], carvedOut: [IPPrefix]) {
        self.connected = connected
        self.carvedOut = carvedOut
    }

    /// Whether the kernel would send a packet for `address` straight to it on this link.
    public func isOnLink(_ address: IPAddress) -> Bool {
        connected.contains { $0.contains(address) } && !carvedOut.contains { $0.contains(address) }
    }
}

extension NetworkDetector {
    /// The connected prefixes of `family` on interface `index` (a main-table route dump, as
    /// `ip route show dev IF` lists them; nothing is sent on the network). Default routes
    /// without a gateway (`default dev ppp0`) do not count: they say nothing about neighbours.
    public static func linkRoutes(family: IPFamily, interfaceIndex index: Int32) throws -> LinkRoutes {
        let routes: [RouteMessage]
        do {
            var socket = try NetlinkSocket()
            let replies = try socket.request(
                type: NetlinkConstant.getRoute, dump: true,
                body: NetlinkEncoder.routeHeader(family: NetlinkEncoder.addressFamily(family)),
                what: "\(family) route dump")
            routes = try replies.filter { $0.type == NetlinkConstant.newRoute }
                .map { try RouteMessage(payload: $0.payload) }
        } catch let error as XMapError {
            throw error
        } catch {
            throw XMapError("cannot read the \(family) routing table: \(error)")
        }
        return linkRoutes(routes, family: family, interfaceIndex: index)
    }

    /// The link routes of interface `index` among `routes`.
    static func linkRoutes(_ routes: [RouteMessage], family: IPFamily, interfaceIndex index: Int32) -> LinkRoutes {
        var connected: [IPPrefix] = [], viaGateway: [IPPrefix] = []
        for r in routes {
            guard r.family == family, r.table == NetlinkConstant.tableMain, r.type == NetlinkConstant.routeUnicast,
                r.destinationLength > 0, r.sourceLength == 0, r.flags & NetlinkConstant.routeCloned == 0,
                let destination = r.destination
            else { continue }
            let prefix = IPPrefix(address: destination, length: Int(r.destinationLength))
            if r.outputInterface == index && r.gateway == nil && r.nexthops.isEmpty && r.nexthopID == nil {
                if !connected.contains(prefix) { connected.append(prefix) }
            } else {
                viaGateway.append(prefix)
            }
        }
        let carved = viaGateway.filter { g in connected.contains { $0.length < g.length && $0.contains(g.address) } }
        return LinkRoutes(connected: connected, carvedOut: carved)
    }
}
