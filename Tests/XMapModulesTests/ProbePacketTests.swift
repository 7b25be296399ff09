#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import XMapCore
@testable import XMapModules

/// Builds probes, checks them byte by byte and with independent checksum sums, then answers
/// them the way a host would and runs the replies through validation.
@Suite struct ProbePacketTests {
    static let key = AESKey(seed: 1234)
    static let src4: UInt128 = 0xC000_0201            // 192.0.2.1
    static let dst4: UInt128 = 0xC633_6405            // 198.51.100.5
    static let src6 = IPAddress("2001:db8:ffff::1")!.value
    static let dst6 = IPAddress("2001:db8:1::5")!.value

    static func settings(_ f: IPFamily) -> ProbeSettings {
        ProbeSettings(family: f, sourceMAC: MACAddress("02:00:00:00:00:01")!, gatewayMAC: MACAddress("02:00:00:00:00:02")!,
                      ttl: 64, sourcePorts: SourcePortRange(first: 40000, last: 40099), probes: 1)
    }

    static func context(_ f: IPFamily, ports: [UInt16] = [80]) -> ReplyContext {
        ReplyContext(validator: Validator(cipher: key.cipher, family: f), sourcePorts: settings(f).sourcePorts,
                     probes: 1, targetPorts: PortSet(ports))
    }

    /// One's-complement sum over `bytes` (independent of `Checksum`): 0xFFFF means valid.
    static func onesSum(_ bytes: [UInt8]) -> UInt16 {
        var s: UInt32 = 0
        for i in stride(from: 0, to: bytes.count, by: 2) {
            s += UInt32(bytes[i]) << 8 + (i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0)
        }
        while s > 0xFFFF { s = (s & 0xFFFF) + (s >> 16) }
        return UInt16(s)
    }

    static func pseudo(_ f: IPFamily, _ src: UInt128, _ dst: UInt128, proto: UInt8, length: Int) -> [UInt8] {
        let a = IPAddress(family: f, value: src).bytes, b = IPAddress(family: f, value: dst).bytes
        return f == .v4 ? a + b + [0, proto, UInt8(length >> 8), UInt8(length & 0xFF)]
                        : a + b + [0, 0, UInt8(length >> 8), UInt8(length & 0xFF), 0, 0, 0, proto]
    }

    static func build<P: ProbeModule>(_ p: P, src: UInt128, dst: UInt128, port: UInt16, family: IPFamily) -> [UInt8] {
        var buf = [UInt8](repeating: 0xAA, count: 256)
        let n = buf.withUnsafeMutableBytes { b -> Int in
            p.writeTemplate(into: b.baseAddress!)
            let v = Validator(cipher: key.cipher, family: family).block(src: src, dst: dst, port: port)
            return p.makePacket(into: b.baseAddress!, source: src, target: Target(address: dst, port: port, index: 0),
                                probe: 0, validation: v)
        }
        return Array(buf[0..<n])
    }

    static func validate<P: ProbeModule>(_ p: P, _ ip: [UInt8], _ f: IPFamily, ports: [UInt16] = [80]) -> ValidReply? {
        ip.withUnsafeBytes { b in
            let pkt = ReplyPacket(b)
            guard let h = IPHeaderView(pkt, family: f) else { return nil }
            return p.validate(pkt, header: h, context: context(f, ports: ports))
        }
    }

    static func fields<P: ProbeModule>(_ p: P, _ ip: [UInt8], _ f: IPFamily) -> [FieldValue] {
        ip.withUnsafeBytes { b in
            let pkt = ReplyPacket(b)
            return p.fieldValues(pkt, header: IPHeaderView(pkt, family: f)!)
        }
    }

    /// Swaps addresses of an IP packet (a reply comes back the other way) and fixes the IPv4 checksum.
    static func reversed(_ ip: [UInt8], _ f: IPFamily) -> [UInt8] {
        var r = ip
        if f == .v4 {
            for i in 0..<4 { r.swapAt(12 + i, 16 + i) }
            r[10] = 0; r[11] = 0
            let c = ~onesSum(Array(r[0..<20]))
            r[10] = UInt8(c >> 8); r[11] = UInt8(c & 0xFF)
        } else {
            for i in 0..<16 { r.swapAt(8 + i, 24 + i) }
        }
        return r
    }

    @Test("ICMPv4 echo: layout and checksums", arguments: [IPFamily.v4, .v6])
    func icmpEchoLayout(_ f: IPFamily) throws {
        let p: any ProbeModule = f == .v4 ? try ICMPEchoProbe4(settings: Self.settings(f)) : try ICMPEchoProbe6(settings: Self.settings(f))
        let src = f == .v4 ? Self.src4 : Self.src6, dst = f == .v4 ? Self.dst4 : Self.dst6
        let frame = open(p, src: src, dst: dst, f)
        let ipLen = f == .v4 ? 20 : 40
        #expect(frame.count == 14 + ipLen + 16)
        #expect(Array(frame[0..<6]) == [2, 0, 0, 0, 0, 2])
        #expect(Array(frame[6..<12]) == [2, 0, 0, 0, 0, 1])
        let ip = Array(frame[14...])
        let icmp = Array(ip[ipLen...])
        if f == .v4 {
            #expect(ip[0] == 0x45 && ip[8] == 64 && ip[9] == 1)
            #expect(Array(ip[4..<6]) == [0xD4, 0x31])          // XMap's fixed IP ID 54321
            #expect(Self.onesSum(Array(ip[0..<20])) == 0xFFFF)
            #expect(icmp[0] == 8)
            #expect(Self.onesSum(icmp) == 0xFFFF)
        } else {
            #expect(ip[0] == 0x60 && ip[6] == 58 && ip[7] == 64)
            #expect(icmp[0] == 128)
            #expect(Self.onesSum(Self.pseudo(.v6, src, dst, proto: 58, length: icmp.count) + icmp) == 0xFFFF)
        }
        #expect(Array(icmp[8...]) == [UInt8](repeating: 0, count: 8))
        // Identifier/sequence: XMap's raw little-endian store of v0<<8|v1 and v2<<8|v3.
        let v = Validator(cipher: Self.key.cipher, family: f).block(src: src, dst: dst, port: 0)
        #expect(Array(icmp[4..<8]) == [v[1], v[0], v[3], v[2]])
    }

    func open(_ p: any ProbeModule, src: UInt128, dst: UInt128, _ f: IPFamily) -> [UInt8] {
        func b<P: ProbeModule>(_ p: P) -> [UInt8] { Self.build(p, src: src, dst: dst, port: 0, family: f) }
        return b(p)
    }

    @Test("ICMP echo replies validate; tampering, errors and truncation are handled", arguments: [IPFamily.v4, .v6])
    func icmpReplies(_ f: IPFamily) throws {
        func run<P: ProbeModule>(_ p: P) {
            let src = f == .v4 ? Self.src4 : Self.src6, dst = f == .v4 ? Self.dst4 : Self.dst6
            let ipLen = f == .v4 ? 20 : 40
            let probe = Array(Self.build(p, src: src, dst: dst, port: 0, family: f)[14...])
            var reply = Self.reversed(probe, f)
            reply[ipLen] = f == .v4 ? 0 : 129
            let valid = Self.validate(p, reply, f)
            #expect(valid?.reportedSource == dst)
            let vals = Self.fields(p, reply, f)
            #expect(vals[0] == .int(1) && vals[1] == .string("echoreply"))
            // Wrong identifier: not ours.
            var forged = reply
            forged[ipLen + 4] ^= 0x01
            #expect(Self.validate(p, forged, f) == nil)
            // A reply from an address we did not probe.
            var other = reply
            other[f == .v4 ? 15 : 23] ^= 0x10
            if f == .v4 { other[10] = 0; other[11] = 0 }
            #expect(Self.validate(p, other, f) == nil)
            // Host unreachable from a router, quoting our probe: valid, reported as the target.
            let router: [UInt8] = f == .v4 ? [198, 51, 100, 250] : IPAddress("2001:db8:ffff::2")!.bytes
            var err: [UInt8]
            if f == .v4 {
                err = [0x45, 0, 0, UInt8(20 + 8 + probe.count), 0, 0, 0, 0, 64, 1, 0, 0] + router + IPAddress(family: .v4, value: src).bytes
                err += [3, 1, 0, 0, 0, 0, 0, 0] + probe
            } else {
                let plen = 8 + probe.count
                err = [0x60, 0, 0, 0, UInt8(plen >> 8), UInt8(plen & 0xFF), 58, 64] + router + IPAddress(family: .v6, value: src).bytes
                err += [1, 3, 0, 0, 0, 0, 0, 0] + probe
            }
            let ev = Self.validate(p, err, f)
            #expect(ev?.reportedSource == dst)
            let ef = Self.fields(p, err, f)
            #expect(ef[1] == .string("unreach"))
            #expect(ef[2] == .string(f == .v4 ? "host unreachable" : "addr unreach"))
            // Every truncation of a valid reply or error is rejected or parsed without crashing.
            for cut in 0..<err.count { _ = Self.validate(p, Array(err[0..<cut]), f) }
            for cut in 0..<reply.count { _ = Self.validate(p, Array(reply[0..<cut]), f) }
        }
        if f == .v4 { run(try ICMPEchoProbe4(settings: Self.settings(f))) } else { run(try ICMPEchoProbe6(settings: Self.settings(f))) }
    }

    @Test("icmp_echo_gw and icmp_echo_tmxd: inverted and Time Exceeded success, per-probe hop limit")
    func icmpVariants() throws {
        let f = IPFamily.v6
        func exchange<P: ProbeModule>(_ p: P, probe n: Int, errorType: UInt8) -> (hopLimit: UInt8, reply: [FieldValue], error: [FieldValue], errorKey: RepeatKey?) {
            var buf = [UInt8](repeating: 0, count: 256)
            let len = buf.withUnsafeMutableBytes { b -> Int in
                p.writeTemplate(into: b.baseAddress!)
                let v = Validator(cipher: Self.key.cipher, family: f).block(src: Self.src6, dst: Self.dst6, port: 0)
                return p.makePacket(into: b.baseAddress!, source: Self.src6, target: Target(address: Self.dst6, port: 0, index: 0),
                                    probe: n, validation: v)
            }
            let probe = Array(buf[14..<len])
            var reply = Self.reversed(probe, f)
            reply[40] = 129
            #expect(Self.validate(p, reply, f) != nil)
            let router = IPAddress("2001:db8:ffff::2")!.bytes
            let plen = 8 + probe.count
            let err = [0x60, 0, 0, 0, UInt8(plen >> 8), UInt8(plen & 0xFF), 58, 64] + router
                + IPAddress(family: .v6, value: Self.src6).bytes + [errorType, 0, 0, 0, 0, 0, 0, 0] + probe
            return (probe[7], Self.fields(p, reply, f), Self.fields(p, err, f), Self.validate(p, err, f)?.repeatKey)
        }
        let gw = try ICMPEchoGatewayProbe6(settings: Self.settings(f))
        let g = exchange(gw, probe: 1, errorType: 1)
        #expect(g.hopLimit == 64)
        #expect(g.reply[0] == .int(0) && g.error[0] == .int(1) && g.error[1] == .string("unreach"))
        let tm = try ICMPEchoTimeExceededProbe6(settings: Self.settings(f))
        let t0 = exchange(tm, probe: 0, errorType: 3), t1 = exchange(tm, probe: 1, errorType: 3)
        #expect(t0.hopLimit == 64 && t1.hopLimit == 63)
        #expect(t1.reply[0] == .int(0) && t1.error[0] == .int(1) && t1.error[1] == .string("timexceed"))
        #expect(t1.errorKey?.extra == 3)
        #expect(exchange(tm, probe: 0, errorType: 1).error[0] == .int(0))    // unreachable: not a loop
        #expect(ProbeModuleRegistry.module(named: "icmp_echo_tmxd", family: .v6) != nil)
        #expect(ProbeModuleRegistry.module(named: "icmp_echo_gw", family: .v4) == nil)
    }

    @Test("TCP SYN: layout, checksum, SYN-ACK and RST validation", arguments: [IPFamily.v4, .v6])
    func tcpSyn(_ f: IPFamily) throws {
        func run<P: ProbeModule>(_ p: P) {
            let src = f == .v4 ? Self.src4 : Self.src6, dst = f == .v4 ? Self.dst4 : Self.dst6
            let ipLen = f == .v4 ? 20 : 40
            let probe = Array(Self.build(p, src: src, dst: dst, port: 80, family: f)[14...])
            let tcp = Array(probe[ipLen...])
            #expect(tcp.count == 20)
            #expect(tcp[13] == 0x02 && tcp[12] == 0x50 && Array(tcp[14..<16]) == [0xFF, 0xFF])
            #expect(Array(tcp[2..<4]) == [0, 80])
            #expect(Self.onesSum(Self.pseudo(f, src, dst, proto: 6, length: 20) + tcp) == 0xFFFF)
            let sport = UInt16(tcp[0]) << 8 | UInt16(tcp[1])
            #expect((40000...40099).contains(sport))
            let seq = UInt32(tcp[4]) << 24 | UInt32(tcp[5]) << 16 | UInt32(tcp[6]) << 8 | UInt32(tcp[7])

            func reply(flags: UInt8, ack: UInt32, sport replySport: UInt16 = 80) -> [UInt8] {
                var r = Self.reversed(probe, f)
                var t = [UInt8](repeating: 0, count: 20)
                t[0] = UInt8(replySport >> 8); t[1] = UInt8(replySport & 0xFF)
                t[2] = UInt8(sport >> 8); t[3] = UInt8(sport & 0xFF)
                t[4] = 0x12; t[5] = 0x34; t[6] = 0x56; t[7] = 0x78
                t[8] = UInt8(ack >> 24); t[9] = UInt8((ack >> 16) & 0xFF); t[10] = UInt8((ack >> 8) & 0xFF); t[11] = UInt8(ack & 0xFF)
                t[12] = 0x50; t[13] = flags; t[14] = 0x72; t[15] = 0x10
                r.replaceSubrange(ipLen..<(ipLen + 20), with: t)
                return r
            }
            let synack = reply(flags: 0x12, ack: seq &+ 1)
            #expect(Self.validate(p, synack, f)?.repeatKey == RepeatKey(address: dst, extra: 80))
            let vals = Self.fields(p, synack, f)
            #expect(vals == [.int(80), .int(UInt64(sport)), .int(0x1234_5678), .int(UInt64(seq &+ 1)), .int(0x7210),
                             .string("synack"), .bool(true)])
            #expect(Self.validate(p, reply(flags: 0x12, ack: seq), f) == nil)          // wrong ack
            #expect(Self.validate(p, reply(flags: 0x12, ack: seq &+ 2), f) == nil)
            #expect(Self.validate(p, reply(flags: 0x10, ack: seq &+ 1), f) == nil)     // bare ACK
            #expect(Self.validate(p, reply(flags: 0x12, ack: seq &+ 1, sport: 81), f) == nil)   // port we did not probe
            #expect(Self.validate(p, reply(flags: 0x04, ack: seq), f) != nil)          // RST, ack = seq
            #expect(Self.validate(p, reply(flags: 0x14, ack: seq &+ 1), f) != nil)     // RST+ACK
            #expect(Self.fields(p, reply(flags: 0x14, ack: seq &+ 1), f)[5] == .string("rst"))
            for cut in 0..<synack.count { _ = Self.validate(p, Array(synack[0..<cut]), f) }
        }
        if f == .v4 { run(try TCPSynProbe4(settings: Self.settings(f))) } else { run(try TCPSynProbe6(settings: Self.settings(f))) }
    }

    @Test("tcp_scan: ACK-bearing replies validate, SYN-ACK gets a FIN-ACK and FIN-ACK an ACK")
    func tcpScan() throws {
        let f = IPFamily.v4
        let p = try TCPScanProbe4(settings: Self.settings(f))
        let probe = Array(Self.build(p, src: Self.src4, dst: Self.dst4, port: 80, family: f)[14...])
        let sport = UInt16(probe[20]) << 8 | UInt16(probe[21])
        let seq = UInt32(probe[24]) << 24 | UInt32(probe[25]) << 16 | UInt32(probe[26]) << 8 | UInt32(probe[27])
        func reply(flags: UInt8, ack: UInt32, theirSeq: UInt32 = 0x1234_5678) -> [UInt8] {
            var r = Self.reversed(probe, f)
            let t: [UInt8] = [0, 80, UInt8(sport >> 8), UInt8(sport & 0xFF)]
                + withUnsafeBytes(of: theirSeq.bigEndian, Array.init) + withUnsafeBytes(of: ack.bigEndian, Array.init)
                + [0x50, flags, 0xFF, 0xFF, 0, 0, 0, 0]
            r.replaceSubrange(20..<40, with: t)
            return r
        }
        func answer(_ r: [UInt8]) -> [UInt8] {
            var buf = [UInt8](repeating: 0, count: 128)
            let n = buf.withUnsafeMutableBytes { b -> Int in
                p.writeTemplate(into: b.baseAddress!)
                return r.withUnsafeBytes { rb in
                    let pkt = ReplyPacket(rb)
                    return p.followUp(pkt, header: IPHeaderView(pkt, family: f)!, into: b.baseAddress!)
                }
            }
            return Array(buf[0..<n])
        }
        let synack = reply(flags: 0x12, ack: seq &+ 1)
        #expect(Self.validate(p, synack, f) != nil)
        #expect(Self.fields(p, synack, f)[5] == .string("synack"))
        let fin = answer(synack)
        #expect(fin.count == 54)
        let tcp = Array(fin[34...])
        #expect(Array(tcp[0..<4]) == [UInt8(sport >> 8), UInt8(sport & 0xFF), 0, 80])
        #expect(Array(tcp[4..<8]) == withUnsafeBytes(of: (seq &+ 1).bigEndian, Array.init))   // their ack
        #expect(Array(tcp[8..<12]) == [0x12, 0x34, 0x56, 0x79])                              // their seq + 1
        #expect(tcp[13] == 0x11)
        #expect(Self.onesSum(Self.pseudo(f, Self.src4, Self.dst4, proto: 6, length: 20) + tcp) == 0xFFFF)
        #expect(Self.onesSum(Array(fin[14..<34])) == 0xFFFF)
        let finack = reply(flags: 0x11, ack: seq &+ 2, theirSeq: 0x1234_5679)
        #expect(Self.fields(p, finack, f)[5] == .string("finack"))
        #expect(Self.validate(p, finack, f)?.repeatKey != Self.validate(p, synack, f)?.repeatKey)
        #expect(answer(finack).count == 54 && answer(finack)[47] == 0x10)
        let ack = reply(flags: 0x10, ack: seq &+ 2)
        #expect(Self.fields(p, ack, f)[5] == .string("ack") && answer(ack).isEmpty)
        #expect(Self.validate(p, reply(flags: 0x10, ack: seq &+ 4), f) == nil)       // beyond SYN and FIN
        #expect(Self.validate(p, reply(flags: 0x04, ack: seq &+ 1), f) == nil)       // bare RST: no ACK
        #expect(Self.validate(p, reply(flags: 0x14, ack: seq &+ 1), f) != nil)       // RST-ACK
        #expect(answer(reply(flags: 0x14, ack: seq &+ 1)).isEmpty)
    }

    @Test("hostile input: random packets never crash and never validate")
    func randomPackets() throws {
        let modules: [(any ProbeModule, IPFamily)] = [
            (try ICMPEchoProbe4(settings: Self.settings(.v4)), .v4), (try ICMPEchoProbe6(settings: Self.settings(.v6)), .v6),
            (try TCPSynProbe4(settings: Self.settings(.v4)), .v4), (try TCPSynProbe6(settings: Self.settings(.v6)), .v6),
            (try UDPProbe4(settings: Self.settings(.v4)), .v4), (try UDPProbe6(settings: Self.settings(.v6)), .v6),
        ]
        var rng = SplitMix64(seed: 99)
        var accepted = 0
        for _ in 0..<20000 {
            let n = Int(rng.next() % 120)
            var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            for (m, f) in modules {
                if !bytes.isEmpty { bytes[0] = f == .v4 ? 0x45 : 0x60 }
                let proto = [f == .v4 ? 1 : 58, 6, 17][Int(rng.next() % 3)]
                if bytes.count > 9 && f == .v4 { bytes[9] = UInt8(proto) }
                if bytes.count > 6 && f == .v6 { bytes[6] = UInt8(proto) }
                func check<P: ProbeModule>(_ p: P) { if Self.validate(p, bytes, f) != nil { accepted += 1 } }
                check(m)
            }
        }
        #expect(accepted == 0)
    }

    @Test func probeArguments() throws {
        var s = Self.settings(.v4)
        s.probeArgs = "hex:0a0B"
        #expect(try ICMPEchoProbe4(settings: s).packetLength == 14 + 20 + 8 + 2)
        s.probeArgs = "text:hello"
        #expect(try ICMPEchoProbe4(settings: s).packetLength == 14 + 20 + 8 + 5)
        for bad in ["hex:abc", "hex:zz", "bogus:1", "file:/nonexistent/payload"] {
            s.probeArgs = bad
            #expect(throws: XMapError.self, "\(bad)") { try ICMPEchoProbe4(settings: s) }
        }
        s.probeArgs = "x"
        #expect(throws: XMapError.self) { try TCPSynProbe4(settings: s) }
    }
}

/// The `udp` module: payload forms, layout and checksum, UDP replies and ICMP errors.
@Suite struct UDPProbeTests {
    typealias T = ProbePacketTests

    func run<P: ProbeModule>(_ p: P, _ f: IPFamily, payload: [UInt8]) {
        let src = f == .v4 ? T.src4 : T.src6, dst = f == .v4 ? T.dst4 : T.dst6
        let ipLen = f == .v4 ? 20 : 40
        let probe = Array(T.build(p, src: src, dst: dst, port: 80, family: f)[14...])
        let udp = Array(probe[ipLen...])
        #expect(udp.count == 8 + payload.count)
        #expect(Array(udp[8...]) == payload)
        #expect(Int(udp[4]) << 8 | Int(udp[5]) == udp.count)
        #expect(Array(udp[2..<4]) == [0, 80])
        #expect(T.onesSum(T.pseudo(f, src, dst, proto: 17, length: udp.count) + udp) == 0xFFFF)
        if f == .v4 { #expect(T.onesSum(Array(probe[0..<20])) == 0xFFFF && Int(probe[2]) << 8 | Int(probe[3]) == probe.count) }
        let sport = UInt16(udp[0]) << 8 | UInt16(udp[1])
        #expect((40000...40099).contains(sport))

        // A UDP answer: ports swapped, some payload.
        func answer(from port: UInt16 = 80, to ourPort: UInt16? = nil) -> [UInt8] {
            var r = Array(T.reversed(probe, f)[0..<ipLen])
            let data: [UInt8] = [1, 2, 3]
            let to = ourPort ?? sport
            r += [UInt8(port >> 8), UInt8(port & 0xFF), UInt8(to >> 8), UInt8(to & 0xFF), 0, 11, 0, 0] + data
            if f == .v4 { r[2] = 0; r[3] = UInt8(r.count) } else { r[4] = 0; r[5] = 11 }
            return r
        }
        #expect(T.validate(p, answer(), f)?.repeatKey == RepeatKey(address: dst, extra: 80))
        #expect(T.fields(p, answer(), f) == [.bool(true), .string("udp"), .int(80), .int(UInt64(sport)), .null, .null,
                                             .null, .null, .int(11), .binary([1, 2, 3])])
        #expect(T.validate(p, answer(from: 81), f) == nil)                      // a port we did not probe
        #expect(T.validate(p, answer(to: sport == 40099 ? 40000 : sport + 1), f) == nil)   // not our source port
        // ZMap's --validate-source-port=disable accepts a reply to any port.
        let lax = ReplyContext(validator: Validator(cipher: T.key.cipher, family: f), sourcePorts: T.settings(f).sourcePorts,
                               probes: 1, targetPorts: PortSet([80]), validateSourcePort: false)
        let other = answer(to: sport == 40099 ? 40000 : sport + 1)
        let laxValid = other.withUnsafeBytes { b -> ValidReply? in
            let pkt = ReplyPacket(b)
            return IPHeaderView(pkt, family: f).flatMap { p.validate(pkt, header: $0, context: lax) }
        }
        #expect(laxValid != nil)

        // An ICMP port unreachable from a router, quoting the probe.
        let router: UInt128 = f == .v4 ? 0xC000_02FE : IPAddress("2001:db8:ffff::fe")!.value
        var icmp: [UInt8] = f == .v4 ? [3, 3, 0, 0, 0, 0, 0, 0] : [1, 4, 0, 0, 0, 0, 0, 0]
        icmp += probe
        var error = Array(probe[0..<ipLen])
        if f == .v4 {
            error[9] = 1
            error.replaceSubrange(12..<16, with: IPAddress(family: .v4, value: router).bytes)
            error.replaceSubrange(16..<20, with: IPAddress(family: .v4, value: src).bytes)
            let total = ipLen + icmp.count
            error[2] = UInt8(total >> 8); error[3] = UInt8(total & 0xFF)
        } else {
            error[6] = 58
            error.replaceSubrange(8..<24, with: IPAddress(family: .v6, value: router).bytes)
            error.replaceSubrange(24..<40, with: IPAddress(family: .v6, value: src).bytes)
            error[4] = UInt8(icmp.count >> 8); error[5] = UInt8(icmp.count & 0xFF)
        }
        error += icmp
        let valid = T.validate(p, error, f)
        #expect(valid?.reportedSource == dst)
        #expect(valid?.repeatKey == RepeatKey(address: router, extra: 80))
        #expect(T.fields(p, error, f) == [.bool(false), .string(f == .v4 ? "unreach" : "unreach"), .int(80),
                                          .int(UInt64(sport)), .address(IPAddress(family: f, value: router)),
                                          .int(f == .v4 ? 3 : 1), .int(f == .v4 ? 3 : 4),
                                          .string(f == .v4 ? "port unreachable" : "port unreach"), .null, .null])
        for cut in 0..<error.count { _ = T.validate(p, Array(error[0..<cut]), f) }
    }

    @Test("default payload: layout, checksum, replies and ICMP errors", arguments: [IPFamily.v4, .v6])
    func defaultPayload(_ f: IPFamily) throws {
        if f == .v4 { run(try UDPProbe4(settings: T.settings(f)), f, payload: UDPCore.defaultPayload) }
        else { run(try UDPProbe6(settings: T.settings(f)), f, payload: UDPCore.defaultPayload) }
    }

    @Test("text:, hex: and file: payloads; bad forms are errors")
    func payloadForms() throws {
        var s = T.settings(.v4)
        s.probeArgs = "text:ping"
        run(try UDPProbe4(settings: s), .v4, payload: Array("ping".utf8))
        s.probeArgs = "hex:00ff10"
        run(try UDPProbe4(settings: s), .v4, payload: [0, 0xFF, 0x10])
        for bad in ["hex:abc", "nope", "file:/nonexistent/payload", "template:/nonexistent", "dir:"] {
            s.probeArgs = bad
            if bad == "dir:" { continue }   // an empty directory name finds no files: default payloads
            #expect(throws: XMapError.self, "\(bad)") { try UDPProbe4(settings: s) }
        }
        s.probeArgs = "text:" + String(repeating: "x", count: 1473)
        #expect(throws: XMapError.self) { try UDPProbe4(settings: s) }
    }

    func temporaryDirectory() throws -> String {
        var template = Array("/tmp/xmap-udp-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        return String(cString: try #require(path))
    }

    @Test("template: fields are filled per packet; unknown names stay literal")
    func template() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/t.txt"
        FileManagerless.write(path, "q ${DADDR}:${DPORT} ${RAND_DIGIT=5} ${NOPE} ${DPORT_N}")
        var s = T.settings(.v6)
        s.probeArgs = "template:" + path
        let p = try UDPProbe6(settings: s)
        let probe = Array(T.build(p, src: T.src6, dst: T.dst6, port: 80, family: .v6)[(14 + 40 + 8)...])
        let text = String(decoding: probe, as: UTF8.self)
        #expect(text.hasPrefix("q 2001:db8:1::5:80 "))
        let digits = Array(probe[19..<24])
        #expect(digits.allSatisfy { (48...57).contains($0) })
        #expect(Array(probe[24...]) == Array(" ${NOPE} ".utf8) + [0, 80])
        FileManagerless.write(path, "${RAND_BYTE}")
        #expect(throws: XMapError.self) { try UDPProbe6(settings: s) }       // no length
        FileManagerless.write(path, "${RAND_BYTE=1400}${RAND_BYTE=100}")
        #expect(throws: XMapError.self) { try UDPProbe6(settings: s) }       // too long for the wire
    }

    @Test("dir: per-port payloads from <port>.pkt, .txt or .hex, else the default")
    func directory() throws {
        let dir = try temporaryDirectory()
        FileManagerless.write(dir + "/53.hex", "0102\n0304\n")
        FileManagerless.write(dir + "/123.txt", "ntp")
        var s = T.settings(.v4)
        s.probeArgs = "dir:" + dir
        s.targetPorts = [53, 123, 80]
        let p = try UDPProbe4(settings: s)
        // One frame buffer reused for every packet, as the sender does.
        var buffer = [UInt8](repeating: 0, count: p.packetLength)
        buffer.withUnsafeMutableBytes { p.writeTemplate(into: $0.baseAddress!) }
        func payload(_ port: UInt16) -> [UInt8] {
            let v = Validator(cipher: T.key.cipher, family: .v4).block(src: T.src4, dst: T.dst4, port: port)
            let n = buffer.withUnsafeMutableBytes {
                p.makePacket(into: $0.baseAddress!, source: T.src4, target: Target(address: T.dst4, port: port, index: 0),
                             probe: 0, validation: v)
            }
            let frame = Array(buffer[0..<n])
            #expect(T.onesSum(Array(frame[14..<34])) == 0xFFFF && Int(frame[16]) << 8 | Int(frame[17]) == n - 14)
            #expect(T.onesSum(T.pseudo(.v4, T.src4, T.dst4, proto: 17, length: n - 34) + Array(frame[34...])) == 0xFFFF)
            return Array(frame[(14 + 20 + 8)...])
        }
        #expect(payload(80) == UDPCore.defaultPayload)
        #expect(payload(53) == [1, 2, 3, 4])
        #expect(payload(123) == Array("ntp".utf8))
        #expect(payload(80) == UDPCore.defaultPayload)
    }
}

/// Writes small test files without Foundation.
enum FileManagerless {
    static func write(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

@Suite struct OutputTests {
    @Test func csv() {
        let o = CSVOutput(fieldNames: ["saddr", "n", "ok", "data", "none", "clas"])
        #expect(o.header() == Array("saddr,n,ok,data,none,clas\n".utf8))
        var out: [UInt8] = []
        o.append([.address(IPAddress("2001:db8::1")!), .int(18_446_744_073_709_551_615), .bool(true), .binary([0, 0xAB]),
                  .null, .string("a,\"b\"")], to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "2001:db8::1,18446744073709551615,1,00ab,,\"a,\"\"b\"\"\"\n")
    }

    @Test func json() {
        let o = JSONOutput(fieldNames: ["saddr", "success", "n", "data", "none", "s"])
        var out: [UInt8] = []
        o.append([.address(IPAddress("198.51.100.1")!), .bool(false), .int(42), .binary([1]), .null, .string("a/b\"\n\u{1}")], to: &out)
        #expect(String(decoding: out, as: UTF8.self)
                == "{ \"saddr\": \"198.51.100.1\", \"success\": false, \"n\": 42, \"data\": \"01\", \"none\": null, \"s\": \"a\\/b\\\"\\n\\u0001\" }\n")
    }

    @Test func iids() throws {
        var r = SplitMix64(seed: 1)
        let mask: UInt128 = (1 << 64) - 1
        #expect(IIDModule.low.hostBits(n: 0, hostMask: mask, random: &r) == 1)
        #expect(IIDModule.low.hostBits(n: 0, hostMask: 0, random: &r) == 0)
        #expect(IIDModule.full.hostBits(n: 0, hostMask: mask, random: &r) == mask)
        #expect(IIDModule.zero.hostBits(n: 0, hostMask: mask, random: &r) == 0)
        #expect(IIDModule.lowFill.hostBits(n: 0, hostMask: mask, random: &r) == 0xFFFF)
        let set = try IIDModule.parse(name: "set", args: "::abcd:1234", family: .v6)
        #expect(set.hostBits(n: 0, hostMask: mask, random: &r) == 0xABCD_1234)
        #expect(throws: XMapError.self) { try IIDModule.parse(name: "set", args: "nonsense", family: .v6) }
        #expect(throws: XMapError.self) { try IIDModule.parse(name: "nosuch", args: nil, family: .v6) }
        let a = IIDModule.rand.hostBits(n: 0, hostMask: mask, random: &r), b = IIDModule.rand.hostBits(n: 1, hostMask: mask, random: &r)
        #expect(a != b && a & ~mask == 0)
        // --iid-num gives distinct host parts.
        let lows = (0..<5).map { IIDModule.low.hostBits(n: $0, hostMask: mask, random: &r) }
        #expect(Set(lows).count == 5)
    }
}
