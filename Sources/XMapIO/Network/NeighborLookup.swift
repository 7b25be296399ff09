import XMapCore

/// The link-layer address of a neighbour from the kernel's neighbour table, resolving it when
/// the table has no usable entry.
enum NeighborLookup {
    /// How often the table is read while resolution runs.
    static let pollInterval = 0.05
    /// How long to wait before soliciting again after an entry failed or vanished.
    static let resolicitInterval = 1.0

    /// The table entry for `address` on interface `index` (RTM_GETNEIGH dump), or nil.
    static func entry(for address: IPAddress, index: Int32, socket: inout NetlinkSocket) throws -> NeighborMessage? {
        let replies = try socket.request(
            type: NetlinkConstant.getNeighbor, dump: true,
            body: NetlinkEncoder.neighborHeader(family: NetlinkEncoder.addressFamily(address.family), index: index),
            what: "neighbour dump")
        var entries: [NeighborMessage] = []
        for m in replies where m.type == NetlinkConstant.newNeighbor {
            entries.append(try NeighborMessage(payload: m.payload))
        }
        return NeighborMessage.entry(for: address, index: index, among: entries)
    }

    static func mac(
        for address: IPAddress, interface: InterfaceInfo, timeout: Double,
        solicitation: NeighborSolicitation = .automatic
    ) throws -> MACAddress {
        guard timeout.isFinite, timeout >= 0 else {
            throw XMapError("invalid neighbour resolution timeout: \(timeout)")
        }
        var socket = try NetlinkSocket()
        let start = NetLibc.monotonicSeconds()
        if let mac = try entry(for: address, index: interface.index, socket: &socket)?.usableMAC { return mac }

        // Resolution failures are not fatal here: the entry may still become usable (another
        // process may be resolving it); the timeout reports the outcome.
        var lastSolicitation = NetLibc.monotonicSeconds()
        var solicitationError: Error? = nil
        do { try solicitation.solicit(address, interface: interface, socket: &socket) } catch {
            solicitationError = error
        }

        while true {
            let now = NetLibc.monotonicSeconds()
            let left = timeout - (now - start)
            if left <= 0 { break }
            NetLibc.sleep(seconds: min(pollInterval, left))
            let current = try entry(for: address, index: interface.index, socket: &socket)
            if let mac = current?.usableMAC { return mac }
            let idle =
                current.map { $0.state == NetlinkConstant.nudNone || $0.state & NetlinkConstant.nudFailed != 0 } ?? true
            let later = NetLibc.monotonicSeconds()
            if idle, later - lastSolicitation >= resolicitInterval, later - start < timeout {
                lastSolicitation = later
                do { try solicitation.solicit(address, interface: interface, socket: &socket) } catch {
                    solicitationError = error
                }
            }
        }
        var message =
            "could not resolve the MAC address of gateway \(address) on \(interface.name) within "
            + "\(formatNetworkSeconds(timeout)) s; use -G"
        if solicitation != .automatic, let error = solicitationError { message += " (\(error))" }
        throw XMapError(message)
    }
}
