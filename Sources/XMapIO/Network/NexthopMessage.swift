import XMapCore

/// A decoded RTM_NEWNEXTHOP message (`struct nhmsg`, 8 bytes, and its attributes): the target
/// of a route's RTA_NH_ID.
struct NexthopMessage: Equatable, Sendable {
    static let fixedLength = 8

    var family: IPFamily?
    var id: UInt32? = nil
    var outputInterface: Int32? = nil
    var gateway: IPAddress? = nil
    /// The member ids of a nexthop group (NHA_GROUP: `struct nexthop_grp`, 8 bytes each).
    var group: [UInt32] = []
    var isBlackhole = false

    init(payload p: [UInt8]) throws(XMapError) {
        guard p.count >= NexthopMessage.fixedLength else {
            throw XMapError(
                "malformed netlink nexthop message: \(p.count) bytes, expected at least \(NexthopMessage.fixedLength)")
        }
        family = NetlinkParser.family(p[0])
        let what = "nexthop message"
        for a in try NetlinkParser.attributes(in: p, from: NexthopMessage.fixedLength) {
            switch a.type {
            case NetlinkConstant.nhaID:
                id = try NetlinkParser.u32(attribute: a, what)
            case NetlinkConstant.nhaOutputInterface:
                outputInterface = Int32(bitPattern: try NetlinkParser.u32(attribute: a, what))
            case NetlinkConstant.nhaBlackhole:
                isBlackhole = true
            case NetlinkConstant.nhaGateway:
                let f: IPFamily = a.payload.count == 4 ? .v4 : .v6
                gateway = try NetlinkParser.address(attribute: a, family: f, what)
            case NetlinkConstant.nhaGroup:
                guard a.payload.count % 8 == 0 else {
                    throw XMapError("malformed netlink nexthop message: group of \(a.payload.count) bytes")
                }
                group = stride(from: 0, to: a.payload.count, by: 8).compactMap { NetlinkParser.u32(a.payload, $0) }
            default:
                break
            }
        }
    }
}
