import Testing
import XMapCore
import XMapModules
import XMapTestSupport

/// `arp` and `nd`: requests byte by byte (with the link header the engine keeps in front of
/// each buffer), replies, forged and truncated replies, and the reply scope.
@Suite struct LANProbeTests {
    typealias F = ProbeFixtures
    static let ours = MACAddress("02:00:00:00:01:01")!, theirs = MACAddress("02:00:00:00:01:11")!
    static let src4 = IPAddress("192.0.2.1")!.value, dst4 = IPAddress("192.0.2.11")!.value
    static let src6 = IPAddress("2001:db8:0:1::1")!.value, dst6 = IPAddress("2001:db8:0:1::a1")!.value

    /// The probe as the engine builds it: an Ethernet header from our MAC in front of the buffer.
    static func build<P: ProbeModule>(_ p: P, src: UInt128, dst: UInt128) -> [UInt8] where P.ThreadState == Void {
        var frame = [UInt8](repeating: 0xAA, count: 256)
        let n = frame.withUnsafeMutableBytes { b -> Int in
            EthernetHeader(from: ours, to: .zero, carrying: P.family).write(to: b.baseAddress!)
            let buffer = b.baseAddress! + EthernetHeader.length
            p.writeTemplate(into: buffer)
            return p.makePacket(
                into: buffer, source: src, target: Target(address: dst, port: 0, index: 0), probe: 0,
                validation: AESBlock())
        }
        return Array(frame[EthernetHeader.length..<(EthernetHeader.length + n)])
    }

    /// A context whose link scope is our address and 192.0.2.0/24 or 2001:db8:0:1::/120.
    static func context(_ f: IPFamily) -> ReplyContext {
        var c = F.context(f)
        let low = f == .v4 ? IPAddress("192.0.2.0")!.value : IPAddress("2001:db8:0:1::")!.value
        c.linkScope = LinkReplyScope(
            localAddresses: [f == .v4 ? src4 : src6],
            targets: PrefixIntervals([low...(low + 255)]), prefixShift: 0)
        return c
    }

    static func arpReply(sha: MACAddress = theirs, spa: UInt128 = dst4, tpa: UInt128 = src4, op: UInt8 = 2) -> [UInt8] {
        [0, 1, 8, 0, 6, 4, 0, op] + sha.array + IPAddress(family: .v4, value: spa).bytes + ours.array
            + IPAddress(family: .v4, value: tpa).bytes + [UInt8](repeating: 0, count: 18)  // Ethernet padding
    }

    static func arpValidate(_ p: ARPProbe.V4, _ bytes: [UInt8], _ c: ReplyContext) -> ValidReply? {
        bytes.withUnsafeBytes { b in
            let packet = ReplyPacket(b)
            guard let h = IPHeaderView(arp: packet) else { return nil }
            return p.validate(packet, header: h, context: c)
        }
    }

    @Test("arp: a broadcast request with our MAC and addresses; replies to us about targets count")
    func arp() throws {
        let p = try ARPProbe.V4(settings: F.settings(.v4))
        let request = Self.build(p, src: Self.src4, dst: Self.dst4)
        #expect(
            request == [0, 1, 8, 0, 6, 4, 0, 1] + Self.ours.array + [192, 0, 2, 1] + [0, 0, 0, 0, 0, 0]
                + [192, 0, 2, 11])
        #expect(
            p.packetLength == 28 && ARPProbe.V4.linkLayer == .arp && ARPProbe.V4.family == .v4 && !ARPProbe.usesPorts)
        let text = request.withUnsafeBytes { p.describe(packet: $0) }
        #expect(text.contains("Target IP(4B)\t\t: 192.0.2.11"))
        let c = Self.context(.v4)
        let reply = Self.arpReply()
        #expect(Self.arpValidate(p, reply, c)?.repeatKey == RepeatKey(address: Self.dst4))
        #expect(Self.arpValidate(p, reply, c)?.reportedSource == Self.dst4)
        #expect(Self.arpValidate(p, Self.arpReply(op: 1), c) == nil)  // a request
        #expect(Self.arpValidate(p, Self.arpReply(tpa: IPAddress("192.0.2.9")!.value), c) == nil)  // not to us
        #expect(Self.arpValidate(p, Self.arpReply(spa: IPAddress("198.51.100.1")!.value), c) == nil)  // no target
        for cut in 0..<28 { #expect(Self.arpValidate(p, Array(reply[0..<cut]), c) == nil) }
        // The record: saddr from the reply, no ID or TTL, the MAC and whether it is a vendor's.
        let schema = RecordSchema(family: .v4, moduleFields: LANFields.self)
        var r = Record(schema: schema)
        reply.withUnsafeBytes { b in
            let packet = ReplyPacket(b)
            let h = IPHeaderView(arp: packet)!
            r.setIPFields(source: Self.dst4, header: h)
            p.record(packet, header: h, into: &r)
        }
        #expect(r.values[0] == .address(IPAddress("192.0.2.11")!) && r.values[1] == .address(IPAddress("192.0.2.1")!))
        #expect(r.values[2] == .null && r.values[3] == .null)
        #expect(
            Array(r.values[schema.moduleStart..<schema.systemStart])
                == [.string("02:00:00:00:01:11"), .bool(true), .null, .string("reply"), .bool(true)])
        #expect(throws: XMapError.self) { try ARPProbe.V4(settings: F.settings(.v4, probeArgs: "x")) }
    }

    /// A neighbour advertisement from `from` to `to` about `target`.
    static func advert(
        target: UInt128 = dst6, from: UInt128 = dst6, to: UInt128 = src6, flags: UInt8 = 0x60,
        hopLimit: UInt8 = 255, option: [UInt8]? = [2, 1] + theirs.array
    ) -> [UInt8] {
        let body: [UInt8] =
            [136, 0, 0, 0, flags, 0, 0, 0] + IPAddress(family: .v6, value: target).bytes
            + (option ?? [])
        return [0x60, 0, 0, 0, 0, UInt8(body.count), 58, hopLimit] + IPAddress(family: .v6, value: from).bytes
            + IPAddress(family: .v6, value: to).bytes + body
    }

    @Test("nd: a solicitation to the solicited-node group with hop limit 255 and our MAC; solicited adverts count")
    func nd() throws {
        let p = try NDProbe.V6(settings: F.settings(.v6))
        let s = Self.build(p, src: Self.src6, dst: Self.dst6)
        #expect(s.count == 72 && NDProbe.V6.linkLayer == .neighborDiscovery)
        #expect(s[0] >> 4 == 6 && s[6] == 58 && s[7] == 255 && Int(s[4]) << 8 | Int(s[5]) == 32)
        #expect(Array(s[8..<24]) == IPAddress("2001:db8:0:1::1")!.bytes)
        #expect(Array(s[24..<40]) == IPAddress("ff02::1:ff00:a1")!.bytes)
        #expect(s[40] == 135 && s[41] == 0 && Array(s[48..<64]) == IPAddress("2001:db8:0:1::a1")!.bytes)
        #expect(Array(s[64..<72]) == [1, 1] + Self.ours.array)
        let group = IPAddress("ff02::1:ff00:a1")!.value
        #expect(F.onesSum(F.pseudo(.v6, Self.src6, group, proto: 58, length: 32) + Array(s[40...])) == 0xFFFF)
        #expect(NeighborDiscovery.solicitedNodeMAC(Self.dst6) == 0x3333_FF00_00A1)
        let c = Self.context(.v6)
        #expect(F.validate(p, Self.advert(), context: c)?.reportedSource == Self.dst6)
        #expect(F.validate(p, Self.advert(flags: 0x20), context: c) == nil)  // not solicited
        #expect(F.validate(p, Self.advert(hopLimit: 64), context: c) == nil)  // crossed a router
        #expect(F.validate(p, Self.advert(to: IPAddress("2001:db8:0:1::9")!.value), context: c) == nil)
        #expect(F.validate(p, Self.advert(target: IPAddress("2001:db8:0:2::1")!.value), context: c) == nil)
        #expect(F.validate(p, Self.advert(option: [2, 0, 0, 0, 0, 0, 0, 0]), context: c) == nil)  // zero length
        #expect(F.validate(p, Self.advert(option: [2, 1, 1, 2]), context: c) == nil)  // truncated option
        #expect(
            F.fields(p, Self.advert(flags: 0xE0))
                == [.string("02:00:00:00:01:11"), .bool(true), .bool(true), .string("advert"), .bool(true)])
        #expect(F.fields(p, Self.advert(option: nil)) == [.null, .null, .bool(false), .string("advert"), .bool(true)])
        let full = Self.advert()
        for cut in 0..<full.count { _ = F.validate(p, Array(full[0..<cut]), context: c) }
    }

    @Test("the engine's link framing hands ARP packets over by EtherType")
    func framing() {
        let frame: [UInt8] = Self.ours.array + Self.theirs.array + [0x08, 0x06] + Self.arpReply()
        frame.withUnsafeBytes { b in
            #expect(LinkFraming.ethernet.packet(in: b, family: .v4, etherType: 0x0806)?.count == frame.count - 14)
            #expect(LinkFraming.ethernet.packet(in: b, family: .v4, etherType: 0x0800) == nil)
            #expect(LinkFraming.rawIP.packet(in: b, family: .v4, etherType: 0x0806) == nil)
        }
    }
}
