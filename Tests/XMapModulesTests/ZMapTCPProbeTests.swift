import Testing
import XMapCore
import XMapModules
import XMapTestSupport

/// ZMap's TCP additions: `tcp_syn --probe-args=OS` option layouts, the `tcpopt_*` fields, and
/// the `tcp_synack` module.
@Suite struct ZMapTCPProbeTests {
    typealias F = ProbeFixtures

    static func settings(_ f: IPFamily, _ args: String?, seconds: UInt64 = 0x6B0E_B02D) -> ProbeSettings {
        var s = F.settings(f, probeArgs: args)
        s.clock = { (seconds, 0) }
        return s
    }

    @Test("each OS layout is ZMap's, byte for byte, with ZMap's frame sizes", arguments: [IPFamily.v4, .v6])
    func layouts(_ f: IPFamily) throws {
        let ts: [UInt8] = [0x6B, 0x0E, 0xB0, 0x2D, 0, 0, 0, 0]
        let expected: [(String?, [UInt8], Int)] = [
            (nil, [], 54),
            ("windows", [2, 4, 5, 0xB4, 1, 3, 3, 8, 1, 1, 4, 2], 66),
            ("linux", [2, 4, 5, 0xB4, 4, 2, 8, 10] + ts + [1, 3, 3, 7], 74),
            ("bsd", [2, 4, 5, 0xB4, 1, 3, 3, 6, 1, 1, 8, 10] + ts + [4, 2, 0, 0], 78),
            ("smallest-probes", [2, 4, 5, 0xB4], 58)
        ]
        let ipLen = F.ipHeaderLength(f)
        for (args, options, frame) in expected {
            let probe =
                f == .v4
                ? F.build(try TCPSynProbe.V4(settings: Self.settings(f, args)), port: 80)
                : F.build(try TCPSynProbe.V6(settings: Self.settings(f, args)), port: 80)
            // ZMap's frame sizes are for IPv4 with Ethernet; IPv6 adds 20 bytes of IP header.
            #expect(probe.count + 14 == frame + (f == .v6 ? 20 : 0), "\(args ?? "none")")
            let tcp = Array(probe[ipLen...])
            #expect(Int(tcp[12] >> 4) * 4 == 20 + options.count)
            #expect(Array(tcp[20...]) == options, "\(args ?? "none")")
            #expect(tcp[13] == 0x02 && Array(tcp[14..<16]) == [0xFF, 0xFF])
            let src = F.source(f), dst = F.destination(f)
            #expect(F.onesSum(F.pseudo(f, src, dst, proto: 6, length: tcp.count) + tcp) == 0xFFFF)
            if f == .v4 {
                #expect(Int(probe[2]) << 8 | Int(probe[3]) == probe.count)
                #expect(F.onesSum(Array(probe[0..<20])) == 0xFFFF)
            } else {
                #expect(Int(probe[4]) << 8 | Int(probe[5]) == tcp.count)
            }
        }
    }

    /// The option fields `tcp_syn` reports for a SYN-ACK carrying `options`.
    static func optionFields(_ options: [UInt8], dataOffset: Int? = nil, cut: Int = 0) throws -> [FieldValue] {
        let p = try TCPSynProbe.V4(settings: F.settings(.v4))
        let probe = F.build(p, port: 80)
        let seq = TCPSynProbeTests.sequence(probe, .v4)
        var r = TCPSynProbeTests.reply(to: probe, .v4, flags: 0x12, ack: seq &+ 1) + options
        r[32] = UInt8(dataOffset ?? (20 + options.count) / 4) << 4
        r[2] = UInt8(r.count >> 8); r[3] = UInt8(r.count & 0xFF)
        r.removeLast(cut)
        #expect(F.validate(p, r) != nil)
        return Array(F.fields(p, r)[5..<10])
    }

    @Test("tcpopt_* fields: values, 2^shift, EOL and NOP skipped, last wins, malformed options end the walk")
    func receivedOptions() throws {
        // A Linux SYN-ACK: MSS 1460, SACK permitted, timestamps, NOP, window scale 7.
        let linux: [UInt8] = [2, 4, 5, 0xB4, 4, 2, 8, 10, 0, 0, 1, 0, 0x6B, 0x0E, 0xB0, 0x2D, 1, 3, 3, 7]
        #expect(try Self.optionFields(linux) == [.int(1460), .int(128), .int(1), .int(256), .int(0x6B0E_B02D)])
        #expect(try Self.optionFields([]) == [.null, .null, .null, .null, .null])
        // EOL does not stop the walk (ZMap's reading); zero padding is more EOLs.
        #expect(try Self.optionFields([0, 0, 3, 3, 0, 0, 0, 0]) == [.null, .int(1), .null, .null, .null])
        // A repeated option: the last one wins. Shifts beyond 63 report 2^63.
        #expect(try Self.optionFields([2, 4, 0, 1, 2, 4, 0, 2]) == [.int(2), .null, .null, .null, .null])
        #expect(try Self.optionFields([3, 3, 200, 0]) == [.null, .int(1 << 63), .null, .null, .null])
        // A known option with a wrong length ends the walk, keeping what was read.
        #expect(
            try Self.optionFields([2, 4, 5, 0xB4, 3, 4, 7, 0, 4, 2, 0, 0]) == [.int(1460), .null, .null, .null, .null])
        // Length 0 or 1, or an option running past the header, ends it too.
        #expect(try Self.optionFields([4, 2, 9, 1, 2, 4, 5, 0xB4]) == [.null, .null, .int(1), .null, .null])
        #expect(try Self.optionFields([4, 2, 2, 4, 5, 0xB4, 8, 10]) == [.int(1460), .null, .int(1), .null, .null])
        // Unknown kinds are skipped by their length.
        #expect(try Self.optionFields([30, 4, 1, 2, 2, 4, 0, 9]) == [.int(9), .null, .null, .null, .null])
        // A data offset claiming more than was captured: only the captured bytes are read.
        #expect(try Self.optionFields([2, 4, 5, 0xB4], dataOffset: 15) == [.int(1460), .null, .null, .null, .null])
        #expect(
            try Self.optionFields([2, 4, 5, 0xB4, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2], dataOffset: 15, cut: 2)
                == [.int(1460), .null, .null, .null, .null])
        // A data offset below 5: no options.
        #expect(try Self.optionFields([2, 4, 5, 0xB4], dataOffset: 4) == [.null, .null, .null, .null, .null])
    }

    @Test(
        "tcp_synack: SYN-ACK with MSS; RST and SYN-ACK replies are successes; ICMP errors quoting it fail",
        arguments: [IPFamily.v4, .v6])
    func synack(_ f: IPFamily) throws {
        func check<P: ProbeModule>(_ p: P) {
            let ipLen = F.ipHeaderLength(f), src = F.source(f), dst = F.destination(f)
            let probe = F.build(p, port: 443)
            let tcp = Array(probe[ipLen...])
            #expect(tcp.count == 24 && tcp[12] == 0x60 && tcp[13] == 0x12 && Array(tcp[20...]) == [2, 4, 5, 0xB4])
            #expect(probe.count + 14 == (f == .v4 ? 58 : 78))
            #expect(F.onesSum(F.pseudo(f, src, dst, proto: 6, length: 24) + tcp) == 0xFFFF)
            let seq = TCPSynProbeTests.sequence(probe, f)
            let ack = UInt32(tcp[8]) << 24 | UInt32(tcp[9]) << 16 | UInt32(tcp[10]) << 8 | UInt32(tcp[11])
            #expect(seq != ack)
            func reply(_ flags: UInt8, ack a: UInt32, seq s: UInt32, sport: UInt16 = 443) -> [UInt8] {
                TCPSynProbeTests.reply(to: probe, f, flags: flags, ack: a, sport: sport, theirSeq: s)
            }
            let ctx = F.context(f, ports: [443])
            // RST: seq = our ack (RFC 9293), or our ack + 1, or ack = our seq + 1.
            for r in [
                reply(0x04, ack: 0, seq: ack), reply(0x04, ack: 0, seq: ack &+ 1), reply(0x14, ack: seq &+ 1, seq: 7)
            ] {
                #expect(F.validate(p, r, context: ctx)?.repeatKey == RepeatKey(address: dst, extra: 443))
                let fields = F.fields(p, r)
                #expect(fields[5] == .string("rst") && fields[6] == .bool(true))
                #expect(fields[7...].allSatisfy { $0 == .null })
            }
            #expect(F.validate(p, reply(0x04, ack: 0, seq: ack &+ 2), context: ctx) == nil)
            #expect(F.validate(p, reply(0x04, ack: 0, seq: ack), context: F.context(f, ports: [80])) == nil)
            let sa = reply(0x12, ack: seq &+ 1, seq: 99)
            #expect(F.validate(p, sa, context: ctx) != nil)
            #expect(F.fields(p, sa)[5] == .string("synack") && F.fields(p, sa)[6] == .bool(true))
            #expect(F.validate(p, reply(0x12, ack: seq, seq: 99), context: ctx) == nil)
            #expect(F.validate(p, reply(0x10, ack: seq &+ 1, seq: 99), context: ctx) == nil)  // bare ACK
            // ICMP error quoting the probe (only 8 bytes of TCP quoted is enough).
            let router: [UInt8] = f == .v4 ? [203, 0, 113, 9] : IPAddress("2001:db8:ffff::9")!.bytes
            let type: UInt8 = f == .v4 ? 3 : 1
            let err = F.icmpError(
                quoting: Array(probe[0..<(ipLen + 8)]), f, router: router, src: src, type: type, code: 1)
            let v = F.validate(p, err, context: ctx)
            #expect(v?.reportedSource == dst)
            let fields = F.fields(p, err)
            #expect(fields[5] == .string("icmp") && fields[6] == .bool(false))
            #expect(fields[7] == .address(router.withUnsafeBytes { IPAddress(family: f, bytes: $0) }))
            #expect(fields[8] == .int(UInt64(type)) && fields[9] == .int(1))
            #expect(fields[10] == .string(f == .v4 ? "host unreachable" : "communication admin prohibited"))
            // A quote whose sequence number is not ours is not ours.
            var forged = Array(probe[0..<(ipLen + 8)])
            forged[ipLen + 4] ^= 1
            #expect(
                F.validate(
                    p, F.icmpError(quoting: forged, f, router: router, src: src, type: type, code: 1), context: ctx)
                    == nil)
            for cut in 0..<err.count { _ = F.validate(p, Array(err[0..<cut]), context: ctx) }
        }
        if f == .v4 {
            check(try TCPSynAckProbe.V4(settings: F.settings(f)))
        } else {
            check(try TCPSynAckProbe.V6(settings: F.settings(f)))
        }
        #expect(throws: XMapError.self) { try TCPSynAckProbe.V4(settings: F.settings(.v4, probeArgs: "x")) }
    }
}
