import XMapCore

/// ICMP echo request probes (`icmp_echo`), IPv4 and IPv6, as XMap builds them: 8-byte
/// header plus a payload (8 zero bytes by default, or `--probe-args text:/hex:/file:`), with id
/// and sequence number taken from the validation block.
public struct ICMPEchoCore: ProbeCore {
    /// What the module looks for; the probes are the same echo requests.
    public enum Variant: Sendable {
        /// `icmp_echo`: an echo reply is a success.
        case echo
        /// `icmp_echo_gw`: an ICMP error (from the network periphery) is a success.
        case gateway
        /// `icmp_echo_tmxd`: hop limit `ttl − probe`; a Time Exceeded is a success.
        case timeExceeded
    }

    public let family: IPFamily
    public let settings: ProbeSettings
    public let payload: [UInt8]
    public let variant: Variant

    public init(family: IPFamily, settings: ProbeSettings, variant: Variant = .echo) throws {
        self.family = family
        self.settings = settings
        self.variant = variant
        let limit = family == .v4 ? 1500 - 20 - 8 : 1500 - 40 - 8
        payload = try PayloadArgument.parse(settings.probeArgs, defaultPayload: [UInt8](repeating: 0, count: 8),
                                            limit: limit, module: "ICMP")
    }

    @usableFromInline var ipOffset: Int { FrameLayout.ethernet }
    @usableFromInline var icmpOffset: Int { FrameLayout.ethernet + FrameLayout.ipHeader(family) }
    public var packetLength: Int { icmpOffset + 8 + payload.count }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        FrameLayout.writeEthernet(w, source: settings.sourceMAC, destination: settings.gatewayMAC, family: family)
        if family == .v4 {
            FrameLayout.writeIPv4(w, at: ipOffset, protocol: 1, payloadLength: 8 + payload.count, ttl: settings.ttl)
            w.u8(icmpOffset, 8)
        } else {
            FrameLayout.writeIPv6(w, at: ipOffset, nextHeader: 58, payloadLength: 8 + payload.count, hopLimit: settings.ttl)
            w.u8(icmpOffset, 128)
        }
        payload.withUnsafeBytes { (buffer + icmpOffset + 8).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    @inlinable @inline(__always)
    public func makePacket(into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
                           validation: AESBlock) -> Int {
        let w = PacketWriter(buffer)
        let o = icmpOffset
        let ttl = variant == .timeExceeded ? settings.ttl &- UInt8(truncatingIfNeeded: probe) : settings.ttl
        FrameLayout.finishIP(w, at: ipOffset, family: family, src: source, dst: target.address, ttl: ttl)
        w.u16(o + 2, 0)
        w.u16(o + 4, ValidationValues.icmpIdentifier(validation))
        w.u16(o + 6, ValidationValues.icmpSequence(validation))
        let len = 8 + payload.count
        var sum = Checksum.add(UnsafeRawPointer(buffer + o), count: len)
        if family == .v6 {
            sum = sum &+ FrameLayout.pseudoHeaderSum(family: .v6, src: source, dst: target.address, proto: 58, length: len)
        }
        w.u16(o + 2, Checksum.finish(sum))
        return o + len
    }

    public func describe(frame f: UnsafeRawBufferPointer) -> String {
        DryRunFormat.ethernet(f) + DryRunFormat.ip(f, at: ipOffset, family: family)
            + DryRunFormat.icmpEcho(f, at: icmpOffset, title: family == .v4 ? "ICMP" : "ICMPv6")
    }

    var echoReply: UInt8 { family == .v4 ? 0 : 129 }
    var echoRequest: UInt8 { family == .v4 ? 8 : 128 }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context: ReplyContext) -> ValidReply? {
        guard h.proto == family.icmpProtocol else { return nil }
        let o = h.payloadOffset
        guard let type = p.u8(o), let id = p.u16(o + 4), let seq = p.u16(o + 6) else { return nil }
        if type == echoReply {
            let v = context.validator.block(src: h.destination, dst: h.source, port: 0)
            guard id == ValidationValues.icmpIdentifier(v), seq == ValidationValues.icmpSequence(v) else { return nil }
            let extra = variant == .timeExceeded ? UInt32(type) : 0
            return ValidReply(repeatKey: RepeatKey(address: h.source, extra: extra), reportedSource: h.source)
        }
        guard family.isQuotingICMPError(type), let quoted = p.sub(from: o + 8),
              let inner = IPHeaderView(quoted, family: family, quoted: true), inner.proto == family.icmpProtocol,
              let itype = quoted.u8(inner.payloadOffset), itype == echoRequest,
              let iid = quoted.u16(inner.payloadOffset + 4), let iseq = quoted.u16(inner.payloadOffset + 6)
        else { return nil }
        let v = context.validator.block(src: inner.source, dst: inner.destination, port: 0)
        guard iid == ValidationValues.icmpIdentifier(v), iseq == ValidationValues.icmpSequence(v) else { return nil }
        // icmp_echo_tmxd tells replies apart by source and type.
        let extra = variant == .timeExceeded ? UInt32(type) : 0
        return ValidReply(repeatKey: RepeatKey(address: h.source, extra: extra), reportedSource: inner.destination)
    }

    public func fieldValues(_ p: ReplyPacket, header h: IPHeaderView) -> [FieldValue] {
        let o = h.payloadOffset
        let type = p.u8(o) ?? 0, code = p.u8(o + 1) ?? 0
        let data = p.slice(from: o + 4)
        let success: FieldValue, clas: String, desc: String
        if type == echoReply {
            success = .int(variant == .echo ? 1 : 0)
            clas = "echoreply"
            desc = "no code"
        } else {
            switch variant {
            case .echo: success = family == .v4 ? .bool(false) : .int(0)
            case .gateway: success = .int(1)
            case .timeExceeded: success = .int(type == 3 ? 1 : 0)
            }
            clas = ICMPStrings.typeName(type, family: family)
            desc = ICMPStrings.codeName(type: type, code: code, family: family)
        }
        return [success, .string(clas), .string(desc), .int(UInt64(type)), .int(UInt64(code)),
                .int(UInt64(p.u16(o + 4) ?? 0)), .int(UInt64(p.u16(o + 6) ?? 0)),
                .address(IPAddress(family: family, value: h.source)), data.isEmpty ? .null : .binary(data)]
    }

    public static let fields: [FieldDefinition] = [
        FieldDefinition("success", .bool, "did probe module classify response as success"),
        FieldDefinition("clas", .string, "packet classification"),
        FieldDefinition("desc", .string, "ICMP message detail"),
        FieldDefinition("type", .int, "ICMP message type"),
        FieldDefinition("code", .int, "ICMP message sub type code"),
        FieldDefinition("icmp_id", .int, "ICMP id number"),
        FieldDefinition("seq", .int, "ICMP sequence number"),
        FieldDefinition("outersaddr", .string, "outer src address of ICMP reply packet"),
        FieldDefinition("data", .binary, "ICMP payload"),
    ]
}

/// `icmp_echo` for IPv4.
public struct ICMPEchoProbe4: CoreBackedProbe {
    public static let name = "icmp_echo"
    public static let family = IPFamily.v4
    public static let usesPorts = false
    public static let helpText = "Probe module that sends ICMP echo requests to hosts.\nPayload of ICMP packets will consist of 8 bytes zero unless you customize it with\n    --probe-args=file:/path_to_payload_file\n    --probe-args=text:SomeText\n    --probe-args=hex:5061796c6f6164"
    public static var fields: [FieldDefinition] { ICMPEchoCore.fields }
    public let core: ICMPEchoCore

    public init(settings: ProbeSettings) throws { core = try ICMPEchoCore(family: .v4, settings: settings) }
    public static func informationText(forProbeArgs args: String) -> String? {
        args == "icmp-type-code-str" ? ICMPStrings.table(family: .v4) : nil
    }
    public var pcapFilter: String { "icmp and icmp[0]!=8" }
    public var snaplen: Int { 14 + 2 * (20 + 8) + core.payload.count }
}

/// `icmp_echo` for IPv6.
public struct ICMPEchoProbe6: CoreBackedProbe {
    public static let name = "icmp_echo"
    public static let family = IPFamily.v6
    public static let usesPorts = false
    public static let helpText = "Probe module that sends ICMPv6 echo requests to hosts.\nPayload of ICMPv6 packets will consist of 8 bytes zero unless you customize it with\n    --probe-args=file:/path_to_payload_file\n    --probe-args=text:SomeText\n    --probe-args=hex:5061796c6f6164"
    public static var fields: [FieldDefinition] { ICMPEchoCore.fields }
    public let core: ICMPEchoCore

    public init(settings: ProbeSettings) throws { core = try ICMPEchoCore(family: .v6, settings: settings) }
    public static func informationText(forProbeArgs args: String) -> String? {
        args == "icmp-type-code-str" ? ICMPStrings.table(family: .v6) : nil
    }
    public var pcapFilter: String { Self.filter }
    static let filter = "icmp6 && (ip6[40] == 129 || ip6[40] == 3 || ip6[40] == 1 || ip6[40] == 2 || ip6[40] == 4)"
    public var snaplen: Int { 14 + 2 * (40 + 8) + core.payload.count }
}
