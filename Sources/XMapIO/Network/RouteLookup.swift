#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// Route queries: the default route from a main-table dump, and `ip route get` (RTM_GETROUTE
/// with RTA_DST), which asks the kernel's own lookup and sends nothing on the network.
enum RouteLookup {
    static func defaultRoute(family: IPFamily) throws -> RouteInfo? {
        var socket = try NetlinkSocket()
        let replies = try socket.request(
            type: NetlinkConstant.getRoute, dump: true,
            body: NetlinkEncoder.routeHeader(family: NetlinkEncoder.addressFamily(family)),
            what: "\(family) route dump")
        var routes: [RouteMessage] = []
        for m in replies where m.type == NetlinkConstant.newRoute {
            routes.append(try RouteMessage(payload: m.payload))
        }
        guard let best = RouteMessage.bestDefault(among: routes, family: family) else { return nil }
        guard let hop = try firstHop(of: best, socket: &socket) else {
            throw XMapError("the default \(family) route has no usable next hop")
        }
        let name = try InterfaceLookup.name(index: hop.interfaceIndex, socket: &socket)
        return RouteInfo(
            interfaceIndex: hop.interfaceIndex, interfaceName: name,
            gateway: hop.gateway, preferredSource: best.preferredSource)
    }

    static func route(to destination: IPAddress) throws -> RouteInfo {
        var socket = try NetlinkSocket()
        var body = NetlinkEncoder.routeHeader(
            family: NetlinkEncoder.addressFamily(destination.family),
            destinationLength: UInt8(destination.family.bits))
        body += NetlinkEncoder.attribute(type: NetlinkConstant.rtaDestination, payload: destination.bytes)
        let replies: [NetlinkMessage]
        do {
            replies = try socket.request(
                type: NetlinkConstant.getRoute, body: body,
                what: "route lookup for \(destination)")
        } catch let error as NetlinkError {
            throw XMapError("no route to \(destination): \(error)")
        }
        guard let reply = replies.first(where: { $0.type == NetlinkConstant.newRoute }) else {
            throw XMapError("no route to \(destination): the kernel answered without a route")
        }
        let route = try RouteMessage(payload: reply.payload)
        guard route.isForwarding else {
            throw XMapError("no route to \(destination): it is an unreachable, prohibit or blackhole route")
        }
        guard let hop = try firstHop(of: route, socket: &socket) else {
            throw XMapError("no route to \(destination): the route has no outgoing interface")
        }
        let name = try InterfaceLookup.name(index: hop.interfaceIndex, socket: &socket)
        return RouteInfo(
            interfaceIndex: hop.interfaceIndex, interfaceName: name,
            gateway: hop.gateway, preferredSource: route.preferredSource)
    }

    /// The interface and gateway of a route, following a nexthop object (RTA_NH_ID) when the
    /// route has no inline next hop.
    static func firstHop(
        of route: RouteMessage,
        socket: inout NetlinkSocket
    ) throws -> (interfaceIndex: Int32, gateway: IPAddress?)? {
        if let hop = route.firstHop { return hop }
        guard let id = route.nexthopID else { return nil }
        return try nexthop(id: id, depth: 0, socket: &socket)
    }

    /// RTM_GETNEXTHOP for `id`; a group resolves to its first member.
    static func nexthop(
        id: UInt32, depth: Int,
        socket: inout NetlinkSocket
    ) throws -> (interfaceIndex: Int32, gateway: IPAddress?)? {
        guard depth < 4 else { return nil }
        var body = NetlinkEncoder.nexthopHeader()
        body += NetlinkEncoder.attribute(type: NetlinkConstant.nhaID, u32: id)
        let replies: [NetlinkMessage]
        do {
            replies = try socket.request(
                type: NetlinkConstant.getNexthop, body: body, what: "nexthop request for id \(id)")
        } catch let error as NetlinkError where error.code == ENOENT {
            return nil
        }
        guard let reply = replies.first(where: { $0.type == NetlinkConstant.newNexthop }) else { return nil }
        let nh = try NexthopMessage(payload: reply.payload)
        if nh.isBlackhole { return nil }
        if let member = nh.group.first { return try nexthop(id: member, depth: depth + 1, socket: &socket) }
        guard let oif = nh.outputInterface else { return nil }
        return (oif, nh.gateway)
    }
}
