import XMapCore
import XMapEngine
import XMapModules

/// Replies from the network, for every probe module of the catalog: the first byte picks the
/// module, the second the link framing (raw IP, Ethernet, Linux cooked); the rest is the
/// captured frame. The frame goes through framing, header parsing, validation, record decoding
/// and follow-up building.
enum ReplyFuzzing {
    static let key = AESKey(seed: 1)

    /// One module, ready to take replies.
    struct Subject: Sendable {
        /// The module's `-M` name and family (and the `--probe-args` it was built with).
        let name: String
        let family: IPFamily
        let probeArgs: String?
        let handle: @Sendable (UnsafeRawBufferPointer) -> Void
    }

    static func subject<P: ProbeModule>(_ probe: P, probeArgs: String?) -> Subject {
        let context = ReplyContext(
            validator: Validator(key: key, family: P.family),
            sourcePorts: SourcePortRange(first: 32768, last: 61000), probes: 2,
            targetPorts: PortSet([53, 80, 123, 443, 5353]))
        let schema = RecordSchema(family: P.family, moduleFields: P.Fields.self)
        // As every backend lays it out: the Ethernet header just in front of the packet buffer
        // (link-layer modules read the scan's MAC from it).
        let frame = UnsafeMutableRawPointer.allocate(byteCount: 2048 + EthernetHeader.length, alignment: 16)
        EthernetHeader(from: MACAddress("02:00:00:00:01:01")!, to: .zero, carrying: P.family).write(to: frame)
        let buffer = frame + EthernetHeader.length
        probe.writeTemplate(into: buffer)
        nonisolated(unsafe) let answer = buffer
        return Subject(name: P.name, family: P.family, probeArgs: probeArgs) { bytes in
            let packet = ReplyPacket(bytes)
            guard let header = IPHeaderView(packet, family: P.family) else { return }
            _ = probe.validate(packet, header: header, context: context)
            var record = Record(schema: schema)
            probe.record(packet, header: header, into: &record)
            _ = probe.followUp(packet, header: header, into: answer)
        }
    }

    /// `--probe-args` that make a module parse replies differently, fuzzed besides each
    /// module's defaults: several questions of the legacy `dns` module, and SYN options.
    static let arguments: [(module: String, family: IPFamily, probeArgs: String)] = [
        ("dns", .v4, "A,a.test;TXT,b.test"), ("tcp_syn", .v4, "linux")
    ]

    /// Every catalog entry with its default arguments, then `arguments`.
    static let subjects: [Subject] = {
        func build(_ entry: ProbeModuleEntry, _ probeArgs: String?) -> Subject {
            let settings = ProbeSettings(family: entry.family, probes: 2, probeArgs: probeArgs, targetPorts: [53, 80])
            do {
                return subject(try entry.configure(settings).instance, probeArgs: probeArgs)
            } catch {
                fatalError("\(entry.name) (\(entry.family)) rejects the fuzzing settings: \(error)")
            }
        }
        return ProbeCatalog.entries.map { build($0, nil) }
            + arguments.map { a in
                guard let entry = ProbeCatalog.entry(named: a.module, family: a.family) else {
                    fatalError("no \(a.family) module \(a.module) in the catalog")
                }
                return build(entry, a.probeArgs)
            }
    }()

    static let framings: [LinkFraming] = [.rawIP, .ethernet, .linuxCooked]

    static let target = FuzzTarget(
        name: "replies",
        summary: "reply framing, parsing, validation and decoding of every probe module"
    ) {
        data in
        guard data.count >= 2 else { return }
        let subject = subjects[Int(data[0]) % subjects.count]
        let framing = framings[Int(data[1]) % framings.count]
        let frame = UnsafeRawBufferPointer(rebasing: data[2...])
        if let ip = framing.ipPacket(in: frame, family: subject.family) { subject.handle(ip) }
    } seeds: {
        ReplySeeds.all
    }
}
