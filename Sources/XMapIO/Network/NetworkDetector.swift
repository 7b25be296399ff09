import XMapCore

/// Zero-flag network detection through rtnetlink (like `ip route get` and `ip neigh`): the
/// interface, gateway, source address and gateway MAC a scan should use when the user gave none.
/// All queries run in the calling thread's network namespace and send nothing on the network,
/// except `neighborMAC`, which makes the kernel send ARP / neighbour solicitations when needed.
/// Every call opens its own netlink socket, so the functions are safe to call from any thread.
public enum NetworkDetector {
    /// The main-table default route of a family (lowest metric), or nil when there is none.
    public static func defaultRoute(family: IPFamily) throws -> RouteInfo? {
        try detect("cannot read the \(family) routing table") { try RouteLookup.defaultRoute(family: family) }
    }

    /// The route the kernel would use to reach `destination` (RTM_GETROUTE with RTA_DST, like
    /// `ip route get`). Does not send any packet.
    public static func route(to destination: IPAddress) throws -> RouteInfo {
        try detect("cannot look up the route to \(destination)") { try RouteLookup.route(to: destination) }
    }

    /// Interface index and MAC by name (throws XMapError("unknown interface 'foo'") if missing).
    public static func interface(named name: String) throws -> InterfaceInfo {
        try detect("cannot read interface '\(name)'") { try InterfaceLookup.interface(named: name) }
    }

    /// Interface name from index.
    public static func interfaceName(index: Int32) throws -> String {
        try detect("cannot read interface index \(index)") {
            var socket = try NetlinkSocket()
            return try InterfaceLookup.name(index: index, socket: &socket)
        }
    }

    /// A source address of `family` on the interface: for IPv4 the primary address; for IPv6 a
    /// global-scope unicast address (2000::/3 preferred over ULA fc00::/7), never link-local,
    /// preferring usable addresses over deprecated, tentative and dadfailed ones. Throws
    /// XMapError("no IPv6 address on interface eth0; use -S") when there is none.
    public static func sourceAddress(family: IPFamily, interface: InterfaceInfo) throws -> IPAddress {
        try detect("cannot read the \(family) addresses of \(interface.name)") {
            try SourceAddressLookup.sourceAddress(family: family, interface: interface)
        }
    }

    /// The link-layer address of neighbour `ip` on `interface`, from the kernel's neighbour
    /// table. When there is no entry in a usable state (REACHABLE, STALE, DELAY, PROBE,
    /// PERMANENT, NOARP), the kernel is asked to resolve it (RTM_NEWNEIGH with NTF_USE, or an
    /// empty UDP datagram to port 9 from a socket bound to the interface if that is refused) and
    /// the table is polled every 50 ms for up to `timeout` seconds. Throws XMapError("could not
    /// resolve the MAC address of gateway 192.0.2.2 on eth0 within 3 s; use -G") on timeout.
    public static func neighborMAC(for ip: IPAddress, interface: InterfaceInfo, timeout: Double) throws -> MACAddress {
        try neighborMAC(for: ip, interface: interface, timeout: timeout, solicitation: .automatic)
    }

    /// The MAC address the kernel's neighbour table already holds for `ip` on the interface, or
    /// nil: reads the table only and sends nothing (for dry runs).
    public static func knownNeighborMAC(for ip: IPAddress, interface: InterfaceInfo) throws -> MACAddress? {
        try detect("cannot read the neighbour table of \(interface.name)") {
            var socket = try NetlinkSocket()
            return try NeighborLookup.entry(for: ip, index: interface.index, socket: &socket)?.usableMAC
        }
    }

    /// `neighborMAC` with a chosen way of soliciting (tests use it to check each one).
    static func neighborMAC(
        for ip: IPAddress, interface: InterfaceInfo, timeout: Double,
        solicitation: NeighborSolicitation
    ) throws -> MACAddress {
        try detect("cannot resolve the MAC address of \(ip) on \(interface.name)") {
            try NeighborLookup.mac(for: ip, interface: interface, timeout: timeout, solicitation: solicitation)
        }
    }

    /// Runs `body`, turning any error that is not already an `XMapError` into one with `context`.
    private static func detect<T>(_ context: @autoclosure () -> String, _ body: () throws -> T) throws(XMapError) -> T {
        do {
            return try body()
        } catch let error as XMapError {
            throw error
        } catch {
            throw XMapError("\(context()): \(error)")
        }
    }
}
