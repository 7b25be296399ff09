import XMapCore

/// What the TCP modules (`tcp_syn`, `tcp_scan`, `tcp_synack`) add for `rtt_us` and
/// `fingerprint`: the send time they stamp into probes (`TCPRoundTrip`), the checks that
/// accept a stamped number, and the two fields of a reply. Off unless the scan outputs or
/// filters on the fields (`ProbeSettings.measuresRoundTrip`, `describesFingerprint`): then
/// the probes and the checks are exactly what they were without it.
public struct TCPProbeTiming: Sendable {
    /// Whether probes carry their send time.
    public let measuresRoundTrip: Bool
    /// Whether SYN-ACKs get a fingerprint.
    public let describesFingerprint: Bool
    /// Where the TSval is, from the TCP header's start, when the probe's options hold a
    /// timestamp: then it carries the send time and the sequence number is left alone.
    public let timestampOffset: Int?
    @usableFromInline let clock: @Sendable () -> (seconds: UInt64, microseconds: UInt32)

    /// The timing of probes built from `settings` whose TCP options are `options`.
    public init(settings: ProbeSettings, options: [UInt8]) {
        measuresRoundTrip = settings.measuresRoundTrip
        describesFingerprint = settings.describesFingerprint
        timestampOffset = TCPRoundTrip.timestampOffset(in: options).map { 20 + $0 }
        clock = settings.clock
    }

    /// Whether the sequence (and acknowledgement) numbers carry the send time.
    @inlinable public var stampsSequence: Bool { measuresRoundTrip && timestampOffset == nil }

    /// `sequence` as a probe sends it: with the send time in its low bits when stamping.
    @inlinable @inline(__always)
    public func sequence(_ sequence: UInt32, stamp: UInt32) -> UInt32 {
        stampsSequence ? TCPRoundTrip.stamped(sequence, stamp) : sequence
    }

    /// The stamp for a probe sent now (0 when nothing is stamped, without reading the clock).
    @inlinable @inline(__always)
    public func stampNow() -> UInt32 {
        guard measuresRoundTrip else { return 0 }
        let now = clock()
        return timestampOffset == nil
            ? TCPRoundTrip.stamp(seconds: now.seconds, microseconds: now.microseconds)
            : TCPRoundTrip.timestampValue(seconds: now.seconds, microseconds: now.microseconds)
    }

    /// Writes the TSval of a probe whose TCP header is at `tcp` (before its checksum is taken).
    @inlinable @inline(__always)
    public func writeTimestamp(_ w: PacketWriter, tcp: Int, stamp: UInt32) {
        if measuresRoundTrip, let t = timestampOffset { w.u32(tcp + t, stamp) }
    }

    /// Writes probe `probe` of `segment` to `target` (`TCPSegment.finishProbe`), stamped with the
    /// send time when the scan measures round trips; returns the packet's length.
    @inlinable @inline(__always)
    public func finishProbe(
        _ segment: TCPSegment, _ buffer: UnsafeMutableRawPointer, source: UInt128,
        target: Target, probe: Int, validation v: AESBlock,
        acknowledgement: UInt32? = nil
    ) -> Int {
        guard measuresRoundTrip else {
            return segment.finishProbe(
                buffer, source: source, target: target, probe: probe, validation: v,
                acknowledgement: acknowledgement)
        }
        let stamp = stampNow()
        writeTimestamp(PacketWriter(buffer), tcp: segment.offset, stamp: stamp)
        return segment.finish(
            buffer, source: source, destination: target.address,
            sourcePort: ValidationValues.sourcePort(v, probe: probe, range: segment.sourcePorts),
            destinationPort: target.port,
            sequence: sequence(ValidationValues.tcpSequence(v), stamp: stamp),
            acknowledgement: acknowledgement.map { sequence($0, stamp: stamp) })
    }

    /// Whether `value` is `base` as a probe carried it (stamped or not).
    @inlinable public func matches(_ value: UInt32, _ base: UInt32) -> Bool {
        stampsSequence ? TCPRoundTrip.carries(value, base: base) : value == base
    }

    /// Whether `ack` acknowledges our SYN and at most our FIN (`tcp_scan`): seq < ack ≤ seq + 3.
    @inlinable public func acknowledgesConnection(_ ack: UInt32, _ seq: UInt32) -> Bool {
        guard stampsSequence else { return (1...3).contains(ack &- seq) }
        return matches(ack &- 1, seq) || matches(ack &- 2, seq) || matches(ack &- 3, seq)
    }

    /// `rtt_us` of a reply in record `r` (receive time set): from the echoed timestamp when the
    /// probe carried one, else from `stamped` (our number as the reply returns it); null when the
    /// scan does not measure it or the reply does not return it.
    public func roundTrip(_ p: ReplyPacket, tcp o: Int, stamped: UInt32?, record r: Record) -> FieldValue {
        guard measuresRoundTrip, let now = TCPRoundTrip.receiveTime(r) else { return .null }
        if timestampOffset != nil {
            guard let echo = TCPReceivedOptions(p, tcpHeaderAt: o).timestampEcho, echo != 0,
                let rtt = TCPRoundTrip.micros(
                    fromEcho: echo, receivedSeconds: now.seconds,
                    receivedMicros: now.micros)
            else { return .null }
            return .int(rtt)
        }
        guard let stamped else { return .null }
        return .int(
            TCPRoundTrip.micros(
                fromStamp: TCPRoundTrip.stamp(of: stamped), receivedSeconds: now.seconds,
                receivedMicros: now.micros))
    }

    /// `fingerprint` of a reply: the SYN-ACK's signature, null for other replies or when the
    /// scan does not output it.
    public func fingerprint(_ p: ReplyPacket, header h: IPHeaderView) -> FieldValue {
        guard describesFingerprint, let flags = p.u8(h.payloadOffset + 13), flags & TCPFlags.synAck == TCPFlags.synAck,
            flags & TCPFlags.rst == 0, let signature = TCPFingerprint(p, header: h)
        else { return .null }
        return .string(signature.description)
    }

    /// The definitions of the two fields.
    public static let roundTripField = FieldDefinition(
        "rtt_us", .int,
        "round-trip time in microseconds (from the echoed TCP timestamp, else from the send time "
            + "in the sequence number, 1.024 ms resolution); only when output or filtered on")
    public static let fingerprintField = FieldDefinition(
        "fingerprint", .string, "SYN-ACK signature ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass (p0f-like)")
}
