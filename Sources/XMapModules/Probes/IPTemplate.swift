import XMapCore

extension FrameLayout {
    /// Writes the IP header template of `family` at the start of a packet whose transport
    /// (`proto`) is `payloadLength` bytes long: what every module's template begins with.
    @inlinable static func writeIP(
        _ w: PacketWriter, family: IPFamily, protocol proto: UInt8, payloadLength: Int,
        ttl: UInt8
    ) {
        if family == .v4 {
            writeIPv4(w, at: 0, protocol: proto, payloadLength: payloadLength, ttl: ttl)
        } else {
            writeIPv6(w, at: 0, nextHeader: proto, payloadLength: payloadLength, hopLimit: ttl)
        }
    }
}
