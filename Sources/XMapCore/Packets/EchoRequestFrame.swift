/// An ICMP or ICMPv6 echo request as a whole Ethernet frame, and the test for its reply: what
/// `--netmap-wait-ping` sends when the interface is detached from the kernel (netmap), where no
/// kernel socket can send or receive. Replies come from the network: bounds-checked.
public enum EchoRequestFrame {
    static let payload = Array("xmap-wait".utf8)

    /// The frame from `source` (with `link`'s MACs) to `destination`.
    public static func build(
        link: EthernetHeader, source: IPAddress, destination: IPAddress, identifier: UInt16,
        sequence: UInt16
    ) -> [UInt8] {
        let v4 = destination.family == .v4
        var icmp: [UInt8] =
            [
                v4 ? 8 : 128, 0, 0, 0, UInt8(identifier >> 8), UInt8(identifier & 0xFF),
                UInt8(sequence >> 8), UInt8(sequence & 0xFF)
            ] + payload
        var sum = icmp.withUnsafeBytes { Checksum.add($0.baseAddress!, count: $0.count) }
        if !v4 {
            let pseudo = source.bytes + destination.bytes + [0, 0, 0, UInt8(icmp.count), 0, 0, 0, 58]
            sum = pseudo.withUnsafeBytes { Checksum.add($0.baseAddress!, count: $0.count, to: sum) }
        }
        let c = Checksum.finish(sum)
        icmp[2] = UInt8(c >> 8)
        icmp[3] = UInt8(c & 0xFF)
        var ip: [UInt8]
        if v4 {
            let total = 20 + icmp.count
            ip =
                [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 0, 0x40, 0, 64, 1, 0, 0] + source.bytes
                + destination.bytes
            let h = Checksum.finish(ip.withUnsafeBytes { Checksum.add($0.baseAddress!, count: $0.count) })
            ip[10] = UInt8(h >> 8)
            ip[11] = UInt8(h & 0xFF)
        } else {
            ip = [0x60, 0, 0, 0, 0, UInt8(icmp.count), 58, 64] + source.bytes + destination.bytes
        }
        var frame = [UInt8](repeating: 0, count: EthernetHeader.length)
        frame.withUnsafeMutableBytes { link.write(to: $0.baseAddress!) }
        return frame + ip + icmp
    }

    /// Whether `packet` (an IP packet, no link header) is an echo reply from `address` to one of
    /// our requests with `identifier`.
    public static func isReply(_ packet: UnsafeRawBufferPointer, from address: IPAddress, identifier: UInt16) -> Bool {
        let v4 = address.family == .v4
        let header: Int
        if v4 {
            guard packet.count >= 20, packet[0] >> 4 == 4, packet[9] == 1 else { return false }
            header = Int(packet[0] & 0x0F) * 4
            guard header >= 20, Array(packet[12..<16]) == address.bytes else { return false }
        } else {
            guard packet.count >= 40, packet[0] >> 4 == 6, packet[6] == 58, Array(packet[8..<24]) == address.bytes
            else { return false }
            header = 40
        }
        guard packet.count >= header + 8 else { return false }
        return packet[header] == (v4 ? 0 : 129) && packet[header + 1] == 0
            && UInt16(packet[header + 4]) << 8 | UInt16(packet[header + 5]) == identifier
    }
}
