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
    /// TTL / hop limit of every probe (`--probe-ttl`).
    public let ttl: UInt8
    public let payload: [UInt8]
    public let variant: Variant

    public init(family: IPFamily, settings: ProbeSettings, variant: Variant = .echo) throws {
        self.family = family
        ttl = settings.ttl
        self.variant = variant
        let limit = family == .v4 ? 1500 - 20 - 8 : 1500 - 40 - 8
        payload = try PayloadArgument.parse(settings.probeArgs, defaultPayload: [UInt8](repeating: 0, count: 8),
                                            limit: limit, module: "ICMP", files: settings.files)
    }

    @usableFromInline var icmpOffset: Int { FrameLayout.ipHeader(family) }
    public var packetLength: Int { icmpOffset + 8 + payload.count }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        if family == .v4 {
            FrameLayout.writeIPv4(w, at: 0, protocol: IPProtocol.icmp, payloadLength: 8 + payload.count, ttl: ttl)
            w.u8(icmpOffset, ICMPType.echoRequest)
        } else {
            FrameLayout.writeIPv6(w, at: 0, nextHeader: IPProtocol.icmpv6, payloadLength: 8 + payload.count, hopLimit: ttl)
            w.u8(icmpOffset, ICMPv6Type.echoRequest)
        }
        payload.withUnsafeBytes { (buffer + icmpOffset + 8).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    @inlinable @inline(__always)
    public func makePacket(into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
                           validation: AESBlock, thread: inout Void) -> Int {
        let w = PacketWriter(buffer)
        let o = icmpOffset
        let ttl = variant == .timeExceeded ? self.ttl &- UInt8(truncatingIfNeeded: probe) : self.ttl
        FrameLayout.finishIP(w, at: 0, family: family, src: source, dst: target.address, ttl: ttl)
        w.u16(o + 2, 0)
        w.u16(o + 4, ValidationValues.icmpIdentifier(validation))
        w.u16(o + 6, ValidationValues.icmpSequence(validation))
        let len = 8 + payload.count
        w.u16(o + 2, FrameLayout.icmpChecksum(buffer + o, length: len, family: family, src: source, dst: target.address))
        return o + len
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        DryRunFormat.ip(f, at: 0, family: family)
            + DryRunFormat.icmpEcho(f, at: icmpOffset, title: family == .v4 ? "ICMP" : "ICMPv6")
    }

    var echoReply: UInt8 { family.echoReplyType }
    var echoRequest: UInt8 { family.echoRequestType }

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
}

/// `icmp_echo` for IPv4.
public struct ICMPEchoProbe4: CoreBackedProbe {
    public static let name = "icmp_echo"
    public static let family = IPFamily.v4
    public static let usesPorts = false
    public static let helpText = "Probe module that sends ICMP echo requests to hosts.\nPayload of ICMP packets will consist of 8 bytes zero unless you customize it with\n    --probe-args=file:/path_to_payload_file\n    --probe-args=text:SomeText\n    --probe-args=hex:5061796c6f6164"
    public let core: ICMPEchoCore

    public init(settings: ProbeSettings) throws { core = try ICMPEchoCore(family: .v4, settings: settings) }
    public static func informationText(forProbeArgs args: String) -> String? {
        args == "icmp-type-code-str" ? ICMPStrings.table(family: .v4) : nil
    }
    public var pcapFilter: String { "icmp and icmp[0]!=8" }
    public var snaplen: Int { EthernetHeader.length + 2 * (20 + 8) + core.payload.count }
}

/// `icmp_echo` for IPv6.
public struct ICMPEchoProbe6: CoreBackedProbe {
    public static let name = "icmp_echo"
    public static let family = IPFamily.v6
    public static let usesPorts = false
    public static let helpText = "Probe module that sends ICMPv6 echo requests to hosts.\nPayload of ICMPv6 packets will consist of 8 bytes zero unless you customize it with\n    --probe-args=file:/path_to_payload_file\n    --probe-args=text:SomeText\n    --probe-args=hex:5061796c6f6164"
    public let core: ICMPEchoCore

    public init(settings: ProbeSettings) throws { core = try ICMPEchoCore(family: .v6, settings: settings) }
    public static func informationText(forProbeArgs args: String) -> String? {
        args == "icmp-type-code-str" ? ICMPStrings.table(family: .v6) : nil
    }
    public var pcapFilter: String { Self.filter }
    static let filter = "icmp6 && (ip6[40] == 129 || ip6[40] == 3 || ip6[40] == 1 || ip6[40] == 2 || ip6[40] == 4)"
    public var snaplen: Int { EthernetHeader.length + 2 * (40 + 8) + core.payload.count }
}
