import XMapCore

/// Frames the netmap backend reads straight off the wire, where the kernel no longer filters
/// anything: the gateway's ARP requests and neighbor solicitations (answered by NeighborReply),
/// echo replies to `--netmap-wait-ping`, and the Ethernet framing in front of every reply.
enum LinkFuzzing {
    static let ourMAC = MACAddress([2, 0, 0, 0, 0, 1])
    static let gateway = MACAddress([2, 0, 0, 0, 0, 2])
    static let addresses = [IPAddress("192.0.2.1")!, IPAddress("2001:db8:ffff::1")!]

    static let target = FuzzTarget(
        name: "link", summary: "frames off the wire: ARP and neighbor requests, echo replies, Ethernet framing"
    ) { data in
        if let reply = NeighborReply.reply(to: data, ourMAC: ourMAC, gateway: gateway, addresses: addresses) {
            precondition(reply.count == 42 || reply.count == 86, "neighbor reply of \(reply.count) bytes")
        }
        for family in [IPFamily.v4, .v6] {
            if let ip = LinkFraming.ethernet.ipPacket(in: data, family: family) {
                _ = EchoRequestFrame.isReply(ip, from: addresses[family == .v4 ? 0 : 1], identifier: 7)
            }
        }
    } seeds: {
        let link = EthernetHeader(from: gateway, to: ourMAC, carrying: .v4)
        var arp = [UInt8](repeating: 0, count: 14)
        arp.withUnsafeMutableBytes { link.write(to: $0.baseAddress!) }
        arp[12] = 0x08; arp[13] = 0x06
        arp += [0, 1, 8, 0, 6, 4, 0, 1] + gateway.array + [192, 0, 2, 2] + [0, 0, 0, 0, 0, 0] + [192, 0, 2, 1]
        let echo = EchoRequestFrame.build(
            link: link, source: IPAddress("192.0.2.2")!, destination: addresses[0],
            identifier: 7, sequence: 1)
        let echo6 = EchoRequestFrame.build(
            link: EthernetHeader(from: gateway, to: ourMAC, carrying: .v6),
            source: IPAddress("2001:db8:ffff::2")!, destination: addresses[1],
            identifier: 7, sequence: 1)
        return [arp, echo, echo6]
    }
}
