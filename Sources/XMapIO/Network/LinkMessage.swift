import XMapCore

/// A decoded RTM_NEWLINK message (`struct ifinfomsg`, 16 bytes, plus name and address).
struct LinkMessage: Equatable, Sendable {
    static let fixedLength = 16

    var index: Int32
    /// ARPHRD_* link type.
    var linkType: UInt16
    var flags: UInt32
    var name: String? = nil
    /// IFLA_ADDRESS: the link-layer address (6 bytes on Ethernet, absent on tun devices).
    var address: [UInt8]? = nil

    init(payload p: [UInt8]) throws(XMapError) {
        guard p.count >= LinkMessage.fixedLength, let type = NetlinkParser.u16(p, 2),
            let index = NetlinkParser.u32(p, 4), let flags = NetlinkParser.u32(p, 8)
        else {
            throw XMapError(
                "malformed netlink link message: \(p.count) bytes, expected at least \(LinkMessage.fixedLength)")
        }
        self.index = Int32(bitPattern: index)
        self.linkType = type
        self.flags = flags
        for a in try NetlinkParser.attributes(in: p, from: LinkMessage.fixedLength) {
            switch a.type {
            case NetlinkConstant.iflaName: name = NetlinkParser.string(attribute: a)
            case NetlinkConstant.iflaAddress: address = a.payload
            default: break
            }
        }
    }

    /// The Ethernet address, or `MACAddress.zero` when the link has no 6-byte address.
    var mac: MACAddress {
        guard let a = address, a.count == 6 else { return .zero }
        return MACAddress(a)
    }
}
