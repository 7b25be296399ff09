import XMapCore

/// A decoded RTM_NEWADDR message (`struct ifaddrmsg`, 8 bytes, plus addresses and flags).
struct AddressMessage: Equatable, Sendable {
    static let fixedLength = 8

    var family: IPFamily?
    var prefixLength: UInt8
    /// IFA_FLAGS when present (32 bits), else ifa_flags.
    var flags: UInt32
    var scope: UInt8
    var index: Int32
    var address: IPAddress? = nil
    var local: IPAddress? = nil

    init(payload p: [UInt8]) throws(XMapError) {
        guard p.count >= AddressMessage.fixedLength, let index = NetlinkParser.u32(p, 4) else {
            throw XMapError(
                "malformed netlink address message: \(p.count) bytes, expected at least \(AddressMessage.fixedLength)")
        }
        family = NetlinkParser.family(p[0])
        prefixLength = p[1]
        flags = UInt32(p[2])
        scope = p[3]
        self.index = Int32(bitPattern: index)
        let what = "address message"
        for a in try NetlinkParser.attributes(in: p, from: AddressMessage.fixedLength) {
            switch a.type {
            case NetlinkConstant.ifaFlags:
                flags = try NetlinkParser.u32(attribute: a, what)
            case NetlinkConstant.ifaAddress:
                if let f = family { address = try NetlinkParser.address(attribute: a, family: f, what) }
            case NetlinkConstant.ifaLocal:
                if let f = family { local = try NetlinkParser.address(attribute: a, family: f, what) }
            default:
                break
            }
        }
    }

    /// The interface's own address: IFA_LOCAL when present (on point-to-point links IFA_ADDRESS
    /// is the peer), else IFA_ADDRESS.
    var localAddress: IPAddress? { local ?? address }

    /// Whether an IPv6 address is a global unicast one a scan can use as its source: any unicast
    /// address of global scope, including ULA fc00::/7, but not ::, ::1, link-local fe80::/10,
    /// site-local fec0::/10, multicast ff00::/8 or IPv4-mapped ::ffff:0:0/96.
    static func isGlobalUnicastV6(_ a: IPAddress) -> Bool {
        guard a.family == .v6 else { return false }
        let v = a.value
        if v == 0 || v == 1 { return false }
        if v >> 120 == 0xFF { return false }
        if v >> 118 == 0x3FA || v >> 118 == 0x3FB { return false }  // fe80::/10, fec0::/10
        if v >> 32 == 0xFFFF { return false }
        return true
    }

    /// Picks the source address of `family` on interface `index` from an address dump.
    /// IPv4: the first primary (non-secondary) address. IPv6: a global-scope unicast address;
    /// usable ones before deprecated, tentative and dadfailed ones (in that order), then 2000::/3
    /// before ULA, stable before temporary, then dump order.
    static func bestSource(among addresses: [AddressMessage], family: IPFamily, index: Int32) -> IPAddress? {
        let candidates = addresses.filter { $0.family == family && $0.index == index && $0.localAddress != nil }
        if family == .v4 {
            let primary = candidates.first { $0.flags & NetlinkConstant.ifaSecondary == 0 } ?? candidates.first
            return primary?.localAddress
        }
        var best: (address: IPAddress, key: (Int, Int, Int))? = nil
        for c in candidates {
            guard let a = c.localAddress, c.scope == NetlinkConstant.scopeUniverse, isGlobalUnicastV6(a) else {
                continue
            }
            let f = c.flags
            let state =
                f & NetlinkConstant.ifaDadFailed != 0
                ? 3
                : f & NetlinkConstant.ifaTentative != 0
                    ? 2
                    : f & NetlinkConstant.ifaDeprecated != 0 ? 1 : 0
            let ula = a.value >> 121 == 0x7E ? 1 : 0
            let temporary = f & NetlinkConstant.ifaTemporary != 0 ? 1 : 0
            let key = (state, ula, temporary)
            if let b = best, !(key < b.key) { continue }
            best = (a, key)
        }
        return best?.address
    }
}
