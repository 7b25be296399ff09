import XMapCore

/// ICMP echo request probes (`icmp_echo`, and the body of `icmp_echo_gw` and `icmp_echo_tmxd`),
/// IPv4 and IPv6, as XMap builds them: 8-byte header plus a payload (8 zero bytes by default, or
/// `--probe-args text:/hex:/file:`), with id and sequence number taken from the validation block.
public struct ICMPEchoProbe: Probe {
    public static let name = "icmp_echo"
    public static let usesPorts = false

    /// What the module looks for; the probes are the same echo requests.
    public enum Variant: Sendable {
        /// `icmp_echo`: an echo reply is a success.
        case echo
        /// `icmp_echo_gw`: an ICMP error (from the network periphery) is a success.
        case gateway
        /// `icmp_echo_tmxd`: hop limit `ttl − probe`; a Time Exceeded is a success.
        case timeExceeded
    }

    public let payload: [UInt8]
    public let variant: Variant
    /// The request every probe is.
    public let request: ICMPEchoRequest

    public var family: IPFamily { request.family }
    /// TTL / hop limit of every probe (`--probe-ttl`).
    public var ttl: UInt8 { request.ttl }

    public init(family: IPFamily, settings: ProbeSettings) throws {
        try self.init(family: family, settings: settings, variant: .echo)
    }

    public init(family: IPFamily, settings: ProbeSettings, variant: Variant) throws {
        self.variant = variant
        let limit = family == .v4 ? 1500 - 20 - 8 : 1500 - 40 - 8
        payload = try PayloadArgument.parse(
            settings.probeArgs, defaultPayload: [UInt8](repeating: 0, count: 8),
            limit: limit, module: "ICMP", files: settings.files)
        request = ICMPEchoRequest(family: family, ttl: settings.ttl, payloadLength: payload.count)
    }

    public var packetLength: Int { request.packetLength }
    public var pcapFilter: String { request.pcapFilter }
    public var snaplen: Int { EthernetHeader.length + 2 * (FrameLayout.ipHeader(family) + 8) + payload.count }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        request.writeTemplate(into: buffer, payload: payload)
    }

    @inlinable @inline(__always)
    public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation: AESBlock, thread: inout Void
    ) -> Int {
        let ttl = variant == .timeExceeded ? request.ttl &- UInt8(truncatingIfNeeded: probe) : request.ttl
        request.start(buffer, source: source, destination: target.address, ttl: ttl, validation: validation)
        return request.finish(buffer, source: source, destination: target.address)
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String { request.describe(packet: f) }

    var echoReply: UInt8 { family.echoReplyType }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context: ReplyContext) -> ValidReply? {
        guard let answer = request.answer(p, header: h, context: context) else { return nil }
        // icmp_echo_tmxd tells replies apart by source and type.
        let extra = variant == .timeExceeded ? UInt32(p.u8(h.payloadOffset) ?? 0) : 0
        switch answer {
        case .reply: return ValidReply(repeatKey: RepeatKey(address: h.source, extra: extra), reportedSource: h.source)
        case .error(let quote): return quote.reply(extra: extra)
        }
    }

    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        let o = h.payloadOffset
        let type = p.u8(o) ?? 0, code = p.u8(o + 1) ?? 0
        let data = p.slice(from: o + 4)
        if type == echoReply {
            r[Field.success] = .int(variant == .echo ? 1 : 0)
            r[Field.clas] = .string("echoreply")
            r[Field.desc] = .string("no code")
        } else {
            switch variant {
            case .echo: r[Field.success] = family == .v4 ? .bool(false) : .int(0)
            case .gateway: r[Field.success] = .int(1)
            case .timeExceeded: r[Field.success] = .int(type == ICMPv6Type.timeExceeded ? 1 : 0)
            }
            r[Field.clas] = .string(ICMPStrings.typeName(type, family: family))
            r[Field.desc] = .string(ICMPStrings.codeName(type: type, code: code, family: family))
        }
        r[Field.type] = .int(UInt64(type))
        r[Field.code] = .int(UInt64(code))
        r[Field.icmpID] = .int(UInt64(p.u16(o + 4) ?? 0))
        r[Field.seq] = .int(UInt64(p.u16(o + 6) ?? 0))
        r[Field.outersaddr] = .address(IPAddress(family: family, value: h.source))
        r[Field.data] = data.isEmpty ? .null : .binary(data)
    }

    /// The fields of the ICMP echo modules.
    public typealias Fields = Field

    public enum Field: Int, ModuleFields {
        case success, clas, desc, type, code, icmpID, seq, outersaddr, data

        public var definition: FieldDefinition {
            switch self {
            case .success: FieldDefinition("success", .bool, "did probe module classify response as success")
            case .clas: FieldDefinition("clas", .string, "packet classification")
            case .desc: FieldDefinition("desc", .string, "ICMP message detail")
            case .type: FieldDefinition("type", .int, "ICMP message type")
            case .code: FieldDefinition("code", .int, "ICMP message sub type code")
            case .icmpID: FieldDefinition("icmp_id", .int, "ICMP id number")
            case .seq: FieldDefinition("seq", .int, "ICMP sequence number")
            case .outersaddr: FieldDefinition("outersaddr", .string, "outer src address of ICMP reply packet")
            case .data: FieldDefinition("data", .binary, "ICMP payload")
            }
        }

        /// XMap declares `success` as a bool for IPv4 and an int for IPv6 (the values follow).
        public func definition(for family: IPFamily) -> FieldDefinition {
            self == .success && family == .v6 ? FieldDefinition("success", .int, definition.description) : definition
        }
    }

    public static func helpText(for family: IPFamily) -> String {
        let icmp = family == .v4 ? "ICMP" : "ICMPv6"
        return "Probe module that sends \(icmp) echo requests to hosts.\nPayload of \(icmp) packets will consist of "
            + "8 bytes zero unless you customize it with\n    --probe-args=file:/path_to_payload_file\n"
            + "    --probe-args=text:SomeText\n    --probe-args=hex:5061796c6f6164"
    }

    public static func informationText(forProbeArgs args: String, family: IPFamily) -> String? {
        args == "icmp-type-code-str" ? ICMPStrings.table(family: family) : nil
    }
}

/// A variant of `icmp_echo` (IPv6 only): the same echo requests and arguments, read with
/// another `ICMPEchoProbe.Variant`.
public protocol ICMPEchoVariant: ProbeDefinition where Core == ICMPEchoProbe {
    static var variant: ICMPEchoProbe.Variant { get }
}

extension ICMPEchoVariant {
    public static var families: [IPFamily] { [.v6] }
    public static var usesPorts: Bool { false }

    public static func makeCore(family: IPFamily, settings: ProbeSettings) throws -> ICMPEchoProbe {
        try ICMPEchoProbe(family: family, settings: settings, variant: variant)
    }

    public static func informationText(forProbeArgs args: String, family: IPFamily) -> String? {
        ICMPEchoProbe.informationText(forProbeArgs: args, family: family)
    }
}

/// `icmp_echo_gw`: for discovering the network periphery, a validated ICMPv6 error (from the
/// last-hop router) is the success and an echo reply is not. Each router is reported once
/// (`outersaddr`), for the first target that triggered it.
public enum ICMPEchoGatewayProbe: ICMPEchoVariant {
    public static let name = "icmp_echo_gw"
    public static let variant = ICMPEchoProbe.Variant.gateway

    public static func helpText(for family: IPFamily) -> String {
        "Probe module that sends ICMPv6 echo requests to hosts to discover the network periphery: ICMPv6 errors "
            + "(e.g. address unreachable from the last-hop router) count as success. Use with --iid-module=low_fill. "
            + "Payloads as for icmp_echo (--probe-args=file:, text:, hex:)."
    }
}

/// `icmp_echo_tmxd`: echo requests with hop limit `--probe-ttl − probe number`, for detecting
/// routing loops: a Time Exceeded is the success. Replies are told apart by source and ICMPv6
/// type.
public enum ICMPEchoTimeExceededProbe: ICMPEchoVariant {
    public static let name = "icmp_echo_tmxd"
    public static let variant = ICMPEchoProbe.Variant.timeExceeded

    public static func helpText(for family: IPFamily) -> String {
        "Probe module that sends ICMPv6 echo requests with a hop limit of --probe-ttl minus the probe number, to "
            + "detect routing loops: Time Exceeded replies count as success. Use with --iid-module=rand "
            + "--iid-num=2 --probe-ttl=64 --probes=2."
    }
}
