import Testing
import XMapCore
import XMapModules
import XMapTestSupport

/// The `udp` module: payload forms, layout and checksum, UDP replies and ICMP errors.
@Suite struct UDPProbeTests {
    typealias F = ProbeFixtures

    func check<P: ProbeModule>(_ p: P, payload: [UInt8]) {
        let f = P.family
        let src = F.source(f), dst = F.destination(f), ipLen = F.ipHeaderLength(f)
        let probe = F.build(p, port: 80)
        let udp = Array(probe[ipLen...])
        #expect(udp.count == 8 + payload.count)
        #expect(Array(udp[8...]) == payload)
        #expect(Int(udp[4]) << 8 | Int(udp[5]) == udp.count)
        #expect(Array(udp[2..<4]) == [0, 80])
        #expect(F.onesSum(F.pseudo(f, src, dst, proto: 17, length: udp.count) + udp) == 0xFFFF)
        if f == .v4 {
            #expect(F.onesSum(Array(probe[0..<20])) == 0xFFFF && Int(probe[2]) << 8 | Int(probe[3]) == probe.count)
        }
        let sport = UInt16(udp[0]) << 8 | UInt16(udp[1])
        #expect((40000...40099).contains(sport))

        // A UDP answer: ports swapped, some payload.
        func answer(from port: UInt16 = 80, to ourPort: UInt16? = nil) -> [UInt8] {
            var r = Array(F.reversed(probe, f)[0..<ipLen])
            let to = ourPort ?? sport
            r += [UInt8(port >> 8), UInt8(port & 0xFF), UInt8(to >> 8), UInt8(to & 0xFF), 0, 11, 0, 0, 1, 2, 3]
            if f == .v4 { r[2] = 0; r[3] = UInt8(r.count) } else { r[4] = 0; r[5] = 11 }
            return r
        }
        #expect(F.validate(p, answer())?.repeatKey == RepeatKey(address: dst, extra: 80))
        #expect(
            F.fields(p, answer()) == [
                .bool(true), .string("udp"), .int(80), .int(UInt64(sport)), .null, .null,
                .null, .null, .int(11), .binary([1, 2, 3])
            ])
        #expect(F.validate(p, answer(from: 81)) == nil)  // a port we did not probe
        let otherPort = sport == 40099 ? 40000 : sport + 1
        #expect(F.validate(p, answer(to: otherPort)) == nil)  // not our source port
        // ZMap's --validate-source-port=disable accepts a reply to any port.
        #expect(F.validate(p, answer(to: otherPort), context: F.context(f, validateSourcePort: false)) != nil)

        // An ICMP port unreachable from a router, quoting the probe.
        let router = f == .v4 ? IPAddress(family: .v4, value: 0xC000_02FE) : IPAddress("2001:db8:ffff::fe")!
        let error = F.icmpError(
            quoting: probe, f, router: router.bytes, src: src, type: f == .v4 ? 3 : 1, code: f == .v4 ? 3 : 4)
        let valid = F.validate(p, error)
        #expect(valid?.reportedSource == dst)
        #expect(valid?.repeatKey == RepeatKey(address: router.value, extra: 80))
        #expect(
            F.fields(p, error) == [
                .bool(false), .string("unreach"), .int(80), .int(UInt64(sport)), .address(router),
                .int(f == .v4 ? 3 : 1), .int(f == .v4 ? 3 : 4),
                .string(f == .v4 ? "port unreachable" : "port unreach"), .null, .null
            ])
        for cut in 0..<error.count { _ = F.validate(p, Array(error[0..<cut])) }
    }

    @Test("default payload: layout, checksum, replies and ICMP errors", arguments: [IPFamily.v4, .v6])
    func defaultPayload(_ f: IPFamily) throws {
        if f == .v4 {
            check(try UDPProbe.V4(settings: F.settings(f)), payload: UDPProbe.defaultPayload)
        } else {
            check(try UDPProbe.V6(settings: F.settings(f)), payload: UDPProbe.defaultPayload)
        }
    }

    @Test("text:, hex: and file: payloads; bad forms are errors")
    func payloadForms() throws {
        check(try UDPProbe.V4(settings: F.settings(.v4, probeArgs: "text:ping")), payload: Array("ping".utf8))
        check(try UDPProbe.V4(settings: F.settings(.v4, probeArgs: "hex:00ff10")), payload: [0, 0xFF, 0x10])
        let files = InMemoryFiles(["/payload": [9, 8, 7]])
        check(try UDPProbe.V6(settings: F.settings(.v6, probeArgs: "file:/payload", files: files)), payload: [9, 8, 7])
        for bad in ["hex:abc", "nope", "file:/nonexistent/payload", "template:/nonexistent"] {
            #expect(throws: XMapError.self, "\(bad)") { try UDPProbe.V4(settings: F.settings(.v4, probeArgs: bad)) }
        }
        #expect(throws: XMapError.self) {
            try UDPProbe.V4(settings: F.settings(.v4, probeArgs: "text:" + String(repeating: "x", count: 1473)))
        }
    }

    @Test("template: fields are filled per packet; unknown names stay literal")
    func template() throws {
        func module(_ text: String) throws -> UDPProbe.V6 {
            try UDPProbe.V6(
                settings: F.settings(.v6, probeArgs: "template:/t", files: InMemoryFiles(["/t": Array(text.utf8)])))
        }
        let p = try module("q ${DADDR}:${DPORT} ${RAND_DIGIT=5} ${NOPE} ${DPORT_N}")
        let payload = Array(F.build(p, port: 80, threadSeed: 77)[(40 + 8)...])
        let text = String(decoding: payload, as: UTF8.self)
        #expect(text.hasPrefix("q 2001:db8:1::5:80 "))
        // XMap's draw: a digit per word of the thread's AES stream (seeded with its seed word).
        var stream = AESRandom(seed: 77)
        let digits = (0..<5).map { _ in UInt8(48 + UInt32(truncatingIfNeeded: stream.nextWord()) % 10) }
        #expect(Array(payload[19..<24]) == digits)
        #expect(Array(payload[24...]) == Array(" ${NOPE} ".utf8) + [0, 80])
        // The stream goes on from packet to packet within a thread.
        var thread = p.makeThreadState(seed: 77)
        let first = F.build(p, src: F.src6, dst: F.dst6, port: 80, thread: &thread)
        let second = F.build(p, src: F.src6, dst: F.dst6, port: 80, thread: &thread)
        #expect(first == F.build(p, port: 80, threadSeed: 77) && first != second)
        // RAND_BYTE is XMap's byte table: word mod 256, plus one.
        var bytes = AESRandom(seed: 5)
        let expected = (0..<3).map { _ in
            UInt8(truncatingIfNeeded: UInt32(truncatingIfNeeded: bytes.nextWord()) % 256 + 1)
        }
        #expect(Array(F.build(try module("${RAND_BYTE=3}"), port: 80, threadSeed: 5)[48...]) == expected)
        #expect(throws: XMapError.self) { try module("${RAND_BYTE}") }  // no length
        #expect(throws: XMapError.self) { try module("${RAND_BYTE=1400}${RAND_BYTE=100}") }  // too long for the wire
    }

    @Test("dir: per-port payloads from <port>.pkt, .txt or .hex, else the default")
    func directory() throws {
        let files = InMemoryFiles(["/d/53.hex": Array("0102\n0304\n".utf8), "/d/123.txt": Array("ntp".utf8)])
        let p = try UDPProbe.V4(settings: F.settings(.v4, probeArgs: "dir:/d", ports: [53, 123, 80], files: files))
        // One packet buffer reused for every packet, as the sender does.
        var buffer = [UInt8](repeating: 0, count: p.packetLength)
        buffer.withUnsafeMutableBytes { p.writeTemplate(into: $0.baseAddress!) }
        var thread = p.makeThreadState(seed: 0)
        func payload(_ port: UInt16) -> [UInt8] {
            let v = Validator(key: F.key, family: .v4).block(src: F.src4, dst: F.dst4, port: port)
            let n = buffer.withUnsafeMutableBytes {
                p.makePacket(
                    into: $0.baseAddress!, source: F.src4, target: Target(address: F.dst4, port: port, index: 0),
                    probe: 0, validation: v, thread: &thread)
            }
            let packet = Array(buffer[0..<n])
            #expect(F.onesSum(Array(packet[0..<20])) == 0xFFFF && Int(packet[2]) << 8 | Int(packet[3]) == n)
            #expect(
                F.onesSum(F.pseudo(.v4, F.src4, F.dst4, proto: 17, length: n - 20) + Array(packet[20...])) == 0xFFFF)
            return Array(packet[(20 + 8)...])
        }
        #expect(payload(80) == UDPProbe.defaultPayload)
        #expect(payload(53) == [1, 2, 3, 4])
        #expect(payload(123) == Array("ntp".utf8))
        #expect(payload(80) == UDPProbe.defaultPayload)
    }
}
