import Testing
import XMapCore

/// The netmap backend's answers to the gateway's neighbor requests, and its wait-ping frames.
@Suite struct NeighborReplyTests {
    let ours = MACAddress([2, 0, 0, 0, 0, 1])
    let gateway = MACAddress([2, 0, 0, 0, 0, 2])
    let addresses = [IPAddress("192.0.2.1")!, IPAddress("2001:db8:ffff::1")!]

    func arpRequest(from mac: MACAddress, asking target: [UInt8]) -> [UInt8] {
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + mac.array + [0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1] + mac.array + [
            192, 0, 2, 2
        ]
            + [0, 0, 0, 0, 0, 0] + target
    }

    func reply(_ frame: [UInt8]) -> [UInt8]? {
        frame.withUnsafeBytes { NeighborReply.reply(to: $0, ourMAC: ours, gateway: gateway, addresses: addresses) }
    }

    @Test("an ARP request from the gateway for our address gets the ARP reply, byte for byte")
    func arp() throws {
        let out = try #require(reply(arpRequest(from: gateway, asking: [192, 0, 2, 1])))
        let expected: [UInt8] =
            gateway.array + ours.array + [0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 2] + ours.array + [192, 0, 2, 1]
            + gateway.array + [192, 0, 2, 2]
        #expect(out == expected)
    }

    @Test("other addresses, other askers, ARP replies and truncated frames get nothing")
    func arpIgnored() {
        #expect(reply(arpRequest(from: gateway, asking: [192, 0, 2, 9])) == nil)
        #expect(reply(arpRequest(from: MACAddress([2, 0, 0, 0, 0, 9]), asking: [192, 0, 2, 1])) == nil)
        var answer = arpRequest(from: gateway, asking: [192, 0, 2, 1])
        answer[21] = 2
        #expect(reply(answer) == nil)
        let full = arpRequest(from: gateway, asking: [192, 0, 2, 1])
        for n in 0..<full.count { #expect(reply(Array(full.prefix(n))) == nil) }
    }

    func solicitation(from source: [UInt8], target: [UInt8], hopLimit: UInt8 = 255) -> [UInt8] {
        let icmp: [UInt8] = [135, 0, 0, 0, 0, 0, 0, 0] + target + [1, 1] + gateway.array
        return [0x33, 0x33, 0xFF, 0, 0, 1] + gateway.array + [0x86, 0xDD]
            + [0x60, 0, 0, 0, 0, UInt8(icmp.count), 58, hopLimit] + source + [
                0xFF, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0, 0, 1
            ] + icmp
    }

    /// The ICMPv6 checksum of a frame's packet, over the pseudo-header: 0 when it is right.
    func icmp6Residue(_ frame: [UInt8]) -> UInt16 {
        let body = Array(frame[54...])
        let pseudo = Array(frame[22..<54]) + [0, 0, 0, UInt8(body.count), 0, 0, 0, 58]
        let sum = (pseudo + body).withUnsafeBytes { Checksum.add($0.baseAddress!, count: $0.count) }
        return Checksum.finish(sum)
    }

    @Test(
        "a neighbor solicitation from the gateway gets a solicited, overriding advertisement with our MAC and a valid checksum"
    )
    func neighborAdvertisement() throws {
        let router = IPAddress("2001:db8:ffff::2")!.bytes, target = addresses[1].bytes
        let out = try #require(reply(solicitation(from: router, target: target)))
        #expect(out.count == 86)
        #expect(
            Array(out[0..<6]) == gateway.array && Array(out[6..<12]) == ours.array && out[12] == 0x86 && out[13] == 0xDD
        )
        #expect(out[20] == 58 && out[21] == 255 && Array(out[22..<38]) == target && Array(out[38..<54]) == router)
        #expect(out[54] == 136 && out[58] == 0x60 && Array(out[62..<78]) == target)
        #expect(Array(out[78..<86]) == [2, 1] + ours.array)
        #expect(icmp6Residue(out) == 0)
    }

    @Test(
        "duplicate address detection (from ::) is answered to all nodes, not solicited; wrong hop limit or target: nothing"
    )
    func neighborEdgeCases() throws {
        let target = addresses[1].bytes
        let dad = try #require(reply(solicitation(from: [UInt8](repeating: 0, count: 16), target: target)))
        #expect(Array(dad[38..<54]) == [0xFF, 2] + [UInt8](repeating: 0, count: 13) + [1])
        #expect(dad[58] == 0x20 && icmp6Residue(dad) == 0)
        #expect(reply(solicitation(from: target, target: target, hopLimit: 64)) == nil)
        #expect(reply(solicitation(from: target, target: IPAddress("2001:db8::9")!.bytes)) == nil)
    }

    @Test("echo request frames carry valid checksums, and their replies are recognised by source and identifier")
    func echoFrames() {
        let link = EthernetHeader(from: ours, to: gateway, carrying: .v4)
        let gw4 = IPAddress("192.0.2.2")!
        let frame = EchoRequestFrame.build(
            link: link, source: addresses[0], destination: gw4, identifier: 0xBEEF, sequence: 3)
        let ip = Array(frame[14...])
        #expect(ip.withUnsafeBytes { Checksum.finish(Checksum.add($0.baseAddress!, count: 20)) } == 0)
        #expect(ip.withUnsafeBytes { Checksum.finish(Checksum.add($0.baseAddress! + 20, count: ip.count - 20)) } == 0)
        // The reply: addresses swapped, type 0.
        var answer = ip
        answer.replaceSubrange(12..<20, with: gw4.bytes + addresses[0].bytes)
        answer[20] = 0
        #expect(answer.withUnsafeBytes { EchoRequestFrame.isReply($0, from: gw4, identifier: 0xBEEF) })
        #expect(!answer.withUnsafeBytes { EchoRequestFrame.isReply($0, from: gw4, identifier: 0xBEEE) })
        #expect(!answer.withUnsafeBytes { EchoRequestFrame.isReply($0, from: addresses[0], identifier: 0xBEEF) })
        // a request
        #expect(!ip.withUnsafeBytes { EchoRequestFrame.isReply($0, from: addresses[0], identifier: 0xBEEF) })
        // Shorter than the IP header plus the 8-byte ICMP header: never a reply.
        for n in 0..<28 {
            #expect(
                !Array(answer.prefix(n)).withUnsafeBytes { EchoRequestFrame.isReply($0, from: gw4, identifier: 0xBEEF) }
            )
        }

        let gw6 = IPAddress("2001:db8:ffff::2")!
        let frame6 = EchoRequestFrame.build(
            link: EthernetHeader(from: ours, to: gateway, carrying: .v6), source: addresses[1],
            destination: gw6, identifier: 9, sequence: 1)
        let body = Array(frame6[54...])
        let pseudo = Array(frame6[22..<54]) + [0, 0, 0, UInt8(body.count), 0, 0, 0, 58]
        #expect(
            (pseudo + body).withUnsafeBytes { Checksum.finish(Checksum.add($0.baseAddress!, count: $0.count)) } == 0)
        #expect(frame6[54] == 128)
    }
}
