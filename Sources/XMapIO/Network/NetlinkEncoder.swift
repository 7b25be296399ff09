import XMapCore

/// Builds netlink request messages (native byte order, 4-byte aligned).
enum NetlinkEncoder {
    /// Appends `value` in native byte order.
    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
    }

    /// Pads `bytes` with zeros to the next multiple of 4.
    static func pad(_ bytes: inout [UInt8]) {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }

    /// An attribute (`rtattr`) with its padding.
    static func attribute(type: UInt16, payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        append(UInt16(truncatingIfNeeded: 4 + payload.count), to: &out)
        append(type, to: &out)
        out += payload
        pad(&out)
        return out
    }

    static func attribute(type: UInt16, u32 value: UInt32) -> [UInt8] {
        var payload: [UInt8] = []
        append(value, to: &payload)
        return attribute(type: type, payload: payload)
    }

    /// A complete message: `nlmsghdr` followed by `body` (fixed header plus attributes).
    static func message(type: UInt16, flags: UInt16, sequence: UInt32, body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(NetlinkConstant.headerLength + body.count + 3)
        append(UInt32(truncatingIfNeeded: NetlinkConstant.headerLength + body.count), to: &out)
        append(type, to: &out)
        append(flags, to: &out)
        append(sequence, to: &out)
        append(UInt32(0), to: &out)  // nlmsg_pid: 0, the kernel fills in our port
        out += body
        pad(&out)
        return out
    }

    /// The `AF_*` byte of a family.
    static func addressFamily(_ family: IPFamily) -> UInt8 {
        family == .v4 ? NetlinkConstant.inet : NetlinkConstant.inet6
    }

    /// struct rtmsg (12 bytes).
    static func routeHeader(family: UInt8, destinationLength: UInt8 = 0) -> [UInt8] {
        var out: [UInt8] = [family, destinationLength, 0, 0, 0, 0, 0, 0]
        append(UInt32(0), to: &out)  // rtm_flags
        return out
    }

    /// struct ifaddrmsg (8 bytes).
    static func addressHeader(family: UInt8, index: Int32 = 0) -> [UInt8] {
        var out: [UInt8] = [family, 0, 0, 0]
        append(UInt32(bitPattern: index), to: &out)
        return out
    }

    /// struct ifinfomsg (16 bytes).
    static func linkHeader(index: Int32) -> [UInt8] {
        var out: [UInt8] = [NetlinkConstant.unspecified, 0, 0, 0]
        append(index, to: &out)
        append(UInt32(0), to: &out)  // ifi_flags
        append(UInt32(0), to: &out)  // ifi_change
        return out
    }

    /// struct ndmsg (12 bytes).
    static func neighborHeader(family: UInt8, index: Int32 = 0, state: UInt16 = 0, flags: UInt8 = 0) -> [UInt8] {
        var out: [UInt8] = [family, 0, 0, 0]
        append(index, to: &out)
        append(state, to: &out)
        out.append(flags)
        out.append(0)  // ndm_type
        return out
    }

    /// struct nhmsg (8 bytes).
    static func nexthopHeader() -> [UInt8] {
        var out: [UInt8] = [NetlinkConstant.unspecified, 0, 0, 0]
        append(UInt32(0), to: &out)
        return out
    }
}
