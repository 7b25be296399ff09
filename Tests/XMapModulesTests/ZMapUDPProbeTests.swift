import Testing
import XMapCore
import XMapModules
import XMapTestSupport

/// ZMap's UDP service modules (`ntp`, `upnp`, `bacnet`) and `ipip`: requests byte for byte,
/// reply parsing, truncated and garbage replies.
@Suite struct ZMapUDPProbeTests {
    typealias F = ProbeFixtures

    /// A UDP reply from `port` of the target to the probe's source port, carrying `payload`.
    static func reply(to probe: [UInt8], _ f: IPFamily, payload: [UInt8], udpLength: Int? = nil) -> [UInt8] {
        let ipLen = F.ipHeaderLength(f)
        var r = Array(F.reversed(probe, f)[0..<(ipLen + 8)])
        r.swapAt(ipLen, ipLen + 2)
        r.swapAt(ipLen + 1, ipLen + 3)
        let len = udpLength ?? 8 + payload.count
        r[ipLen + 4] = UInt8(len >> 8); r[ipLen + 5] = UInt8(len & 0xFF)
        r += payload
        if f == .v4 {
            r[2] = UInt8(r.count >> 8); r[3] = UInt8(r.count & 0xFF)
        } else {
            r[4] = UInt8((r.count - 40) >> 8); r[5] = UInt8((r.count - 40) & 0xFF)
        }
        return r
    }

    static func udpChecksumOK(_ probe: [UInt8], _ f: IPFamily) -> Bool {
        let ipLen = F.ipHeaderLength(f)
        let udp = Array(probe[ipLen...])
        return F.onesSum(F.pseudo(f, F.source(f), F.destination(f), proto: 17, length: udp.count) + udp) == 0xFFFF
    }

    @Test("ntp: the 48-byte client request; the reply header decoded in network order", arguments: [IPFamily.v4, .v6])
    func ntp(_ f: IPFamily) throws {
        func check<P: ProbeModule>(_ p: P) {
            let ipLen = F.ipHeaderLength(f)
            let probe = F.build(p, port: 123)
            #expect(Array(probe[(ipLen + 8)...]) == [0xE3] + [UInt8](repeating: 0, count: 47))
            #expect(Self.udpChecksumOK(probe, f))
            var header: [UInt8] = [0x24, 2, 6, 0xE9, 0, 0, 0x01, 0x02, 0, 0, 0x03, 0x04, 0x7F, 0x00, 0x00, 0x01]
            for t: UInt64 in [0xE9B0_2F00_8000_0000, 0, 0xE9B0_2F01_0000_0001, 0xE9B0_2F01_0000_0002] {
                header += (0..<8).map { UInt8(truncatingIfNeeded: t >> (56 - 8 * UInt64($0))) }
            }
            let r = Self.reply(to: probe, f, payload: header)
            #expect(F.validate(p, r, ports: [123]) != nil)
            let fields = F.fields(p, r)
            #expect(fields[0] == .string("ntp") && fields[1] == .bool(true) && fields[2] == .int(123))
            #expect(
                Array(fields[8...]) == [
                    .int(0x24), .int(2), .int(6), .int(0xE9), .int(0x0102), .int(0x0304), .int(0x7F00_0001),
                    .int(0xE9B0_2F00_8000_0000), .int(0), .int(0xE9B0_2F01_0000_0001),
                    .int(0xE9B0_2F01_0000_0002)
                ])
            // Shorter than a header: a result, with the NTP fields null.
            let short = F.fields(p, Self.reply(to: probe, f, payload: Array(header[0..<47])))
            #expect(short[0] == .string("ntp") && fields[8...].count == 11 && short[8...].allSatisfy { $0 == .null })
            // A UDP length beyond the capture: bounded by the capture.
            let lying = Self.reply(to: probe, f, payload: Array(header[0..<20]), udpLength: 400)
            #expect(F.fields(p, lying)[8] == .null)
            // From another port: not ours.
            #expect(F.validate(p, r, ports: [124]) == nil)
            for cut in 0..<r.count { _ = F.validate(p, Array(r[0..<cut]), ports: [123]) }
        }
        if f == .v4 {
            check(try UDPServiceProbe<NTPService>.V4(settings: F.settings(f)))
        } else {
            check(try UDPServiceProbe<NTPService>.V6(settings: F.settings(f)))
        }
        #expect(throws: XMapError.self) {
            try UDPServiceProbe<NTPService>.V4(settings: F.settings(.v4, probeArgs: "hex:e3"))
        }
    }

    @Test(
        "upnp: ZMap's M-SEARCH; headers case-insensitive, last wins, text up to NUL; other first lines and ICMP",
        arguments: [IPFamily.v4, .v6])
    func upnp(_ f: IPFamily) throws {
        func check<P: ProbeModule>(_ p: P) {
            let ipLen = F.ipHeaderLength(f)
            let probe = F.build(p, port: 1900)
            let text = String(decoding: probe[(ipLen + 8)...], as: UTF8.self)
            #expect(
                text
                    == "M-SEARCH * HTTP/1.1\r\nHost:239.255.255.250:1900\r\nST:upnp:rootdevice\r\nMan:\"ssdp:discover\"\r\nMX:3\r\n\r\n"
            )
            #expect(probe.count - ipLen - 8 == 97 && Self.udpChecksumOK(probe, f))
            let answer =
                "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nDATE: Tue, 01 Dec 2026 10:00:00 GMT\r\nEXT:\r\n"
                + "LOCATION: http://198.51.100.5:80/desc.xml\r\nSERVER: first\r\nserver: Linux/6 UPnP/1.0 x/1\r\n"
                + "ST: upnp:rootdevice\r\nUSN: uuid:1::upnp:rootdevice\r\nX-User-Agent: redsonic\r\n\r\n"
            let r = Self.reply(to: probe, f, payload: Array(answer.utf8) + [0, 65, 103, 101, 110, 116, 58, 32, 120])
            #expect(F.validate(p, r, ports: [1900]) != nil)
            let fields = F.fields(p, r)
            #expect(
                Array(fields[0..<13]) == [
                    .string("upnp"), .bool(true), .string("Linux/6 UPnP/1.0 x/1"),
                    .string("http://198.51.100.5:80/desc.xml"), .string("uuid:1::upnp:rootdevice"),
                    .string("upnp:rootdevice"), .string(""), .string("max-age=1800"), .string("redsonic"),
                    .null, .string("Tue, 01 Dec 2026 10:00:00 GMT"), .int(1900),
                    .int(UInt64(probe[ipLen]) << 8 | UInt64(probe[ipLen + 1]))
                ])
            #expect(fields[17] == .binary(Array(answer.utf8) + [0, 65, 103, 101, 110, 116, 58, 32, 120]))
            let other = F.fields(
                p, Self.reply(to: probe, f, payload: Array("HTTP/1.1 404 Not Found\r\nSERVER: x\r\n".utf8)))
            #expect(other[0] == .string("no-http-header") && other[1] == .bool(false) && other[2] == .null)
            let empty = F.fields(p, Self.reply(to: probe, f, payload: []))
            #expect(empty[0] == .string("none") && empty[1] == .bool(false) && empty[17] == .null)
            // Invalid UTF-8 in a value becomes U+FFFD, never a crash.
            let bad = F.fields(
                p, Self.reply(to: probe, f, payload: Array("HTTP/1.1 200 OK\nServer: a".utf8) + [0xFF, 0xC3]))
            #expect(bad[2] == .string("a\u{FFFD}\u{FFFD}"))
            // ICMP port unreachable quoting the probe.
            let router: [UInt8] = f == .v4 ? [198, 51, 100, 5] : IPAddress("2001:db8:1::5")!.bytes
            let err = F.icmpError(
                quoting: probe, f, router: router, src: F.source(f), type: f == .v4 ? 3 : 1, code: f == .v4 ? 3 : 4)
            #expect(F.validate(p, err, ports: [1900])?.reportedSource == F.destination(f))
            let e = F.fields(p, err)
            #expect(
                e[0] == .string("icmp") && e[1] == .bool(false)
                    && e[16] == .string(f == .v4 ? "port unreachable" : "port unreach"))
        }
        if f == .v4 {
            check(try UDPServiceProbe<UPnPService>.V4(settings: F.settings(f)))
        } else {
            check(try UDPServiceProbe<UPnPService>.V6(settings: F.settings(f)))
        }
    }

    @Test("bacnet: ZMap's ReadProperty with the invoke ID from the validation block; only BACnet/IP answers count")
    func bacnet() throws {
        let p = try UDPServiceProbe<BACnetService>.V4(settings: F.settings(.v4))
        let probe = F.build(p, port: 47808)
        let payload = Array(probe[28...])
        let v = Validator(key: F.key, family: .v4).block(src: F.src4, dst: F.dst4, port: 47808)
        #expect(
            payload == [
                0x81, 0x0A, 0x00, 0x11, 0x01, 0x04, 0x00, 0x05, v[7], 0x0C, 0x0C, 0x02, 0x3F, 0xFF, 0xFF, 0x19, 0x4B
            ])
        #expect(Self.udpChecksumOK(probe, .v4))
        // A Complex-ACK: BVLC, NPDU, APDU.
        let ack: [UInt8] = [
            0x81, 0x0A, 0x00, 0x14, 0x01, 0x00, 0x30, v[7], 0x0C, 0x0C, 0x02, 0x00, 0x00, 0x05, 0x19, 0x4B,
            0x3E, 0xC4, 0x02, 0x00
        ]
        let r = Self.reply(to: probe, .v4, payload: ack)
        #expect(F.validate(p, r, ports: [47808]) != nil)
        let fields = F.fields(p, r)
        #expect(
            Array(fields[0..<5]) == [
                .int(47808), .int(UInt64(probe[20]) << 8 | UInt64(probe[21])), .string("bacnet"),
                .bool(true), .binary(ack)
            ])
        #expect(F.validate(p, Self.reply(to: probe, .v4, payload: [0x82, 0, 0, 4]), ports: [47808]) == nil)
        #expect(F.validate(p, Self.reply(to: probe, .v4, payload: [0x81, 0x0A]), ports: [47808]) == nil)
        #expect(F.validate(p, Self.reply(to: probe, .v4, payload: []), ports: [47808]) == nil)
    }

    @Test(
        "ipip: the outer packet to the target, the inner datagram from it back to us; the decapsulated reply and ICMP protocol unreachable"
    )
    func ipip() throws {
        let p = try IPIPProbe.V4(settings: F.settings(.v4))
        let probe = F.build(p, port: 80)
        #expect(probe[9] == 4 && Int(probe[2]) << 8 | Int(probe[3]) == probe.count)
        #expect(F.onesSum(Array(probe[0..<20])) == 0xFFFF && F.onesSum(Array(probe[20..<40])) == 0xFFFF)
        let inner = Array(probe[20...])
        #expect(inner[9] == 17 && Array(inner[12..<16]) == [198, 51, 100, 5] && Array(inner[16..<20]) == [192, 0, 2, 1])
        #expect(Array(probe[12..<16]) == [192, 0, 2, 1] && Array(probe[16..<20]) == [198, 51, 100, 5])
        let udp = Array(inner[20...])
        #expect(Array(udp[2..<4]) == [0, 80] && Array(udp[8...]) == Array("GET / HTTP/1.1\r\nHost: www\r\n\r\n".utf8))
        #expect(F.onesSum(F.pseudo(.v4, F.dst4, F.src4, proto: 17, length: udp.count) + udp) == 0xFFFF)
        // The target decapsulates and forwards the inner datagram: it arrives as is.
        #expect(F.validate(p, inner, ports: [80])?.reportedSource == F.dst4)
        let fields = F.fields(p, inner)
        #expect(
            fields[0] == .string("udp") && fields[1] == .bool(true) && fields[3] == .int(80)
                && fields[8] == .int(UInt64(udp.count)))
        #expect(fields[9] == .binary(Array(udp[8...])))
        #expect(F.validate(p, inner, ports: [81]) == nil)
        var forged = inner
        forged[20] ^= 0x40  // another source port
        #expect(F.validate(p, forged, ports: [80]) == nil)
        // A host without IP-in-IP: protocol unreachable quoting the whole probe.
        let err = F.icmpError(quoting: probe, .v4, router: [198, 51, 100, 5], src: F.src4, type: 3, code: 2)
        #expect(F.validate(p, err, ports: [80])?.reportedSource == F.dst4)
        let e = F.fields(p, err)
        #expect(e[0] == .string("icmp-unreach") && e[1] == .bool(false) && e[7] == .string("protocol unreachable"))
        // Quotes whose inner packet is not ours, or cut short.
        var swapped = probe
        swapped[35] ^= 1  // inner destination no longer us
        #expect(
            F.validate(
                p, F.icmpError(quoting: swapped, .v4, router: [198, 51, 100, 5], src: F.src4, type: 3, code: 2),
                ports: [80]) == nil)
        for cut in 0..<err.count { _ = F.validate(p, Array(err[0..<cut]), ports: [80]) }
        #expect(F.validate(p, Array(err[0..<(28 + 40 + 3)]), ports: [80]) == nil)
        #expect(try IPIPProbe.V4(settings: F.settings(.v4, probeArgs: "text:hi")).packetLength == 50)
        #expect(throws: XMapError.self) { try IPIPProbe.V4(settings: F.settings(.v4, probeArgs: "dir:/tmp")) }
    }
}
