import Testing
import XMapCore
import XMapModules
import XMapTestSupport

/// `tcp_syn` (IPv4 and IPv6): the SYN byte by byte, SYN-ACK and RST validation.
@Suite struct TCPSynProbeTests {
    typealias F = ProbeFixtures

    /// A TCP reply to `probe` with the given flags, acknowledgement and source port.
    static func reply(
        to probe: [UInt8], _ f: IPFamily, flags: UInt8, ack: UInt32, sport replySport: UInt16 = 80,
        theirSeq: UInt32 = 0x1234_5678
    ) -> [UInt8] {
        let ipLen = F.ipHeaderLength(f)
        var r = F.reversed(probe, f)
        let ourPort = Array(probe[ipLen..<(ipLen + 2)])
        let t: [UInt8] =
            [UInt8(replySport >> 8), UInt8(replySport & 0xFF)] + ourPort
            + withUnsafeBytes(of: theirSeq.bigEndian, Array.init) + withUnsafeBytes(of: ack.bigEndian, Array.init)
            + [0x50, flags, 0x72, 0x10, 0, 0, 0, 0]
        r.replaceSubrange(ipLen..<(ipLen + 20), with: t)
        return r
    }

    static func sequence(_ probe: [UInt8], _ f: IPFamily) -> UInt32 {
        let o = F.ipHeaderLength(f) + 4
        return UInt32(probe[o]) << 24 | UInt32(probe[o + 1]) << 16 | UInt32(probe[o + 2]) << 8 | UInt32(probe[o + 3])
    }

    @Test("layout, checksum, SYN-ACK and RST validation", arguments: [IPFamily.v4, .v6])
    func syn(_ f: IPFamily) throws {
        func check<P: ProbeModule>(_ p: P) {
            let src = F.source(f), dst = F.destination(f), ipLen = F.ipHeaderLength(f)
            let probe = F.build(p, port: 80)
            let tcp = Array(probe[ipLen...])
            #expect(tcp.count == 20)
            #expect(tcp[13] == 0x02 && tcp[12] == 0x50 && Array(tcp[14..<16]) == [0xFF, 0xFF])
            #expect(Array(tcp[2..<4]) == [0, 80])
            #expect(F.onesSum(F.pseudo(f, src, dst, proto: 6, length: 20) + tcp) == 0xFFFF)
            let sport = UInt16(tcp[0]) << 8 | UInt16(tcp[1])
            #expect((40000...40099).contains(sport))
            let seq = Self.sequence(probe, f)
            func reply(flags: UInt8, ack: UInt32, sport: UInt16 = 80) -> [UInt8] {
                Self.reply(to: probe, f, flags: flags, ack: ack, sport: sport)
            }
            let synack = reply(flags: 0x12, ack: seq &+ 1)
            #expect(F.validate(p, synack)?.repeatKey == RepeatKey(address: dst, extra: 80))
            #expect(
                F.fields(p, synack) == [
                    .int(80), .int(UInt64(sport)), .int(0x1234_5678), .int(UInt64(seq &+ 1)),
                    .int(0x7210), .null, .null, .null, .null, .null, .string("synack"),
                    .bool(true), .null, .null
                ])
            #expect(F.validate(p, reply(flags: 0x12, ack: seq)) == nil)  // wrong ack
            #expect(F.validate(p, reply(flags: 0x12, ack: seq &+ 2)) == nil)
            #expect(F.validate(p, reply(flags: 0x10, ack: seq &+ 1)) == nil)  // bare ACK
            #expect(F.validate(p, reply(flags: 0x12, ack: seq &+ 1, sport: 81)) == nil)  // port we did not probe
            #expect(F.validate(p, reply(flags: 0x04, ack: seq)) != nil)  // RST, ack = seq
            #expect(F.validate(p, reply(flags: 0x14, ack: seq &+ 1)) != nil)  // RST+ACK
            #expect(F.fields(p, reply(flags: 0x14, ack: seq &+ 1))[10] == .string("rst"))
            for cut in 0..<synack.count { _ = F.validate(p, Array(synack[0..<cut])) }
        }
        if f == .v4 {
            check(try TCPSynProbe.V4(settings: F.settings(f)))
        } else {
            check(try TCPSynProbe.V6(settings: F.settings(f)))
        }
    }

    @Test("--probe-args names an OS layout; anything else is ZMap's error")
    func arguments() {
        #expect(
            throws: XMapError(
                "unknown probe-args value: x, probe-args should have format: \"--probe-args=os\" where os can be "
                    + "\"smallest-probes\", \"bsd\", \"windows\", and \"linux\""
            )
        ) {
            try TCPSynProbe.V4(settings: F.settings(.v4, probeArgs: "x"))
        }
        #expect(throws: XMapError.self) { try TCPSynProbe.V4(settings: F.settings(.v4, probeArgs: "none")) }
        #expect(throws: XMapError.self) { try TCPSynProbe.V4(settings: F.settings(.v4, probeArgs: "Windows")) }
        #expect(throws: XMapError("the tcp_scan module takes no --probe-args (got 'linux')")) {
            try TCPScanProbe.V4(settings: F.settings(.v4, probeArgs: "linux"))
        }
    }
}
