import XMapCore

/// The source address of a family on an interface, from an RTM_GETADDR dump.
enum SourceAddressLookup {
    static func sourceAddress(family: IPFamily, interface: InterfaceInfo) throws -> IPAddress {
        var socket = try NetlinkSocket()
        let af = NetlinkEncoder.addressFamily(family)
        let replies = try socket.request(
            type: NetlinkConstant.getAddress, dump: true,
            body: NetlinkEncoder.addressHeader(family: af, index: interface.index),
            what: "\(family) address dump")
        var addresses: [AddressMessage] = []
        for m in replies where m.type == NetlinkConstant.newAddress {
            addresses.append(try AddressMessage(payload: m.payload))
        }
        guard let address = AddressMessage.bestSource(among: addresses, family: family, index: interface.index) else {
            throw XMapError("no \(family) address on interface \(interface.name); use -S")
        }
        return address
    }
}
