/// The answers a host gives its gateway when it asks who holds one of our addresses: an ARP
/// reply (IPv4) or an ICMPv6 neighbor advertisement (IPv6). The netmap backend needs them
/// because the interface is detached from the kernel, which would otherwise answer (ZMap's
/// netmap ARP responder; xmap answers neighbor solicitations too). As ZMap does, only requests
/// from the gateway's MAC are answered. Frames come from the network: every byte is
/// bounds-checked.
public enum NeighborReply {
    /// The reply frame to `frame` when it is an ARP request or a neighbor solicitation from
    /// `gateway` for one of `addresses`; nil for every other frame.
    public static func reply(
        to frame: UnsafeRawBufferPointer, ourMAC: MACAddress, gateway: MACAddress,
        addresses: [IPAddress]
    ) -> [UInt8]? {
        // Called for every frame the netmap receiver sees: nothing is allocated before the frame
        // is known to be a request from the gateway.
        guard frame.count >= EthernetHeader.length, isFrom(gateway, frame) else { return nil }
        switch UInt16(frame[12]) << 8 | UInt16(frame[13]) {
        case 0x0806: return arpReply(frame, ourMAC: ourMAC, addresses: addresses)
        case 0x86DD: return neighborAdvertisement(frame, ourMAC: ourMAC, addresses: addresses)
        default: return nil
        }
    }

    /// Whether the frame's source MAC is `mac`.
    @inline(__always)
    static func isFrom(_ mac: MACAddress, _ f: UnsafeRawBufferPointer) -> Bool {
        let m = mac.bytes
        return f[6] == m.0 && f[7] == m.1 && f[8] == m.2 && f[9] == m.3 && f[10] == m.4 && f[11] == m.5
    }

    /// ARP over Ethernet for IPv4: hardware type 1, protocol 0x0800, lengths 6 and 4, operation 1.
    static func arpReply(_ f: UnsafeRawBufferPointer, ourMAC: MACAddress, addresses: [IPAddress]) -> [UInt8]? {
        guard f.count >= 42, f[14] == 0, f[15] == 1, f[16] == 8, f[17] == 0, f[18] == 6, f[19] == 4, f[20] == 0,
            f[21] == 1
        else { return nil }
        let asked = Array(f[38..<42])
        guard addresses.contains(where: { $0.family == .v4 && $0.bytes == asked }) else { return nil }
        let requesterMAC = Array(f[22..<28]), requesterIP = Array(f[28..<32])
        var out = requesterMAC + ourMAC.array + [0x08, 0x06]
        out += [0, 1, 8, 0, 6, 4, 0, 2]
        out += ourMAC.array + asked + requesterMAC + requesterIP
        return out
    }

    /// ICMPv6 neighbor solicitation (type 135) right after a 40-byte IPv6 header with hop limit 255.
    static func neighborAdvertisement(
        _ f: UnsafeRawBufferPointer, ourMAC: MACAddress, addresses: [IPAddress]
    ) -> [UInt8]? {
        let ip = EthernetHeader.length, icmp = ip + 40
        guard f.count >= icmp + 24, f[ip] >> 4 == 6, f[ip + 6] == 58, f[ip + 7] == 255, f[icmp] == 135, f[icmp + 1] == 0
        else { return nil }
        let target = Array(f[(icmp + 8)..<(icmp + 24)])
        guard addresses.contains(where: { $0.family == .v6 && $0.bytes == target }) else { return nil }
        let solicitor = Array(f[(ip + 8)..<(ip + 24)])
        let unspecified = solicitor.allSatisfy { $0 == 0 }
        // To the unspecified address (duplicate address detection) the answer goes to all nodes.
        let destination = unspecified ? [0xFF, 0x02] + [UInt8](repeating: 0, count: 13) + [1] : solicitor
        var body: [UInt8] = [136, 0, 0, 0, unspecified ? 0x20 : 0x60, 0, 0, 0] + target + [2, 1] + ourMAC.array
        var sum = body.withUnsafeBytes { Checksum.add($0.baseAddress!, count: $0.count) }
        let pseudo = target + destination + [0, 0, 0, UInt8(body.count), 0, 0, 0, 58]
        sum = pseudo.withUnsafeBytes { Checksum.add($0.baseAddress!, count: $0.count, to: sum) }
        let checksum = Checksum.finish(sum)
        body[2] = UInt8(checksum >> 8)
        body[3] = UInt8(checksum & 0xFF)
        let ethernet = Array(f[6..<12]) + ourMAC.array + [0x86, 0xDD]
        let header: [UInt8] = [0x60, 0, 0, 0, 0, UInt8(body.count), 58, 255] + target + destination
        return ethernet + header + body
    }
}
