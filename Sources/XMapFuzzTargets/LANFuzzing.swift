import XMapCore
import XMapModules

/// Replies of the LAN discovery modules and the TCP reply fields added with them: the first byte
/// picks the parser, the rest is the captured frame (Ethernet). ARP replies (`arp`, and the
/// neighbour stage), neighbour advertisements (`nd`), and SYN-ACKs through the TCP modules with
/// `rtt_us` and `fingerprint` on (stamped validation, echoed timestamps, the option walk).
enum LANFuzzing {
    static let key = AESKey(seed: 3)
    static let ours4 = IPAddress("192.0.2.1")!.value, ours6 = IPAddress("2001:db8:0:1::1")!.value

    /// Reply contexts whose link scope accepts our addresses and every target.
    static func context(_ family: IPFamily) -> ReplyContext {
        var c = ReplyContext(
            validator: Validator(key: key, family: family),
            sourcePorts: SourcePortRange(first: 32768, last: 61000), probes: 1,
            targetPorts: PortSet([80, 443]))
        c.linkScope = LinkReplyScope(
            localAddresses: [family == .v4 ? ours4 : ours6],
            targets: PrefixIntervals([0...UInt128.max]), prefixShift: 0)
        return c
    }

    /// One parser over one IP (or ARP) packet.
    struct Subject: Sendable {
        let etherType: UInt16
        let family: IPFamily
        let handle: @Sendable (UnsafeRawBufferPointer) -> Void
    }

    static func subject<P: ProbeModule>(_ probe: P, etherType: UInt16) -> Subject {
        let context = context(P.family)
        let schema = RecordSchema(family: P.family, moduleFields: P.Fields.self)
        return Subject(etherType: etherType, family: P.family) { bytes in
            let packet = ReplyPacket(bytes)
            let header = P.linkLayer == .arp ? IPHeaderView(arp: packet) : IPHeaderView(packet, family: P.family)
            guard let header else { return }
            _ = probe.validate(packet, header: header, context: context)
            var record = Record(schema: schema)
            record[SystemField.timestampSeconds] = .int(1_700_000_000)
            record[SystemField.timestampMicros] = .int(123_456)
            probe.record(packet, header: header, into: &record)
            if P.linkLayer == .ip { _ = TCPFingerprint(packet, header: header)?.description }
        }
    }

    static let subjects: [Subject] = {
        func timed(_ family: IPFamily, _ args: String? = nil) -> ProbeSettings {
            var s = ProbeSettings(family: family, probeArgs: args, clock: { (1_700_000_000, 5) })
            s.measuresRoundTrip = true
            s.describesFingerprint = true
            return s
        }
        return [
            subject(try! ARPProbe.V4(settings: ProbeSettings(family: .v4)), etherType: ARPPacket.etherType),
            subject(try! NDProbe.V6(settings: ProbeSettings(family: .v6)), etherType: 0x86DD),
            subject(try! TCPSynProbe.V4(settings: timed(.v4)), etherType: 0x0800),
            subject(try! TCPSynProbe.V6(settings: timed(.v6, "linux")), etherType: 0x86DD),
            subject(try! TCPScanProbe.V4(settings: timed(.v4)), etherType: 0x0800),
            subject(try! TCPSynAckProbe.V4(settings: timed(.v4)), etherType: 0x0800),
            subject(try! TCPSynAckProbe.V6(settings: timed(.v6)), etherType: 0x86DD)
        ]
    }()

    static let summary = "ARP replies, neighbour advertisements, TCP rtt_us and fingerprint"

    static let target = FuzzTarget(name: "lan", summary: summary) { data in
        guard data.count >= 1 else { return }
        let subject = subjects[Int(data[0]) % subjects.count]
        let frame = UnsafeRawBufferPointer(rebasing: data[1...])
        if let packet = LinkFraming.ethernet.packet(in: frame, family: subject.family, etherType: subject.etherType) {
            subject.handle(packet)
        }
    } seeds: {
        let ours = MACAddress([2, 0, 0, 0, 1, 1]), theirs = MACAddress([2, 0, 0, 0, 1, 0x11])
        func ethernet(_ type: UInt16) -> [UInt8] { ours.array + theirs.array + [UInt8(type >> 8), UInt8(type & 0xFF)] }
        let arp =
            [0] + ethernet(0x0806) + [0, 1, 8, 0, 6, 4, 0, 2] + theirs.array + [192, 0, 2, 11] + ours.array
            + [192, 0, 2, 1] + [UInt8](repeating: 0, count: 18)
        var na: [UInt8] = [136, 0, 0, 0, 0xE0, 0, 0, 0] + IPAddress("2001:db8:0:1::11")!.bytes + [2, 1] + theirs.array
        let ip6: [UInt8] =
            [0x60, 0, 0, 0, 0, UInt8(na.count), 58, 255] + IPAddress("2001:db8:0:1::11")!.bytes
            + IPAddress("2001:db8:0:1::1")!.bytes
        na = [1] + ethernet(0x86DD) + ip6 + na
        // A Linux SYN-ACK: MSS, SACK permitted, timestamps, NOP, window scale 7.
        let tcp: [UInt8] = [
            0, 80, 0x9C, 0x40, 0x12, 0x34, 0x56, 0x78, 0x00, 0x01, 0x23, 0x45, 0xA0, 0x12, 0xFE, 0x88,
            0, 0, 0, 0, 2, 4, 5, 0xB4, 4, 2, 8, 10, 1, 2, 3, 4, 0x65, 0x53, 0xF1, 0x05, 1, 3, 3,
            7
        ]
        let ip4: [UInt8] = [
            0x45, 0, 0, UInt8(20 + tcp.count), 0, 0, 0x40, 0, 64, 6, 0, 0, 198, 51, 100, 5,
            192, 0, 2, 1
        ]
        let synack = [2] + ethernet(0x0800) + ip4 + tcp
        let synack6 =
            [3] + ethernet(0x86DD) + [0x60, 0x0A, 0xBC, 0xDE, 0, UInt8(tcp.count), 6, 64]
            + IPAddress("2001:db8:1::5")!.bytes + IPAddress("2001:db8:0:1::1")!.bytes + tcp
        return [arp, na, synack, synack6]
    }
}
