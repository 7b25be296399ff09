import XMapCore
import XMapModules

/// Replies from the network, for every probe module: the first byte picks the module, the second
/// the link framing (raw IP, Ethernet, Linux cooked); the rest is the captured frame. The frame
/// goes through framing, header parsing, validation, record decoding and follow-up building.
enum ReplyFuzzing {
    static let key = AESKey(seed: 1)

    /// One module, ready to take replies.
    struct Subject: Sendable {
        let family: IPFamily
        let handle: @Sendable (UnsafeRawBufferPointer) -> Void
    }

    static func subject<P: ProbeModule>(_ probe: P) -> Subject {
        let context = ReplyContext(validator: Validator(key: key, family: P.family),
                                   sourcePorts: SourcePortRange(first: 32768, last: 61000), probes: 2,
                                   targetPorts: PortSet([53, 80, 123, 443, 5353]))
        let schema = RecordSchema(family: P.family, moduleFields: P.Fields.self)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 2048, alignment: 16)
        probe.writeTemplate(into: buffer)
        nonisolated(unsafe) let answer = buffer
        return Subject(family: P.family) { bytes in
            let packet = ReplyPacket(bytes)
            guard let header = IPHeaderView(packet, family: P.family) else { return }
            _ = probe.validate(packet, header: header, context: context)
            var record = Record(schema: schema)
            probe.record(packet, header: header, into: &record)
            _ = probe.followUp(packet, header: header, into: answer)
        }
    }

    static let subjects: [Subject] = {
        let s4 = ProbeSettings(family: .v4, probes: 2, targetPorts: [53, 80]), s6 = ProbeSettings(family: .v6, probes: 2, targetPorts: [53, 80])
        return [subject(try! ICMPEchoProbe4(settings: s4)), subject(try! ICMPEchoProbe6(settings: s6)),
                subject(try! ICMPEchoGatewayProbe6(settings: s6)), subject(try! ICMPEchoTimeExceededProbe6(settings: s6)),
                subject(try! TCPSynProbe4(settings: s4)), subject(try! TCPSynProbe6(settings: s6)),
                subject(try! TCPScanProbe4(settings: s4)), subject(try! UDPProbe4(settings: s4)),
                subject(try! UDPProbe6(settings: s6)),
                subject(try! DNSProbe<DNS4>(settings: ProbeSettings(family: .v4, probes: 2, probeArgs: "A,a.test;TXT,b.test"))),
                subject(try! DNSProbe<DNSX4>(settings: s4)), subject(try! DNSProbe<DNSA4>(settings: s4)),
                subject(try! DNSProbe<DNSAE4>(settings: s4)), subject(try! DNSProbe<DNSR4>(settings: s4)),
                subject(try! DNSProbe<DNSZ4>(settings: s4)), subject(try! DNSProbe<DNSX6>(settings: s6)),
                subject(try! DNSProbe<DNSAE6>(settings: s6)),
                // ZMap's modules.
                subject(try! TCPSynProbe4(settings: ProbeSettings(family: .v4, probes: 2, probeArgs: "linux"))),
                subject(try! TCPSynAckProbe4(settings: s4)), subject(try! TCPSynAckProbe6(settings: s6)),
                subject(try! ICMPEchoTimeProbe4(settings: s4)), subject(try! ICMPEchoTimeProbe6(settings: s6)),
                subject(try! UDPServiceProbe<NTP4>(settings: s4)), subject(try! UDPServiceProbe<NTP6>(settings: s6)),
                subject(try! UDPServiceProbe<UPnP4>(settings: s4)), subject(try! UDPServiceProbe<UPnP6>(settings: s6)),
                subject(try! UDPServiceProbe<BACnet4>(settings: s4)), subject(try! IPIPProbe4(settings: s4))]
    }()

    static let framings: [LinkFraming] = [.rawIP, .ethernet, .linuxCooked]

    static let target = FuzzTarget(name: "replies", summary: "reply framing, parsing, validation and decoding of every probe module") { data in
        guard data.count >= 2 else { return }
        let subject = subjects[Int(data[0]) % subjects.count]
        let framing = framings[Int(data[1]) % framings.count]
        let frame = UnsafeRawBufferPointer(rebasing: data[2...])
        if let ip = framing.ipPacket(in: frame, family: subject.family) { subject.handle(ip) }
    } seeds: {
        ReplySeeds.all
    }
}
