import XMapCore

/// A decoded RTM_NEWNEIGH message (`struct ndmsg`, 12 bytes, plus NDA_DST and NDA_LLADDR).
struct NeighborMessage: Equatable, Sendable {
    static let fixedLength = 12

    var family: IPFamily?
    var index: Int32
    /// NUD_* state bits.
    var state: UInt16
    /// NTF_* flags.
    var flags: UInt8
    var destination: IPAddress? = nil
    var linkLayerAddress: [UInt8]? = nil

    init(payload p: [UInt8]) throws(XMapError) {
        guard p.count >= NeighborMessage.fixedLength, let index = NetlinkParser.u32(p, 4),
            let state = NetlinkParser.u16(p, 8)
        else {
            throw XMapError(
                "malformed netlink neighbour message: \(p.count) bytes, expected at least "
                    + "\(NeighborMessage.fixedLength)"
            )
        }
        family = NetlinkParser.family(p[0])
        self.index = Int32(bitPattern: index)
        self.state = state
        flags = p[10]
        for a in try NetlinkParser.attributes(in: p, from: NeighborMessage.fixedLength) {
            switch a.type {
            case NetlinkConstant.ndaDestination:
                if let f = family {
                    destination = try NetlinkParser.address(attribute: a, family: f, "neighbour message")
                }
            case NetlinkConstant.ndaLinkLayerAddress:
                linkLayerAddress = a.payload
            default:
                break
            }
        }
    }

    /// States whose link-layer address can be used right away. INCOMPLETE, FAILED and NONE
    /// cannot; STALE, DELAY and PROBE still hold the last known address.
    static let usableStates: UInt16 =
        NetlinkConstant.nudReachable | NetlinkConstant.nudStale
        | NetlinkConstant.nudDelay | NetlinkConstant.nudProbe | NetlinkConstant.nudNoARP
        | NetlinkConstant.nudPermanent

    /// The MAC address when the entry is in a usable state and holds a 6-byte address.
    var usableMAC: MACAddress? {
        guard state & NeighborMessage.usableStates != 0, let a = linkLayerAddress, a.count == 6 else { return nil }
        return MACAddress(a)
    }

    /// The entry for `address` on interface `index` in a neighbour dump (proxy entries skipped).
    static func entry(for address: IPAddress, index: Int32, among entries: [NeighborMessage]) -> NeighborMessage? {
        entries.first {
            $0.index == index && $0.destination == address && $0.flags & NetlinkConstant.ntfProxy == 0
        }
    }
}
