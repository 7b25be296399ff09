#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// Interfaces by name (if_nametoindex) and by index (RTM_GETLINK).
enum InterfaceLookup {
    /// The longest interface name the kernel accepts (IFNAMSIZ - 1).
    static let maximumNameLength = 15

    /// RTM_GETLINK for one index; nil when there is no such interface.
    static func link(index: Int32, socket: inout NetlinkSocket) throws -> LinkMessage? {
        guard index > 0 else { return nil }
        let replies: [NetlinkMessage]
        do {
            replies = try socket.request(
                type: NetlinkConstant.getLink, body: NetlinkEncoder.linkHeader(index: index),
                what: "link request for interface index \(index)")
        } catch let error as NetlinkError where error.code == ENODEV {
            return nil
        }
        for m in replies where m.type == NetlinkConstant.newLink {
            let link = try LinkMessage(payload: m.payload)
            if link.index == index { return link }
        }
        return nil
    }

    static func interface(named name: String) throws -> InterfaceInfo {
        let unknown = XMapError("unknown interface '\(name)'")
        guard !name.isEmpty, name.utf8.count <= maximumNameLength,
            !name.utf8.contains(0), !name.utf8.contains(UInt8(ascii: "/"))
        else { throw unknown }
        let index = NetLibc.interfaceIndex(named: name)
        guard index != 0, index <= UInt32(Int32.max) else { throw unknown }
        var socket = try NetlinkSocket()
        guard let link = try link(index: Int32(index), socket: &socket) else { throw unknown }
        return InterfaceInfo(name: name, index: Int32(index), mac: link.mac)
    }

    static func name(index: Int32, socket: inout NetlinkSocket) throws -> String {
        guard let link = try link(index: index, socket: &socket), let name = link.name, !name.isEmpty else {
            throw XMapError("no interface with index \(index)")
        }
        return name
    }
}
