import XMapCore

/// UDP probes (`udp`), IPv4 and IPv6: a datagram to the target port with a payload from
/// `--probe-args` (XMap's default is an HTTP request line), the source port derived from the
/// validation block and the checksum always computed. A UDP reply is a success; an ICMP error
/// quoting one of our probes (port unreachable, …) is a failure reported for the probed address.
public struct UDPProbe: Probe {
    public static let name = "udp"
    public static let usesPorts = true
    public static let drawsThreadSeed = true

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

    /// Ports, addresses and checksum.
    public let transport: UDPTransport
    public let payload: Payload
    /// The largest payload any packet can carry.
    public let maximumPayload: Int
    /// UDP length when every packet carries the same payload (the hot path touches no array).
    @usableFromInline let fixedUDPLength: Int?

    public var family: IPFamily { transport.family }

    public static func payloadLimit(_ family: IPFamily) -> Int { family == .v4 ? 1500 - 20 - 8 : 1500 - 40 - 8 }

    public init(family: IPFamily, settings: ProbeSettings) throws {
        transport = UDPTransport(family: family, settings: settings)
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
            let forms =
                "file:/path or text:STRING or hex:01020304 or dir:/dir_to_files or template:/path or "
                + "template-fields or icmp-type-code-str"
            let bytes = try PayloadArgument.parse(
                settings.probeArgs, defaultPayload: Self.defaultPayload, limit: limit,
                module: "UDP", forms: forms, files: settings.files)
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
            let payload =
                ext == "hex"
                ? try PayloadArgument.hex(String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace })
                : bytes
            guard payload.count <= limit else {
                throw XMapError(
                    "UDP payload \(base).\(ext) is \(payload.count) bytes; at most \(limit) fit on "
                        + "the wire")
            }
            return payload
        }
        return nil
    }

    /// The longest packet (the packet buffers' size).
    public var packetLength: Int { transport.offset + 8 + maximumPayload }
    public var pcapFilter: String { family == .v4 ? "(ip && udp) || icmp" : "ip6 proto 17 || icmp6" }
    public var snaplen: Int { 1500 }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let fixed = fixedPayload ?? []
        transport.writeTemplate(into: buffer, packetLength: packetLength, udpLength: 8 + fixed.count, payload: fixed)
    }

    var fixedPayload: [UInt8]? {
        if case .fixed(let b) = payload { return b }
        return nil
    }

    @inlinable @inline(__always)
    public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation v: AESBlock, thread random: inout AESRandom
    ) -> Int {
        let sourcePort = transport.sourcePort(v, probe: probe)
        let length =
            fixedUDPLength
            ?? writeVariablePayload(
                buffer, source: source, target: target,
                sourcePort: sourcePort, random: &random)
        return transport.finish(
            buffer, source: source, destination: target.address, sourcePort: sourcePort,
            destinationPort: target.port, udpLength: length)
    }

    /// Writes a `dir:` or `template:` payload and the length fields; returns the UDP length.
    @usableFromInline func writeVariablePayload(
        _ buffer: UnsafeMutableRawPointer, source: UInt128, target: Target,
        sourcePort: UInt16, random: inout AESRandom
    ) -> Int {
        let o = transport.offset + 8
        var length = 8
        switch payload {
        case .fixed(let bytes):
            length += bytes.count
        case .perPort(let payloads, let index):
            let bytes = payloads[Int(index[Int(target.port)])]
            bytes.withUnsafeBytes { (buffer + o).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            length += bytes.count
        case .template(let t):
            length += t.write(
                into: buffer + o, family: family, source: source, destination: target.address,
                sourcePort: sourcePort, destinationPort: target.port, random: &random)
        }
        transport.setLengths(buffer, udpLength: length)
        return length
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String { transport.describe(packet: f) }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> ValidReply? {
        if h.proto == IPProtocol.udp {
            guard p.u16(h.payloadOffset + 4) != nil, let reply = transport.reply(p, header: h, context: c) else {
                return nil
            }
            return ValidReply(
                repeatKey: RepeatKey(address: h.source, extra: UInt32(reply.targetPort)),
                reportedSource: h.source)
        }
        guard let error = transport.quotedProbe(p, header: h, context: c, transportBytes: 4) else { return nil }
        return error.quote.reply(extra: UInt32(error.targetPort))
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
        if let ports = ICMPErrorQuote(p, header: h, family: family, proto: IPProtocol.udp, transportBytes: 4)?.ports {
            // The quoted probe's ports, from the target's point of view (as XMap reports them).
            r[Field.dport] = .int(UInt64(ports.source))
            r[Field.sport] = .int(UInt64(ports.destination))
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

    public static func informationText(forProbeArgs args: String, family: IPFamily) -> String? {
        switch args {
        case "template-fields": return UDPPayloadTemplate.fieldHelp(family: family)
        case "icmp-type-code-str": return ICMPStrings.table(family: family)
        default: return nil
        }
    }

    public static func helpText(for family: IPFamily) -> String {
        """
        Probe module that sends UDP packets to hosts. Packets can optionally be templated based on destination \
        host. Specify packet file with --probe-args=file:/path_to_packet_file and templates with \
        template:/path_to_template_file; text:STRING and hex:01020304 give the payload directly, and \
        dir:/dir_to_files uses <port>.pkt, <port>.txt or <port>.hex per target port. \
        --probe-args=template-fields lists the template fields.
        """
    }
}
