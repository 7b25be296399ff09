#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// Ways to make the kernel resolve a neighbour's link-layer address (send ARP / neighbour
/// discovery) without building packets ourselves.
enum NeighborSolicitation: Sendable {
    /// RTM_NEWNEIGH with NTF_USE (`ip neigh replace ADDR dev IF use`), then the UDP datagram if
    /// the kernel refuses (e.g. without CAP_NET_ADMIN).
    case automatic
    /// Only RTM_NEWNEIGH with NTF_USE.
    case netlink
    /// Only the empty UDP datagram to the discard port.
    case datagram

    /// The UDP port of the datagram fallback (discard).
    static let discardPort: UInt16 = 9

    func solicit(_ address: IPAddress, interface: InterfaceInfo, socket: inout NetlinkSocket) throws {
        switch self {
        case .netlink:
            try NeighborSolicitation.useEntry(address, interface: interface, socket: &socket)
        case .datagram:
            try NeighborSolicitation.sendDatagram(to: address, interface: interface)
        case .automatic:
            do {
                try NeighborSolicitation.useEntry(address, interface: interface, socket: &socket)
            } catch {
                try NeighborSolicitation.sendDatagram(to: address, interface: interface)
            }
        }
    }

    /// RTM_NEWNEIGH, NLM_F_CREATE|NLM_F_REPLACE, ndm_flags NTF_USE: the kernel creates the entry
    /// if needed and starts resolution as if a packet were queued (neigh_event_send); the state
    /// in the request is not applied.
    static func useEntry(_ address: IPAddress, interface: InterfaceInfo, socket: inout NetlinkSocket) throws {
        var body = NetlinkEncoder.neighborHeader(
            family: NetlinkEncoder.addressFamily(address.family),
            index: interface.index, state: NetlinkConstant.nudNone,
            flags: NetlinkConstant.ntfUse)
        body += NetlinkEncoder.attribute(type: NetlinkConstant.ndaDestination, payload: address.bytes)
        _ = try socket.request(
            type: NetlinkConstant.newNeighbor,
            flags: NetlinkConstant.fCreate | NetlinkConstant.fReplace,
            body: body, what: "neighbour resolution request for \(address)")
    }

    /// Sends one empty UDP datagram to `address` port 9 from a socket bound to the interface
    /// (SO_BINDTODEVICE); queuing it makes the kernel resolve the next hop. Without the binding
    /// (it needs CAP_NET_RAW) the datagram is sent only when the kernel's route to `address`
    /// leaves through the same interface anyway.
    static func sendDatagram(to address: IPAddress, interface: InterfaceInfo) throws {
        let domain = address.family == .v4 ? AF_INET : AF_INET6
        let fd: Int32
        do {
            fd = try NetLibc.socket(
                domain: domain, type: Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                protocol: 0)
        } catch {
            throw XMapError("cannot open a UDP socket to resolve \(address): \(error)")
        }
        defer { NetLibc.close(fd) }
        let name = Array(interface.name.utf8) + [0]
        let bound =
            (try? name.withUnsafeBytes { b in
                try NetLibc.setOption(fd, level: SOL_SOCKET, name: SO_BINDTODEVICE, value: b)
            }) != nil
        if !bound {
            let route = try RouteLookup.route(to: address)
            guard route.interfaceIndex == interface.index else {
                throw XMapError(
                    "cannot resolve \(address) on \(interface.name): binding a socket to the interface needs "
                        + "CAP_NET_RAW"
                )
            }
        }
        do {
            _ = try withSocketAddress(address, port: discardPort, scope: interface.index) {
                sa, length throws(SystemError) in
                try NetLibc.send(fd, UnsafeRawBufferPointer(start: nil, count: 0), flags: 0, to: sa, length: length)
            }
        } catch {
            throw XMapError("cannot send a UDP datagram to \(address) on \(interface.name): \(error)")
        }
    }

    /// Calls `body` with a sockaddr_in / sockaddr_in6 for `address` and `port` (the scope id is
    /// set for IPv6 link-local addresses).
    static func withSocketAddress<R>(
        _ address: IPAddress, port: UInt16, scope: Int32,
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemError) -> R
    ) throws(SystemError) -> R {
        if address.family == .v4 {
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = port.bigEndian
            sa.sin_addr.s_addr = UInt32(truncatingIfNeeded: address.value).bigEndian
            return try withUnsafePointer(to: &sa) { (p) throws(SystemError) in
                try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { (s) throws(SystemError) in
                    try body(s, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var sa = sockaddr_in6()
        sa.sin6_family = sa_family_t(AF_INET6)
        sa.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &sa.sin6_addr) { dst in
            for (i, byte) in address.bytes.enumerated() where i < dst.count { dst[i] = byte }
        }
        if address.value >> 118 == 0x3FA { sa.sin6_scope_id = UInt32(bitPattern: scope) }
        return try withUnsafePointer(to: &sa) { (p) throws(SystemError) in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { (s) throws(SystemError) in
                try body(s, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
    }
}
