import XMapCore

/// One next hop of a multipath route (`struct rtnexthop` plus its attributes).
struct RouteNexthop: Equatable, Sendable {
    var interfaceIndex: Int32
    var flags: UInt8
    var gateway: IPAddress?
}

/// A decoded RTM_NEWROUTE message (`struct rtmsg` and the attributes the scanner uses).
struct RouteMessage: Equatable, Sendable {
    static let fixedLength = 12

    /// nil for families other than IPv4/IPv6.
    var family: IPFamily?
    var destinationLength: UInt8
    var sourceLength: UInt8
    /// RTA_TABLE when present (it holds table ids above 255), else rtm_table.
    var table: UInt32
    var routeProtocol: UInt8
    var scope: UInt8
    var type: UInt8
    var flags: UInt32
    var destination: IPAddress? = nil
    /// RTA_GATEWAY, or the address of RTA_VIA (which may be of the other family).
    var gateway: IPAddress? = nil
    var preferredSource: IPAddress? = nil
    var outputInterface: Int32? = nil
    /// The metric (RTA_PRIORITY); nil when absent, which the kernel treats as 0.
    var priority: UInt32? = nil
    /// RTA_NH_ID: the route uses a nexthop object instead of inline next hops.
    var nexthopID: UInt32? = nil
    /// RTA_MULTIPATH next hops.
    var nexthops: [RouteNexthop] = []

    /// Decodes the payload of an RTM_NEWROUTE message (the bytes after `nlmsghdr`).
    init(payload p: [UInt8]) throws(XMapError) {
        guard p.count >= RouteMessage.fixedLength, let flags = NetlinkParser.u32(p, 8) else {
            throw XMapError(
                "malformed netlink route message: \(p.count) bytes, expected at least \(RouteMessage.fixedLength)")
        }
        family = NetlinkParser.family(p[0])
        destinationLength = p[1]
        sourceLength = p[2]
        table = UInt32(p[4])
        routeProtocol = p[5]
        scope = p[6]
        type = p[7]
        self.flags = flags
        let what = "route message"
        for a in try NetlinkParser.attributes(in: p, from: RouteMessage.fixedLength) {
            switch a.type {
            case NetlinkConstant.rtaTable:
                table = try NetlinkParser.u32(attribute: a, what)
            case NetlinkConstant.rtaOutputInterface:
                outputInterface = Int32(bitPattern: try NetlinkParser.u32(attribute: a, what))
            case NetlinkConstant.rtaPriority:
                priority = try NetlinkParser.u32(attribute: a, what)
            case NetlinkConstant.rtaNexthopID:
                nexthopID = try NetlinkParser.u32(attribute: a, what)
            case NetlinkConstant.rtaDestination:
                if let f = family { destination = try NetlinkParser.address(attribute: a, family: f, what) }
            case NetlinkConstant.rtaPreferredSource:
                if let f = family { preferredSource = try NetlinkParser.address(attribute: a, family: f, what) }
            case NetlinkConstant.rtaGateway, NetlinkConstant.rtaVia:
                if let f = family { gateway = try RouteMessage.gateway(a, family: f) }
            case NetlinkConstant.rtaMultipath:
                if let f = family { nexthops = try RouteMessage.multipath(a.payload, family: f) }
            default:
                break
            }
        }
    }

    /// A gateway from RTA_GATEWAY (an address of the route's family) or RTA_VIA (`struct rtvia`:
    /// a 2-byte address family, then the address).
    static func gateway(_ a: NetlinkAttribute, family: IPFamily) throws(XMapError) -> IPAddress {
        if a.type == NetlinkConstant.rtaGateway {
            return try NetlinkParser.address(attribute: a, family: family, "route gateway")
        }
        guard let af = NetlinkParser.u16(a.payload, 0), af <= 0xFF,
            let viaFamily = NetlinkParser.family(UInt8(af))
        else { throw XMapError("malformed netlink route message: RTA_VIA without an IP address family") }
        let address = NetlinkAttribute(type: a.type, isNested: false, payload: Array(a.payload.dropFirst(2)))
        return try NetlinkParser.address(attribute: address, family: viaFamily, "route via")
    }

    /// Decodes RTA_MULTIPATH: a sequence of `struct rtnexthop` (8 bytes: length, flags, hops,
    /// ifindex) each followed by its own attributes, `rtnh_len` bytes in all.
    static func multipath(_ p: [UInt8], family: IPFamily) throws(XMapError) -> [RouteNexthop] {
        var out: [RouteNexthop] = []
        var offset = 0
        while p.count - offset >= 8 {
            guard let length16 = NetlinkParser.u16(p, offset), let index = NetlinkParser.u32(p, offset + 4) else {
                break
            }
            let length = Int(length16)
            guard length >= 8, length <= p.count - offset else {
                throw XMapError(
                    "malformed netlink route message: next hop length \(length) with \(p.count - offset) bytes left")
            }
            var hop = RouteNexthop(interfaceIndex: Int32(bitPattern: index), flags: p[offset + 2], gateway: nil)
            let attrs = try NetlinkParser.attributes(in: Array(p[(offset + 8)..<(offset + length)]), from: 0)
            for a in attrs where a.type == NetlinkConstant.rtaGateway || a.type == NetlinkConstant.rtaVia {
                hop.gateway = try gateway(a, family: family)
            }
            out.append(hop)
            offset += min(NetlinkParser.align(length), p.count - offset)
        }
        return out
    }

    /// The interface and gateway packets take: RTA_OIF/RTA_GATEWAY, else the first live next hop
    /// of RTA_MULTIPATH. nil when the route names neither (a nexthop object or a blackhole).
    var firstHop: (interfaceIndex: Int32, gateway: IPAddress?)? {
        if let oif = outputInterface { return (oif, gateway) }
        let dead = UInt8(truncatingIfNeeded: NetlinkConstant.nexthopDead | NetlinkConstant.nexthopLinkDown)
        if let hop = nexthops.first(where: { $0.flags & dead == 0 }) ?? nexthops.first {
            return (hop.interfaceIndex, hop.gateway)
        }
        return nil
    }

    /// Whether the route can carry traffic (not blackhole/unreachable/prohibit/throw).
    var isForwarding: Bool {
        ![
            NetlinkConstant.routeBlackhole, NetlinkConstant.routeUnreachable,
            NetlinkConstant.routeProhibit, NetlinkConstant.routeThrow
        ].contains(type)
    }

    /// Picks the default route of `family` from a route dump: main table, 0-length destination
    /// and source, unicast, not a cached clone; live routes before dead/link-down ones, then the
    /// lowest metric, then dump order.
    static func bestDefault(among routes: [RouteMessage], family: IPFamily) -> RouteMessage? {
        let down = NetlinkConstant.nexthopDead | NetlinkConstant.nexthopLinkDown
        var best: (route: RouteMessage, key: (Int, UInt32))? = nil
        for r in routes {
            guard r.family == family, r.destinationLength == 0, r.sourceLength == 0,
                r.table == NetlinkConstant.tableMain, r.type == NetlinkConstant.routeUnicast,
                r.flags & NetlinkConstant.routeCloned == 0
            else { continue }
            let key = (r.flags & down == 0 ? 0 : 1, r.priority ?? 0)
            if let b = best, !(key < b.key) { continue }
            best = (r, key)
        }
        return best?.route
    }
}
