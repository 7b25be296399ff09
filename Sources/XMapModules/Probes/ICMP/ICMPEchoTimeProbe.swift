import XMapCore

/// `icmp_echo_time` (ZMap's module), IPv4 and IPv6: an echo request whose payload holds the
/// time it was built and the target's address, so the echo reply gives the round-trip time
/// without the scanner keeping any state. Payload: seconds and microseconds (32 bits each, in
/// little-endian order, as ZMap writes them on x86), then the target address (4 or 16 bytes).
public struct ICMPEchoTimeProbe: Probe {
    public static let name = "icmp_echo_time"
    public static let usesPorts = false

    /// The request every probe is: its payload is written per packet.
    public let request: ICMPEchoRequest
    @usableFromInline let clock: @Sendable () -> (seconds: UInt64, microseconds: UInt32)

    public var family: IPFamily { request.family }

    public init(family: IPFamily, settings: ProbeSettings) throws {
        clock = settings.clock
        if let a = settings.probeArgs, !a.isEmpty {
            throw XMapError("the icmp_echo_time module takes no --probe-args (got '\(a)')")
        }
        request = ICMPEchoRequest(family: family, ttl: settings.ttl, payloadLength: 8 + family.bytes)
    }

    /// Seconds, microseconds and the target address.
    @usableFromInline var payloadLength: Int { request.length - 8 }
    public var packetLength: Int { request.packetLength }
    public var pcapFilter: String { request.pcapFilter }
    public var snaplen: Int {
        family == .v4 ? EthernetHeader.length + 2 * (60 + 8) + 12 : EthernetHeader.length + 2 * (40 + 8) + 24
    }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) { request.writeTemplate(into: buffer) }

    @inlinable @inline(__always)
    public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation v: AESBlock, thread: inout Void
    ) -> Int {
        let w = PacketWriter(buffer)
        let o = request.offset
        request.start(buffer, source: source, destination: target.address, ttl: request.ttl, validation: v)
        let now = clock()
        w.u32(o + 8, UInt32(truncatingIfNeeded: now.seconds).byteSwapped)
        w.u32(o + 12, now.microseconds.byteSwapped)
        if family == .v4 {
            w.u32(o + 16, UInt32(truncatingIfNeeded: target.address))
        } else {
            for i in 0..<4 { w.u32(o + 16 + 4 * i, UInt32(truncatingIfNeeded: target.address >> (96 - 32 * i))) }
        }
        return request.finish(buffer, source: source, destination: target.address)
    }

    public func describe(packet f: UnsafeRawBufferPointer) -> String { request.describe(packet: f) }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context: ReplyContext) -> ValidReply? {
        switch request.answer(p, header: h, context: context) {
        case nil: return nil
        case .reply: return ValidReply(repeatKey: RepeatKey(address: h.source), reportedSource: h.source)
        case .error(let quote): return quote.reply(extra: 0)
        }
    }

    /// ZMap's classification of an ICMP type.
    func classification(_ type: UInt8) -> String {
        if type == family.echoReplyType { return "echoreply" }
        if family == .v4 {
            switch type {
            case 3: return "unreach"
            case 4: return "sourcequench"
            case 5: return "redirect"
            case 11: return "timxceed"
            default: return "other"
            }
        }
        switch type {
        case ICMPv6Type.unreachable: return "unreach"
        case ICMPv6Type.timeExceeded: return "timxceed"
        default: return "other"
        }
    }

    /// Reads the engine's receive time from the record's system fields (set before `record`).
    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        let o = h.payloadOffset
        let type = p.u8(o) ?? 0
        r[Field.type] = .int(UInt64(type))
        r[Field.code] = .int(UInt64(p.u8(o + 1) ?? 0))
        // The echo and its payload: the reply's own, or the probe an ICMP error quotes.
        var echo = p, at = o
        if type != family.echoReplyType,
            let q = ICMPErrorQuote(p, header: h, family: family, proto: family.icmpProtocol, transportBytes: 8)
        {
            echo = q.quoted
            at = q.inner.payloadOffset
        }
        r[Field.icmpID] = .int(UInt64(echo.u16(at + 4) ?? 0))
        r[Field.seq] = .int(UInt64(echo.u16(at + 6) ?? 0))
        let recvSeconds = r[SystemField.timestampSeconds].numeric, recvMicros = r[SystemField.timestampMicros].numeric
        r[Field.receivedSeconds] = recvSeconds.map { .int($0) } ?? .null
        r[Field.receivedMicros] = recvMicros.map { .int($0) } ?? .null
        if let s = echo.u32(at + 8), let u = echo.u32(at + 12), echo.count >= at + 8 + payloadLength {
            let sentSeconds = UInt64(s.byteSwapped), sentMicros = UInt64(u.byteSwapped)
            r[Field.sentSeconds] = .int(sentSeconds)
            r[Field.sentMicros] = .int(sentMicros)
            if let rs = recvSeconds, let ru = recvMicros, sentMicros < 1_000_000 {
                let sent = sentSeconds &* 1_000_000 &+ sentMicros, recv = rs &* 1_000_000 &+ ru
                r[Field.rtt] = recv >= sent ? .int(recv - sent) : .null
            }
            if family == .v4 {
                r[Field.destination] = .int(UInt64(echo.u32(at + 16)!.byteSwapped))
            } else {
                r[Field.destination] = .binary(echo.slice(from: at + 16, to: at + 32))
            }
        }
        r[Field.classification] = .string(classification(type))
        r[Field.success] = .int(type == family.echoReplyType ? 1 : 0)
    }

    public typealias Fields = Field

    /// ZMap's `icmp_echo_time` fields.
    public enum Field: Int, ModuleFields {
        case type, code, icmpID, seq, sentSeconds, sentMicros, receivedSeconds, receivedMicros, rtt, destination
        case classification, success

        public var definition: FieldDefinition {
            switch self {
            case .type: FieldDefinition("type", .int, "icmp message type")
            case .code: FieldDefinition("code", .int, "icmp message sub type code")
            case .icmpID: FieldDefinition("icmp_id", .int, "icmp id number")
            case .seq: FieldDefinition("seq", .int, "icmp sequence number")
            case .sentSeconds:
                FieldDefinition("sent_timestamp_ts", .int, "timestamp of sent probe in seconds since Epoch")
            case .sentMicros: FieldDefinition("sent_timestamp_us", .int, "microsecond part of sent timestamp")
            case .receivedSeconds:
                FieldDefinition("recv_timestamp_ts", .int, "timestamp of received reply in seconds since Epoch")
            case .receivedMicros: FieldDefinition("recv_timestamp_us", .int, "microsecond part of received timestamp")
            case .rtt:
                FieldDefinition("rtt_us", .int, "round-trip time in microseconds (received minus sent timestamp)")
            case .destination: FieldDefinition("dst_raw", .int, "raw destination IP address of sent probe")
            case .classification: FieldDefinition("classification", .string, "probe module classification")
            case .success: FieldDefinition("success", .int, "did probe module classify response as success")
            }
        }

        /// Over IPv6 the echoed destination is 16 bytes, reported as binary.
        public func definition(for family: IPFamily) -> FieldDefinition {
            self == .destination && family == .v6
                ? FieldDefinition("dst_raw", .binary, "destination IPv6 address of sent probe (16 bytes)") : definition
        }
    }

    public static func helpText(for family: IPFamily) -> String {
        """
        Probe module that sends ICMP echo requests carrying the time they were sent (ZMap's icmp_echo_time), so \
        that each echo reply gives the round-trip time (rtt_us, microseconds) without state. IPv4 and IPv6. The \
        payload is the send time (seconds and microseconds, 32 bits each) and the target's address (dst_raw). \
        Possible classifications are: echoreply (success), unreach, sourcequench, redirect, timxceed and other; \
        for ICMP errors the times come from the quoted probe, and saddr is the probed address. No --probe-args.
        """
    }
}
