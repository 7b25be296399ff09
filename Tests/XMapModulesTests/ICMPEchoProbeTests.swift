import Testing
import XMapCore
import XMapModules
import XMapTestSupport

/// `icmp_echo` (IPv4 and IPv6), `icmp_echo_gw` and `icmp_echo_tmxd`: packets byte by byte with
/// independent checksums, then replies and errors as hosts and routers send them.
@Suite struct ICMPEchoProbeTests {
    typealias F = ProbeFixtures

    func module(_ f: IPFamily, probeArgs: String? = nil) throws -> any ProbeModule {
        f == .v4
            ? try ICMPEchoProbe.V4(settings: F.settings(f, probeArgs: probeArgs))
            : try ICMPEchoProbe.V6(settings: F.settings(f, probeArgs: probeArgs))
    }

    @Test("echo request: layout and checksums", arguments: [IPFamily.v4, .v6])
    func layout(_ f: IPFamily) throws {
        func check<P: ProbeModule>(_ p: P) {
            let src = F.source(f), dst = F.destination(f), ipLen = F.ipHeaderLength(f)
            let ip = F.build(p, port: 0)
            #expect(ip.count == ipLen + 16)
            let icmp = Array(ip[ipLen...])
            if f == .v4 {
                #expect(ip[0] == 0x45 && ip[8] == 64 && ip[9] == 1)
                #expect(Array(ip[4..<6]) == [0xD4, 0x31])  // XMap's fixed IP ID 54321
                #expect(F.onesSum(Array(ip[0..<20])) == 0xFFFF)
                #expect(icmp[0] == 8)
                #expect(F.onesSum(icmp) == 0xFFFF)
            } else {
                #expect(ip[0] == 0x60 && ip[6] == 58 && ip[7] == 64)
                #expect(icmp[0] == 128)
                #expect(F.onesSum(F.pseudo(.v6, src, dst, proto: 58, length: icmp.count) + icmp) == 0xFFFF)
            }
            #expect(Array(icmp[8...]) == [UInt8](repeating: 0, count: 8))
            // Identifier/sequence: XMap's raw little-endian store of v0<<8|v1 and v2<<8|v3.
            let v = Validator(key: F.key, family: f).block(src: src, dst: dst, port: 0)
            #expect(Array(icmp[4..<8]) == [v[1], v[0], v[3], v[2]])
        }
        check(try module(f))
    }

    @Test("echo replies validate; tampering, errors and truncation are handled", arguments: [IPFamily.v4, .v6])
    func replies(_ f: IPFamily) throws {
        func check<P: ProbeModule>(_ p: P) {
            let src = F.source(f), dst = F.destination(f), ipLen = F.ipHeaderLength(f)
            let probe = F.build(p, port: 0)
            var reply = F.reversed(probe, f)
            reply[ipLen] = f == .v4 ? 0 : 129
            #expect(F.validate(p, reply)?.reportedSource == dst)
            let vals = F.fields(p, reply)
            #expect(vals[0] == .int(1) && vals[1] == .string("echoreply"))
            // Wrong identifier: not ours.
            var forged = reply
            forged[ipLen + 4] ^= 0x01
            #expect(F.validate(p, forged) == nil)
            // A reply from an address we did not probe.
            var other = reply
            other[f == .v4 ? 15 : 23] ^= 0x10
            if f == .v4 { other[10] = 0; other[11] = 0 }
            #expect(F.validate(p, other) == nil)
            // Host unreachable from a router, quoting our probe: valid, reported as the target.
            let router: [UInt8] = f == .v4 ? [198, 51, 100, 250] : IPAddress("2001:db8:ffff::2")!.bytes
            let err = F.icmpError(
                quoting: probe, f, router: router, src: src, type: f == .v4 ? 3 : 1, code: f == .v4 ? 1 : 3)
            #expect(F.validate(p, err)?.reportedSource == dst)
            let ef = F.fields(p, err)
            #expect(ef[1] == .string("unreach"))
            #expect(ef[2] == .string(f == .v4 ? "host unreachable" : "addr unreach"))
            #expect(ef[7] == .address(router.withUnsafeBytes { IPAddress(family: f, bytes: $0) }))
            // Every truncation of a valid reply or error is rejected or parsed without crashing.
            for cut in 0..<err.count { _ = F.validate(p, Array(err[0..<cut])) }
            for cut in 0..<reply.count { _ = F.validate(p, Array(reply[0..<cut])) }
        }
        check(try module(f))
    }

    @Test("icmp_echo_gw and icmp_echo_tmxd: inverted and Time Exceeded success, per-probe hop limit")
    func variants() throws {
        func exchange<P: ProbeModule>(
            _ p: P, probe n: Int, errorType: UInt8
        )
            -> (hopLimit: UInt8, reply: [FieldValue], error: [FieldValue], errorKey: RepeatKey?)
        {
            let probe = F.build(p, port: 0, probe: n)
            var reply = F.reversed(probe, .v6)
            reply[40] = 129
            #expect(F.validate(p, reply) != nil)
            let err = F.icmpError(
                quoting: probe, .v6, router: IPAddress("2001:db8:ffff::2")!.bytes, src: F.src6,
                type: errorType, code: 0)
            return (probe[7], F.fields(p, reply), F.fields(p, err), F.validate(p, err)?.repeatKey)
        }
        let gw = try ICMPEchoGatewayProbe.V6(settings: F.settings(.v6))
        let g = exchange(gw, probe: 1, errorType: 1)
        #expect(g.hopLimit == 64)
        #expect(g.reply[0] == .int(0) && g.error[0] == .int(1) && g.error[1] == .string("unreach"))
        let tm = try ICMPEchoTimeExceededProbe.V6(settings: F.settings(.v6))
        let t0 = exchange(tm, probe: 0, errorType: 3), t1 = exchange(tm, probe: 1, errorType: 3)
        #expect(t0.hopLimit == 64 && t1.hopLimit == 63)
        #expect(t1.reply[0] == .int(0) && t1.error[0] == .int(1) && t1.error[1] == .string("timexceed"))
        #expect(t1.errorKey?.extra == 3)
        #expect(exchange(tm, probe: 0, errorType: 1).error[0] == .int(0))  // unreachable: not a loop
    }

    @Test("--probe-args: text and hex payloads; bad forms and missing files are errors")
    func payloads() throws {
        #expect(try module(.v4, probeArgs: "hex:0a0B").packetLength == 20 + 8 + 2)
        #expect(try module(.v4, probeArgs: "text:hello").packetLength == 20 + 8 + 5)
        let files = InMemoryFiles(["/p": [1, 2, 3]])
        #expect(
            try ICMPEchoProbe.V6(settings: F.settings(.v6, probeArgs: "file:/p", files: files)).packetLength == 40 + 8
                + 3)
        for bad in ["hex:abc", "hex:zz", "bogus:1", "file:/nonexistent/payload"] {
            #expect(throws: XMapError.self, "\(bad)") { try module(.v4, probeArgs: bad) }
        }
        #expect(throws: XMapError.self) { try module(.v6, probeArgs: "text:" + String(repeating: "x", count: 1453)) }
    }

    @Test("the type/code table is printed for icmp-type-code-str")
    func information() {
        #expect(ICMPEchoProbe.V4.informationText(forProbeArgs: "icmp-type-code-str")?.contains("unreach") == true)
        #expect(ICMPEchoProbe.V4.informationText(forProbeArgs: "text:x") == nil)
    }
}
