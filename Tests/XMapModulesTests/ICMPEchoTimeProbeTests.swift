import Testing
import XMapCore
import XMapModules
import XMapTestSupport

/// `icmp_echo_time`: the timestamped echo request and the round-trip time of its reply.
@Suite struct ICMPEchoTimeProbeTests {
    typealias F = ProbeFixtures

    static func settings(_ f: IPFamily, seconds: UInt64, micros: UInt32) -> ProbeSettings {
        var s = F.settings(f)
        s.clock = { (seconds, micros) }
        return s
    }

    /// The module fields for reply `ip` received at `seconds`.`micros` (the engine sets the
    /// system fields before the module's).
    static func fields<P: ProbeModule>(_ p: P, _ ip: [UInt8], seconds: UInt64, micros: UInt64) -> [FieldValue] {
        let schema = RecordSchema(family: P.family, moduleFields: P.Fields.self)
        var record = Record(schema: schema)
        record[SystemField.timestampSeconds] = .int(seconds)
        record[SystemField.timestampMicros] = .int(micros)
        ip.withUnsafeBytes { b in
            let pkt = ReplyPacket(b)
            p.record(pkt, header: IPHeaderView(pkt, family: P.family)!, into: &record)
        }
        return Array(record.values[schema.moduleStart..<schema.systemStart])
    }

    @Test(
        "payload is ZMap's (time little-endian, then the target); the reply gives the RTT",
        arguments: [IPFamily.v4, .v6])
    func echo(_ f: IPFamily) throws {
        func check<P: ProbeModule>(_ p: P) {
            let ipLen = F.ipHeaderLength(f), src = F.source(f), dst = F.destination(f)
            let probe = F.build(p, port: 0)
            let icmp = Array(probe[ipLen...])
            let addr = IPAddress(family: f, value: dst).bytes
            #expect(icmp.count == 8 + 8 + addr.count)
            #expect(icmp[0] == f.echoRequestType && icmp[1] == 0)
            // 0x76543210 s, 999,999 µs
            #expect(Array(icmp[8..<16]) == [0x10, 0x32, 0x54, 0x76, 0x3F, 0x42, 0x0F, 0x00])
            #expect(Array(icmp[16...]) == addr)
            let sum =
                f == .v4 ? F.onesSum(icmp) : F.onesSum(F.pseudo(f, src, dst, proto: 58, length: icmp.count) + icmp)
            #expect(sum == 0xFFFF)
            var reply = F.reversed(probe, f)
            reply[ipLen] = f.echoReplyType
            #expect(F.validate(p, reply, ports: [])?.reportedSource == dst)
            // Received 1.5 ms later (crossing a second).
            let fields = Self.fields(p, reply, seconds: 0x7654_3211, micros: 1_499)
            #expect(fields[4] == .int(0x7654_3210) && fields[5] == .int(999_999))
            #expect(fields[6] == .int(0x7654_3211) && fields[7] == .int(1_499))
            #expect(fields[8] == .int(1_500))
            if f == .v4 {
                #expect(fields[9] == .int(0x0564_33C6))  // 198.51.100.5's bytes read little-endian
            } else {
                #expect(fields[9] == .binary(addr))
            }
            #expect(fields[10] == .string("echoreply") && fields[11] == .int(1))
            // A reply stamped after it arrived (clock step, forged): no RTT rather than a wrapped one.
            #expect(Self.fields(p, reply, seconds: 5, micros: 0)[8] == .null)
            // Wrong id: not ours.
            var wrong = reply
            wrong[ipLen + 4] ^= 0xFF
            #expect(F.validate(p, wrong, ports: []) == nil)
            // An ICMP error quoting the probe: the times come from the quote.
            let router: [UInt8] = f == .v4 ? [203, 0, 113, 9] : IPAddress("2001:db8:ffff::9")!.bytes
            let type: UInt8 = f == .v4 ? 11 : 3
            let err = F.icmpError(quoting: probe, f, router: router, src: src, type: type, code: 0)
            #expect(F.validate(p, err, ports: [])?.reportedSource == dst)
            let ef = Self.fields(p, err, seconds: 0x7654_3211, micros: 0)
            #expect(ef[0] == .int(UInt64(type)) && ef[4] == .int(0x7654_3210) && ef[8] == .int(1))
            #expect(ef[10] == .string("timxceed") && ef[11] == .int(0))
            // A quote cut before the payload: no times, but still a result.
            let short = F.icmpError(
                quoting: Array(probe[0..<(ipLen + 8)]), f, router: router, src: src, type: type, code: 0)
            #expect(F.validate(p, short, ports: []) != nil)
            let sf = Self.fields(p, short, seconds: 1, micros: 0)
            #expect(sf[4] == .null && sf[8] == .null && sf[9] == .null)
            for cut in 0..<reply.count { _ = F.validate(p, Array(reply[0..<cut]), ports: []) }
        }
        let s = Self.settings(f, seconds: 0x7654_3210, micros: 999_999)
        if f == .v4 {
            check(try ICMPEchoTimeProbe.V4(settings: s))
        } else {
            check(try ICMPEchoTimeProbe.V6(settings: s))
        }
    }
}
