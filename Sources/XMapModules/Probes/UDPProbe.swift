import XMapCore

/// UDP probes (`udp`), IPv4 and IPv6: a datagram to the target port with a payload from
/// `--probe-args` (XMap's default is an HTTP request line), the source port derived from the
/// validation block and the checksum always computed. A UDP reply is a success; an ICMP error
/// quoting one of our probes (port unreachable, …) is a failure reported for the probed address.
public struct UDPCore: ProbeCore {
    /// Where each packet's payload comes from.
    public enum Payload: Sendable {
        /// The same bytes in every packet (written once into the frame template).
        case fixed([UInt8])
        /// `dir:`: per target port, an index into `payloads` (0 is the default payload).
        case perPort(payloads: [[UInt8]], index: [UInt8])
        /// `template:`: rebuilt for every packet.
        case template(UDPPayloadTemplate)
    }

    /// Each thread's random stream (template fields), seeded as XMap seeds it: from one word of
    /// the scan's AES generator.
    public typealias ThreadState = AESRandom

    public func makeThreadState(seed: UInt32) -> AESRandom { AESRandom(seed: UInt64(seed)) }

    /// XMap's default payload.
    public static let defaultPayload = Array("GET / HTTP/1.1\r\nHost: ida.\r\n\r\n".utf8)

    public let family: IPFamily
    /// TTL / hop limit of every probe (`--probe-ttl`).
    public let ttl: UInt8
    /// Whether datagrams carry a UDP checksum (`ProbeSettings.udpChecksums`).
    public let udpChecksums: Bool
    /// Source ports (`-s`).
    public let sourcePorts: SourcePortRange
    public let payload: Payload
    /// The largest payload any packet can carry.
    public let maximumPayload: Int
    /// UDP length when every packet carries the same payload (the hot path touches no array).
    @usableFromInline let fixedUDPLength: Int?

    public static func payloadLimit(_ family: IPFamily) -> Int { family == .v4 ? 1500 - 20 - 8 : 1500 - 40 - 8 }

    public init(family: IPFamily, settings: ProbeSettings) throws {
        self.family = family
        ttl = settings.ttl
        udpChecksums = settings.udpChecksums || family == .v6
        sourcePorts = settings.sourcePorts
        let limit = Self.payloadLimit(family)
        let args = settings.probeArgs ?? ""
        if args.hasPrefix("template:") {
            let t = try UDPPayloadTemplate(settings.files.contents(of: String(args.dropFirst(9)), limit: 1 << 16))
            let max = t.maximumLength(family: family)
            guard max > 0 else { throw XMapError("UDP payload template generated an empty payload") }
            guard max <= limit else {
                throw XMapError("UDP payload template can produce \(max) bytes; at most \(limit) fit on the wire")
            }
            payload = .template(t)
            maximumPayload = max
        } else if args.hasPrefix("dir:") {
            let dir = String(args.dropFirst(4))
            var payloads = [Self.defaultPayload]
            var index = [UInt8](repeating: 0, count: 65536)
            for port in Set(settings.targetPorts).sorted() {
                guard let bytes = try Self.portPayload(directory: dir, port: port, limit: limit, files: settings.files)
                else { continue }
                guard payloads.count < 256 else { throw XMapError("dir: supports at most 255 per-port payloads") }
                index[Int(port)] = UInt8(payloads.count)
                payloads.append(bytes)
            }
            payload = .perPort(payloads: payloads, index: index)
            maximumPayload = payloads.map(\.count).max() ?? 0
        } else {
            let bytes = try PayloadArgument.parse(settings.probeArgs, defaultPayload: Self.defaultPayload, limit: limit,
                                                  module: "UDP", forms: "file:/path or text:STRING or hex:01020304 or dir:/dir_to_files or template:/path or template-fields or icmp-type-code-str",
                                                  files: settings.files)
            payload = .fixed(bytes)
            maximumPayload = bytes.count
        }
        if case .fixed(let bytes) = payload { fixedUDPLength = 8 + bytes.count } else { fixedUDPLength = nil }
    }

    /// `<dir>/<port>.pkt` (binary), `.txt` (raw) or `.hex` (hex text), the first that exists.
    static func portPayload(directory: String, port: UInt16, limit: Int, files: any FileSource) throws -> [UInt8]? {
        let base = (directory.hasSuffix("/") ? directory : directory + "/") + String(port)
        for ext in ["pkt", "txt", "hex"] where files.exists(base + "." + ext) {
            let bytes = try files.contents(of: base + "." + ext, limit: 2 * limit + 16)
            let payload = ext == "hex"
                ? try PayloadArgument.hex(String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace })
                : bytes
            guard payload.count <= limit else {
                throw XMapError("UDP payload \(base).\(ext) is \(payload.count) bytes; at most \(limit) fit on the wire")
            }
            return payload
        }
        return nil
    }

    @usableFromInline var udpOffset: Int { FrameLayout.ipHeader(family) }
    /// The longest packet (the packet buffers' size).
    public var packetLength: Int { udpOffset + 8 + maximumPayload }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        let length = 8 + (fixedPayload?.count ?? 0)
        if family == .v4 {
            FrameLayout.writeIPv4(w, at: 0, protocol: IPProtocol.udp, payloadLength: length, ttl: ttl)
        } else {
            FrameLayout.writeIPv6(w, at: 0, nextHeader: IPProtocol.udp, payloadLength: length, hopLimit: ttl)
        }
        w.u16(udpOffset + 4, UInt16(length))
        fixedPayload?.withUnsafeBytes { (buffer + udpOffset + 8).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    var fixedPayload: [UInt8]? {
        if case .fixed(let b) = payload { return b }
        return nil
    }

    @inlinable @inline(__always)
    public func makePacket(into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
                           validation v: AESBlock, thread random: inout AESRandom) -> Int {
        let w = PacketWriter(buffer)
        let o = udpOffset
        let sourcePort = ValidationValues.sourcePort(v, probe: probe, range: sourcePorts)
        let length = fixedUDPLength ?? writeVariablePayload(buffer, source: source, target: target,
                                                             sourcePort: sourcePort, random: &random)
        FrameLayout.finishIP(w, at: 0, family: family, src: source, dst: target.address, ttl: ttl)
        w.u16(o, sourcePort)
        w.u16(o + 2, target.port)
        w.u16(o + 6, 0)
        if udpChecksums { FrameLayout.setUDPChecksum(buffer + o, length: length, family: family, src: source, dst: target.address) }
        return o + length
    }

    /// Writes a `dir:` or `template:` payload and the length fields; returns the UDP length.
    @usableFromInline func writeVariablePayload(_ buffer: UnsafeMutableRawPointer, source: UInt128, target: Target,
                                                sourcePort: UInt16, random: inout AESRandom) -> Int {
        let o = udpOffset + 8
        var length = 8
        switch payload {
        case .fixed(let bytes):
            length += bytes.count
        case .perPort(let payloads, let index):
            let bytes = payloads[Int(index[Int(target.port)])]
            bytes.withUnsafeBytes { (buffer + o).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            length += bytes.count
        case .template(let t):
            length += t.write(into: buffer + o, family: family, source: source, destination: target.address,
                              sourcePort: sourcePort, destinationPort: target.port, random: &random)
        }
        setLengths(PacketWriter(buffer), udpLength: length)
        return length
    }

    /// Sets the UDP and IP length fields for a payload that varies per packet.
    @inlinable func setLengths(_ w: PacketWriter, udpLength: Int) {
        w.u16(udpOffset + 4, UInt16(udpLength))
        if family == .v4 { w.u16(2, UInt16(20 + udpLength)) } else { w.u16(4, UInt16(udpLength)) }
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        DryRunFormat.ip(f, at: 0, family: family) + DryRunFormat.udp(f, at: udpOffset)
    }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> ValidReply? {
        let o = h.payloadOffset
        if h.proto == IPProtocol.udp {
            // The reply's source port is our target port; its destination port is our source port.
            guard let sport = p.u16(o), let dport = p.u16(o + 2), p.u16(o + 4) != nil, c.targetPorts.contains(sport)
            else { return nil }
            let v = c.validator.block(src: h.destination, dst: h.source, port: sport)
            guard c.isOurSourcePort(dport, v) else { return nil }
            return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(sport)), reportedSource: h.source)
        }
        guard h.proto == family.icmpProtocol, let type = p.u8(o), family.isQuotingICMPError(type),
              let quoted = p.sub(from: o + 8),
              let inner = IPHeaderView(quoted, family: family, quoted: true), inner.proto == IPProtocol.udp,
              let isport = quoted.u16(inner.payloadOffset), let idport = quoted.u16(inner.payloadOffset + 2),
              c.targetPorts.contains(idport)
        else { return nil }
        let v = c.validator.block(src: inner.source, dst: inner.destination, port: idport)
        guard c.isOurSourcePort(isport, v) else { return nil }
        return ValidReply(repeatKey: RepeatKey(address: h.source, extra: UInt32(idport)), reportedSource: inner.destination)
    }

    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        let o = h.payloadOffset
        if h.proto == IPProtocol.udp {
            let length = Int(p.u16(o + 4) ?? 0)
            let data = length > 8 ? p.slice(from: o + 8, to: o + length) : []
            r[Field.success] = .bool(true)
            r[Field.clas] = .string("udp")
            r[Field.sport] = .int(UInt64(p.u16(o) ?? 0))
            r[Field.dport] = .int(UInt64(p.u16(o + 2) ?? 0))
            r[Field.udpPacketSize] = .int(UInt64(length))
            r[Field.data] = data.isEmpty ? .null : .binary(data)
            return
        }
        let type = p.u8(o) ?? 0, code = p.u8(o + 1) ?? 0
        r[Field.success] = .bool(false)
        r[Field.clas] = .string(ICMPStrings.typeName(type, family: family))
        if let quoted = p.sub(from: o + 8), let inner = IPHeaderView(quoted, family: family, quoted: true) {
            // The quoted probe's ports, from the target's point of view (as XMap reports them).
            if let s = quoted.u16(inner.payloadOffset) { r[Field.dport] = .int(UInt64(s)) }
            if let d = quoted.u16(inner.payloadOffset + 2) { r[Field.sport] = .int(UInt64(d)) }
        }
        r[Field.icmpResponder] = .address(IPAddress(family: family, value: h.source))
        r[Field.icmpType] = .int(UInt64(type))
        r[Field.icmpCode] = .int(UInt64(code))
        r[Field.icmpString] = .string(ICMPStrings.codeName(type: type, code: code, family: family))
    }

    /// The fields of the `udp` module.
    public typealias Fields = Field

    public enum Field: Int, ModuleFields {
        case success, clas, sport, dport, icmpResponder, icmpType, icmpCode, icmpString, udpPacketSize, data

        public var definition: FieldDefinition {
            switch self {
            case .success: FieldDefinition("success", .bool, "is response considered success")
            case .clas: FieldDefinition("clas", .string, "packet classification")
            case .sport: FieldDefinition("sport", .int, "UDP source port")
            case .dport: FieldDefinition("dport", .int, "UDP destination port")
            case .icmpResponder: FieldDefinition("icmp_responder", .string, "Source IP of ICMP_UNREACH messages")
            case .icmpType: FieldDefinition("icmp_type", .int, "icmp message type")
            case .icmpCode: FieldDefinition("icmp_code", .int, "icmp message sub type code")
            case .icmpString: FieldDefinition("icmp_str", .string, "ICMP message detail")
            case .udpPacketSize: FieldDefinition("udp_pkt_size", .int, "UDP packet length")
            case .data: FieldDefinition("data", .binary, "UDP payload")
            }
        }
    }

    static func informationText(_ args: String, family: IPFamily) -> String? {
        switch args {
        case "template-fields": return UDPPayloadTemplate.fieldHelp(family: family)
        case "icmp-type-code-str": return ICMPStrings.table(family: family)
        default: return nil
        }
    }

    static let help = """
        Probe module that sends UDP packets to hosts. Packets can optionally be templated based on destination host. Specify packet file with --probe-args=file:/path_to_packet_file and templates with template:/path_to_template_file; text:STRING and hex:01020304 give the payload directly, and dir:/dir_to_files uses <port>.pkt, <port>.txt or <port>.hex per target port. --probe-args=template-fields lists the template fields.
        """
}

/// `udp` for IPv4.
public struct UDPProbe4: CoreBackedProbe {
    public static let name = "udp"
    public static let family = IPFamily.v4
    public static let usesPorts = true
    public static let helpText = UDPCore.help
    public static let drawsThreadSeed = true
    public typealias ThreadState = AESRandom
    public let core: UDPCore

    public init(settings: ProbeSettings) throws { core = try UDPCore(family: .v4, settings: settings) }
    public var pcapFilter: String { "(ip && udp) || icmp" }
    public var snaplen: Int { 1500 }
    public static func informationText(forProbeArgs args: String) -> String? { UDPCore.informationText(args, family: .v4) }
}

/// `udp` for IPv6.
public struct UDPProbe6: CoreBackedProbe {
    public static let name = "udp"
    public static let family = IPFamily.v6
    public static let usesPorts = true
    public static let helpText = UDPCore.help
    public static let drawsThreadSeed = true
    public typealias ThreadState = AESRandom
    public let core: UDPCore

    public init(settings: ProbeSettings) throws { core = try UDPCore(family: .v6, settings: settings) }
    public var pcapFilter: String { "ip6 proto 17 || icmp6" }
    public var snaplen: Int { 1500 }
    public static func informationText(forProbeArgs args: String) -> String? { UDPCore.informationText(args, family: .v6) }
}
