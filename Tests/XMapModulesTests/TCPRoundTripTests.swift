import Testing
import XMapCore
import XMapModules
import XMapTestSupport

/// `rtt_us`: the send-time stamp in the sequence number, the echoed timestamp, and the TCP
/// modules with them on (and unchanged with them off).
@Suite struct TCPRoundTripTests {
    typealias F = ProbeFixtures
    /// The send time of every probe in these tests.
    static let sent: (seconds: UInt64, microseconds: UInt32) = (1_700_000_000, 250_000)

    static func settings(_ f: IPFamily, probeArgs: String? = nil, rtt: Bool = true) -> ProbeSettings {
        var s = F.settings(f, probeArgs: probeArgs)
        s.clock = { Self.sent }
        s.measuresRoundTrip = rtt
        s.describesFingerprint = rtt
        return s
    }

    @Test("stamps: 16 bits of 1.024 ms, the rest of the number kept; wrap-around")
    func stamps() {
        let stamp = TCPRoundTrip.stamp(seconds: 1, microseconds: 24)  // 1,000,024 µs = 976 units + 600 µs
        #expect(stamp == 976)
        #expect(TCPRoundTrip.stamped(0xABCD_1234, stamp) == 0xABCD_03D0)
        #expect(TCPRoundTrip.carries(0xABCD_FFFF, base: 0xABCD_1234))
        #expect(!TCPRoundTrip.carries(0xABCC_1234, base: 0xABCD_1234))
        #expect(TCPRoundTrip.stamp(of: 0xABCD_03D0) == 976)
        // 80 ms later (the unit is 1.024 ms: 78 units, within one unit of the truth).
        let rtt = TCPRoundTrip.micros(fromStamp: stamp, receivedSeconds: 1, receivedMicros: 80_024)
        #expect(rtt == 78 * 1024 || rtt == 79 * 1024)
        // Across the 16-bit wrap.
        let late = TCPRoundTrip.stamp(seconds: 67, microseconds: 108_863)  // unit 65535
        #expect(late == 0xFFFF)
        // 2,137 µs later, in unit 2 of the next cycle: three units, within one of the truth.
        #expect(TCPRoundTrip.micros(fromStamp: late, receivedSeconds: 67, receivedMicros: 111_000) == 3072)
        // Echoed microseconds.
        let ts = TCPRoundTrip.timestampValue(seconds: 5, microseconds: 7)
        #expect(TCPRoundTrip.micros(fromEcho: ts, receivedSeconds: 5, receivedMicros: 80_007) == 80_000)
        // An echo from the future is not ours.
        #expect(TCPRoundTrip.micros(fromEcho: ts &+ 5, receivedSeconds: 5, receivedMicros: 7) == nil)
        #expect(TCPRoundTrip.timestampOffset(in: TCPOptionLayout.linux.bytes(timestamp: 0)) == 8)
        #expect(TCPRoundTrip.timestampOffset(in: TCPOptionLayout.bsd.bytes(timestamp: 0)) == 12)
        #expect(TCPRoundTrip.timestampOffset(in: TCPOptionLayout.windows.bytes(timestamp: 0)) == nil)
    }

    /// The record of reply `ip` received at `received` µs after the send time.
    static func fields<P: ProbeModule>(_ p: P, _ ip: [UInt8], after micros: UInt64) -> [FieldValue] {
        let schema = RecordSchema(family: P.family, moduleFields: P.Fields.self)
        var r = Record(schema: schema)
        let now = UInt64(sent.microseconds) + micros
        r[SystemField.timestampSeconds] = .int(sent.seconds + now / 1_000_000)
        r[SystemField.timestampMicros] = .int(now % 1_000_000)
        ip.withUnsafeBytes { b in
            let pkt = ReplyPacket(b)
            p.record(pkt, header: IPHeaderView(pkt, family: P.family)!, into: &r)
        }
        return Array(r.values[schema.moduleStart..<schema.systemStart])
    }

    @Test("tcp_syn: a stamped sequence number validates, comes back in the SYN-ACK and gives rtt_us")
    func synStamped() throws {
        let p = try TCPSynProbe.V4(settings: Self.settings(.v4))
        let plain = try TCPSynProbe.V4(settings: Self.settings(.v4, rtt: false))
        let probe = F.build(p, port: 80), unstamped = F.build(plain, port: 80)
        let seq = TCPSynProbeTests.sequence(probe, .v4), base = TCPSynProbeTests.sequence(unstamped, .v4)
        #expect(
            seq
                == TCPRoundTrip.stamped(
                    base,
                    TCPRoundTrip.stamp(
                        seconds: Self.sent.seconds,
                        microseconds: Self.sent.microseconds)))
        #expect(seq != base)
        #expect(F.onesSum(F.pseudo(.v4, F.src4, F.dst4, proto: 6, length: 20) + Array(probe[20...])) == 0xFFFF)
        let synack = TCPSynProbeTests.reply(to: probe, .v4, flags: 0x12, ack: seq &+ 1)
        #expect(F.validate(p, synack) != nil)
        #expect(F.validate(plain, synack) == nil || seq == base)  // the unstamped module wants the exact number
        // Only the stamp's 16 bits are free: a wrong bit above them is rejected.
        let wrong = TCPSynProbeTests.reply(to: probe, .v4, flags: 0x12, ack: (seq ^ 0x0001_0000) &+ 1)
        #expect(F.validate(p, wrong) == nil)
        #expect(F.validate(p, TCPSynProbeTests.reply(to: probe, .v4, flags: 0x14, ack: seq &+ 1)) != nil)
        let fields = Self.fields(p, synack, after: 80_000)
        guard case .int(let rtt) = fields[12] else { Issue.record("rtt_us \(fields[12])"); return }
        #expect(rtt > 80_000 - 1024 && rtt < 80_000 + 1024)
        #expect(fields[13] == .string("4:64:0:*:29200,*:::0"))  // the probe's IP header turned around: no quirks
        // Off: no stamp, null fields, and the probe of old.
        #expect(F.build(plain, port: 80) == unstamped)
        #expect(Array(Self.fields(plain, synack, after: 80_000)[12...]) == [.null, .null])
    }

    @Test("tcp_syn with a timestamp option: the TSval is the send time and its echo gives rtt_us to the µs")
    func synEchoed() throws {
        let p = try TCPSynProbe.V4(settings: Self.settings(.v4, probeArgs: "linux"))
        let probe = F.build(p, port: 80)
        let tsval =
            UInt32(probe[20 + 28]) << 24 | UInt32(probe[20 + 29]) << 16 | UInt32(probe[20 + 30]) << 8
            | UInt32(probe[20 + 31])
        #expect(tsval == TCPRoundTrip.timestampValue(seconds: Self.sent.seconds, microseconds: Self.sent.microseconds))
        let seq = TCPSynProbeTests.sequence(probe, .v4)
        #expect(
            seq
                == TCPSynProbeTests.sequence(
                    F.build(try TCPSynProbe.V4(settings: Self.settings(.v4, rtt: false)), port: 80), .v4),
            "the sequence number is not stamped")
        // A SYN-ACK echoing the TSval (options: MSS, SACK permitted, timestamps, NOP, WS 7).
        var synack = TCPSynProbeTests.reply(to: Array(probe[0..<40]), .v4, flags: 0x12, ack: seq &+ 1)
        let options: [UInt8] =
            [2, 4, 5, 0xB4, 4, 2, 8, 10, 0, 0, 0, 9]
            + withUnsafeBytes(of: tsval.bigEndian, Array.init) + [1, 3, 3, 7]
        synack[32] = 0xA0
        synack += options
        synack[3] = UInt8(synack.count)
        #expect(F.validate(p, synack) != nil)
        let fields = Self.fields(p, synack, after: 80_123)
        #expect(fields[12] == .int(80_123))
        #expect(fields[13] == .string("4:64:0:1460:mss*20,7:mss,sok,ts,nop,ws::0"))
        // Without the echo there is no round trip.
        let bare = TCPSynProbeTests.reply(to: Array(probe[0..<40]), .v4, flags: 0x12, ack: seq &+ 1)
        #expect(Self.fields(p, bare, after: 80_123)[12] == .null)
    }

    @Test("tcp_synack: the stamp rides in both numbers; a RST returns it in its sequence number")
    func synAck() throws {
        let p = try TCPSynAckProbe.V6(settings: Self.settings(.v6))
        let probe = F.build(p, port: 443)
        let ourAck = UInt32(probe[48]) << 24 | UInt32(probe[49]) << 16 | UInt32(probe[50]) << 8 | UInt32(probe[51])
        let rst = TCPSynProbeTests.reply(to: probe, .v6, flags: 0x04, ack: 0, sport: 443, theirSeq: ourAck)
        let ctx = F.context(.v6, ports: [443])
        #expect(F.validate(p, rst, context: ctx) != nil)
        guard case .int(let rtt) = Self.fields(p, rst, after: 5_000)[11] else { Issue.record("no rtt_us"); return }
        #expect(rtt > 5_000 - 1024 && rtt < 5_000 + 1024)
        #expect(
            F.validate(
                p,
                TCPSynProbeTests.reply(
                    to: probe, .v6, flags: 0x04, ack: 0, sport: 443,
                    theirSeq: ourAck ^ 0x8000_0000), context: ctx) == nil)
    }

    @Test("tcp_scan: SYN-ACK, FIN-ACK and ACK acknowledge the stamped number plus 1 to 3")
    func scan() throws {
        let p = try TCPScanProbe.V4(settings: Self.settings(.v4))
        let probe = F.build(p, port: 80)
        let seq = TCPSynProbeTests.sequence(probe, .v4)
        for (flags, offset) in [(UInt8(0x12), UInt32(1)), (0x11, 2), (0x10, 3)] {
            #expect(F.validate(p, TCPSynProbeTests.reply(to: probe, .v4, flags: flags, ack: seq &+ offset)) != nil)
        }
        let wrong = TCPSynProbeTests.reply(to: probe, .v4, flags: 0x10, ack: (seq ^ 0x0100_0000) &+ 1)
        #expect(F.validate(p, wrong) == nil)
    }
}
