import Testing
import XMapCore
import XMapModules
import XMapTestSupport

/// The DNS modules: `--probe-args`, the queries each module sends, which replies validate,
/// the result fields, and the `dnsr`/`dnsz` follow-up queries.
@Suite struct DNSProbeTests {
    typealias F = ProbeFixtures

    static func settings(
        _ f: IPFamily, _ args: String?, probes: Int = 1, indexes: Int? = nil,
        files: any FileSource = NoFiles()
    ) -> ProbeSettings {
        var s = F.settings(f, probeArgs: args, ports: [53], files: files)
        s.probes = probes
        if let indexes { s.targetIndexes = indexes; s.targetIndexesGiven = true }
        s.clock = { (1_700_000_000, 42) }
        return s
    }

    static func wire(_ name: String) -> [UInt8] {
        name.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }

    /// The query of `packet` (an IP packet): the DNS message after the UDP header.
    static func dns(_ packet: [UInt8], _ f: IPFamily) -> [UInt8] { Array(packet[(F.ipHeaderLength(f) + 8)...]) }

    static func u16(_ b: [UInt8], _ o: Int) -> UInt16 { UInt16(b[o]) << 8 | UInt16(b[o + 1]) }

    /// The validation word XMap's DNS modules derive the ID and source port from.
    static func base(_ f: IPFamily, dst: UInt128? = nil) -> UInt16 {
        let v = Validator(key: F.key, family: f).block(src: F.source(f), dst: dst ?? F.destination(f), port: 53)
        return UInt16(v[0]) << 8 | UInt16(v[1])
    }

    // MARK: arguments

    @Test("--probe-args: labels, recursion, questions; XMap's defaults and messages")
    func arguments() throws {
        func parse(
            _ a: String?, _ b: DNSBehavior = .a, indexes: Int? = nil, probes: Int = 1,
            files: any FileSource = NoFiles()
        ) throws -> DNSProbeArguments {
            try DNSProbeArguments.parse(a, behavior: b, module: "dnsa", indexes: indexes, probes: probes, files: files)
        }
        let d = try parse(nil)
        #expect(
            d.label == .raw && d.recursionDesired && d.questions.map(\.name) == ["www.qq.com"]
                && d.questions[0].type == .a)
        let s = try parse("str:www:no-recurse:text:A,example.com;aaaa,example.net")
        #expect(s.label == .text("www") && !s.recursionDesired)
        #expect(
            s.questions.map(\.name) == ["www.example.com", "www.example.net"] && s.questions.map(\.type) == [.a, .aaaa])
        // XMap matches label and keywords by prefix, without case.
        #expect(try parse("RandomX:recurseY:textZ:TXT,a.test").label == .random)
        #expect(try parse("dst-ip:recurse:text:CAA,a.test").label == .destination)
        #expect(try parse("time:recurse:text:A,a.test").label == .time)
        let files = InMemoryFiles(["/q": Array("A,one.test;NS,two.test\r\nMX,three.test\n".utf8)])
        #expect(
            try parse("raw:recurse:file:/q", files: files).questions.map(\.name) == [
                "one.test", "two.test", "three.test"
            ])
        // -P must match the questions when given.
        #expect(try parse("raw:recurse:text:A,a.test;A,b.test", indexes: 2).questions.count == 2)
        let usage = "unknown DNS probe specification (expected raw/time/random:recurse/no-recurse:text:TYPE,QUESTION"
        for bad in [
            "foo", "raw", "raw:recurse", "raw:maybe:text:A,a.test", "raw:recurse:http:A,a.test", "raw:recurse:text:A",
            "raw:recurse:text:,a.test", "raw:recurse:text:A,"
        ] {
            #expect { _ = try parse(bad) } throws: { ($0 as? XMapError)?.message.hasPrefix(usage) == true }
        }
        #expect(throws: XMapError("incorrect qtype supplied: BOGUS", module: "dnsa")) {
            _ = try parse("raw:recurse:text:bogus,a.test")
        }
        #expect(throws: XMapError("incorrect qtype supplied: OPT", module: "dnsa")) {
            _ = try parse("raw:recurse:text:OPT,a.test")
        }
        #expect(try parse("raw:recurse:text:OPT,a.test", .ae).questions[0].type == .opt)
        #expect(throws: XMapError("incorrect qtype supplied. SRV", module: "dnsa")) {
            _ = try parse("raw:recurse:text:SRV,a.test", .s)
        }
        #expect(throws: XMapError("less probes than questions configured. Add additional questions.", module: "dnsa")) {
            _ = try parse("raw:recurse:text:A,a.test;A,b.test", indexes: 1)
        }
        #expect(throws: XMapError("more probes than questions configured. Add additional probes.", module: "dnsa")) {
            _ = try parse("raw:recurse:text:A,a.test", indexes: 2)
        }
        #expect(throws: XMapError("invalid number of probes for the DNS module: 0", module: "dnsa")) {
            _ = try parse("raw:recurse:text:A,a.test", indexes: 0)
        }
        #expect { _ = try parse(nil, indexes: 3) } throws: {
            ($0 as? XMapError)?.message.contains("only the default question") == true
        }
        // dnsr and dnsz have no dst-ip label (and say so in their own usage text).
        #expect { _ = try parse("dst-ip:recurse:text:A,a.test", .r) } throws: {
            ($0 as? XMapError)?.message.hasPrefix("unknown DNS probe specification (expected raw/time/random:text:")
                == true
        }
        // The legacy `dns`: one question per probe.
        #expect(try parse("A,a.test;MX,b.test", .zmap, probes: 2).questions.map(\.type) == [.a, .mx])
        #expect(try parse(nil, .zmap, probes: 3).questions.count == 3)
        #expect(throws: XMapError("More probes than questions configured. Add additional questions.", module: "dns")) {
            _ = try parse("A,a.test", .zmap, probes: 2)
        }
        #expect(throws: XMapError("More args than probes passed. Add additional probes.", module: "dns")) {
            _ = try parse("A,a.test;A,b.test", .zmap, probes: 1)
        }
        #expect(throws: XMapError("Incorrect qtype supplied. SRV", module: "dns")) {
            _ = try parse("SRV,a.test", .zmap)
        }
        #expect { _ = try parse("a.test", .zmap) } throws: {
            ($0 as? XMapError)?.message.hasPrefix("Invalid probe args.") == true
        }
    }

    @Test("names that cannot be sent are errors at start: empty labels, labels over 63 bytes, names over 255")
    func badNames() {
        #expect(throws: XMapError.self) {
            _ = try DNSProbe<DNSA>.V4(settings: Self.settings(.v4, "raw:recurse:text:A,a..b"))
        }
        let long = String(repeating: "a", count: 60) + ".test"
        #expect(throws: XMapError.self) {
            _ = try DNSProbe<DNSA>.V4(settings: Self.settings(.v4, "random:recurse:text:A,\(long)"))
        }
        // own label
        #expect((try? DNSProbe<DNSR>.V4(settings: Self.settings(.v4, "random:recurse:text:A,\(long)"))) != nil)
        let labels = Array(repeating: String(repeating: "b", count: 60), count: 5).joined(separator: ".")  // 306 bytes
        #expect(throws: XMapError.self) {
            _ = try DNSProbe<DNSA>.V4(settings: Self.settings(.v4, "raw:recurse:text:A,\(labels)"))
        }
    }

    // MARK: queries

    @Test(
        "query layout: ports, ID, flags, question, checksums; per-probe source port and ID by module",
        arguments: [IPFamily.v4, .v6])
    func queries(_ f: IPFamily) throws {
        let base = Self.base(f)
        let first: UInt16 = 40000, n: UInt16 = 100
        func check<P: ProbeModule>(_ p: P, portPerProbe: Bool, idPerProbe: Bool, opt: [UInt8]?) {
            for probe in 0..<3 {
                let packet = F.build(p, port: 53, probe: probe)
                let ip = F.ipHeaderLength(f)
                let udp = Array(packet[ip...])
                let sport = Self.u16(udp, 0)
                #expect(sport == first + (base &+ UInt16(portPerProbe ? probe : 0)) % n)
                #expect(Self.u16(udp, 2) == 53 && Int(Self.u16(udp, 4)) == udp.count)
                #expect(
                    F.onesSum(F.pseudo(f, F.source(f), F.destination(f), proto: 17, length: udp.count) + udp) == 0xFFFF)
                if f == .v4 { #expect(F.onesSum(Array(packet[0..<20])) == 0xFFFF) }
                let m = Self.dns(packet, f)
                let id = base &+ UInt16(idPerProbe ? probe : 0)
                #expect(m[0] == UInt8(id & 0xFF) && m[1] == UInt8(id >> 8))  // XMap's host-order ID
                #expect(Array(m[2..<12]) == [0x01, 0, 0, 1, 0, 0, 0, 0, 0, opt == nil ? 0 : 1])
                #expect(Array(m[12...]) == Self.wire("example.com") + [0, 1, 0, 1] + (opt ?? []))
            }
        }
        let args = "raw:recurse:text:A,example.com"
        let edns: [UInt8] = [0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]
        if f == .v4 {
            check(
                try DNSProbe<DNSX>.V4(settings: Self.settings(f, args, probes: 3)), portPerProbe: true,
                idPerProbe: false, opt: nil)
            check(
                try DNSProbe<DNSA>.V4(settings: Self.settings(f, args, probes: 3)), portPerProbe: true,
                idPerProbe: true, opt: nil)
            check(
                try DNSProbe<DNSAN>.V4(settings: Self.settings(f, args, probes: 3)), portPerProbe: false,
                idPerProbe: false, opt: nil)
            check(
                try DNSProbe<DNSAI>.V4(settings: Self.settings(f, args, probes: 3)), portPerProbe: false,
                idPerProbe: true, opt: nil)
            check(
                try DNSProbe<DNSAP>.V4(settings: Self.settings(f, args, probes: 3)), portPerProbe: true,
                idPerProbe: false, opt: nil)
            check(
                try DNSProbe<DNSAE>.V4(settings: Self.settings(f, args, probes: 3)), portPerProbe: true,
                idPerProbe: true, opt: edns)
            check(
                try DNSProbe<DNSANE16>.V4(settings: Self.settings(f, args, probes: 3)), portPerProbe: false,
                idPerProbe: false,
                opt: [0, 0, 41, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0])
            check(
                try DNSProbe<DNSS>.V4(settings: Self.settings(f, args, probes: 3)), portPerProbe: true,
                idPerProbe: false,
                opt: [0, 0, 41, 0x10, 0, 0, 0, 0x80, 0, 0, 0])
            check(
                try DNSProbe<DNS>.V4(
                    settings: Self.settings(f, "A,example.com;A,example.com;A,example.com", probes: 3)),
                portPerProbe: true, idPerProbe: false, opt: nil)
        } else {
            check(
                try DNSProbe<DNSX>.V6(settings: Self.settings(f, args, probes: 3)), portPerProbe: true,
                idPerProbe: false, opt: nil)
            check(
                try DNSProbe<DNSAIE>.V6(settings: Self.settings(f, args, probes: 3)), portPerProbe: false,
                idPerProbe: true, opt: edns)
        }
    }

    @Test("dnsv asks in class CHAOS; questions follow the target index; the legacy dns follows the probe number")
    func classesAndIndexes() throws {
        let v = try DNSProbe<DNSV>.V4(settings: Self.settings(.v4, "raw:no-recurse:text:TXT,version.bind"))
        let m = Self.dns(F.build(v, port: 53), .v4)
        #expect(m[2] == 0 && Array(m[(m.count - 4)...]) == [0, 16, 0, 3])
        // dnsa with two questions: index 1 asks the second.
        let a = try DNSProbe<DNSA>.V4(
            settings: Self.settings(.v4, "raw:recurse:text:A,one.test;MX,two.test", indexes: 2))
        #expect(a.targetIndexCount == 2)
        var buf = [UInt8](repeating: 0, count: a.packetLength)
        let n = buf.withUnsafeMutableBytes { b -> Int in
            a.writeTemplate(into: b.baseAddress!)
            var t = a.makeThreadState(seed: 0)
            return a.makePacket(
                into: b.baseAddress!, source: F.src4, target: Target(address: F.dst4, port: 53, index: 1), probe: 0,
                validation: Validator(key: F.key, family: .v4).block(src: F.src4, dst: F.dst4, port: 53), thread: &t)
        }
        #expect(Array(Self.dns(Array(buf[0..<n]), .v4)[12...]) == Self.wire("two.test") + [0, 15, 0, 1])
        let legacy = try DNSProbe<DNS>.V4(settings: Self.settings(.v4, "A,one.test;MX,two.test", probes: 2))
        #expect(legacy.targetIndexCount == nil)
        #expect(
            Array(Self.dns(F.build(legacy, port: 53, probe: 1), .v4)[12...]) == Self.wire("two.test") + [0, 15, 0, 1])
    }

    @Test("labels: random letters from the thread's stream, time, dst-ip, dnsf's long form; joined with - or .")
    func labels() throws {
        // Random: XMap's letters, one AES word each, from the thread's stream.
        let r = try DNSProbe<DNSA>.V4(settings: Self.settings(.v4, "random:recurse:text:A,example.com"))
        var stream = AESRandom(seed: 0x7CDB_A852)
        let expected = (0..<8).map { _ in Character(Unicode.Scalar(UInt8(97 + (stream.nextWord() & 0xFFFF_FFFF) % 26)))
        }
        var thread = r.makeThreadState(seed: 0x7CDB_A852)
        let first = Self.dns(F.build(r, src: F.src4, dst: F.dst4, port: 53, thread: &thread), .v4)
        #expect(
            Array(first[12...]) == [UInt8(8 + 1 + 7)] + Array((String(expected) + "-example").utf8) + [3]
                + Array("com".utf8) + [0, 0, 1, 0, 1])
        let second = Self.dns(F.build(r, src: F.src4, dst: F.dst4, port: 53, thread: &thread), .v4)
        #expect(first != second)  // the stream goes on
        // dnsr: 17 letters, a label of its own.
        let rr = try DNSProbe<DNSR>.V4(settings: Self.settings(.v4, "random:recurse:text:A,example.com"))
        let q = Self.dns(F.build(rr, port: 53), .v4)
        #expect(q[12] == 17 && q[30] == 7)
        // Time, from the clock: seconds-microseconds (6 digits).
        let t = try DNSProbe<DNSX>.V4(settings: Self.settings(.v4, "time:recurse:text:A,example.com"))
        #expect(Array(Self.dns(F.build(t, port: 53), .v4)[12..<38]) == [25] + Array("1700000000-000042-example".utf8))
        // dst-ip: the destination's first four bytes in hex (IPv6: of the address's top).
        let d = try DNSProbe<DNSX>.V6(settings: Self.settings(.v6, "dst-ip:recurse:text:A,a.test"))
        #expect(Array(Self.dns(F.build(d, port: 53), .v6)[12..<24]) == [10] + Array("20010db8-a".utf8) + [4])
        // dnsf: spoofed; the label names the probe, the resolver, the port and the ID.
        let s = try DNSProbe<DNSF>.V4(settings: Self.settings(.v4, "dst-ip:recurse:text:A,a.test"))
        let packet = F.build(s, port: 53)
        #expect(Array(packet[12..<16]) == IPAddress(family: .v4, value: F.dst4).bytes)  // source: the scanned address
        #expect(Array(packet[16..<20]) == IPAddress(family: .v4, value: F.src4).bytes)  // destination: the resolver
        let base = Self.base(.v4)
        let label = "1-192-0-2-1-\(40000 + base % 100)-\(base)"
        #expect(
            Array(Self.dns(packet, .v4)[12...]) == [UInt8(label.utf8.count)] + Array(label.utf8) + Self.wire("a.test")
                + [0, 1, 0, 1])
    }

    // MARK: replies

    /// A response to `query` (an IP packet): addresses and ports swapped, QR set, `answers`
    /// appended (already encoded, with their count), the given RCODE and ID bytes.
    static func response(
        to query: [UInt8], _ f: IPFamily, rcode: UInt8 = 0, answers: [UInt8] = [], count: Int = 0,
        id: (UInt8, UInt8)? = nil, fromPort: UInt16 = 53
    ) -> [UInt8] {
        let ip = F.ipHeaderLength(f)
        var r = Array(F.reversed(query, f)[0..<ip])
        let sport = u16(query, ip)
        var m = dns(query, f)
        m[2] |= 0x80
        m[3] = 0x80 | rcode
        m[7] = UInt8(count)
        if let id { m[0] = id.0; m[1] = id.1 }
        m += answers
        let udpLength = 8 + m.count
        r +=
            [
                UInt8(fromPort >> 8), UInt8(fromPort & 0xFF), UInt8(sport >> 8), UInt8(sport & 0xFF),
                UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0
            ] + m
        if f == .v4 {
            r[2] = UInt8(r.count >> 8); r[3] = UInt8(r.count & 0xFF)
        } else {
            r[4] = UInt8(udpLength >> 8); r[5] = UInt8(udpLength & 0xFF)
        }
        return r
    }

    static func answerA(_ address: [UInt8]) -> [UInt8] { [0xC0, 12, 0, 1, 0, 1, 0, 0, 1, 0x2C, 0, 4] + address }

    @Test("replies: ours validate (ID and port), others do not; fields of a full answer", arguments: [IPFamily.v4, .v6])
    func replies(_ f: IPFamily) throws {
        func run<P: ProbeModule>(_ p: P) {
            let query = F.build(p, port: 53, probe: 1)
            let reply = Self.response(to: query, f, answers: Self.answerA([192, 0, 2, 99]), count: 1)
            let valid = F.validate(
                p, reply,
                context: ReplyContext(
                    validator: Validator(key: F.key, family: f),
                    sourcePorts: F.settings(f).sourcePorts, probes: 3,
                    targetPorts: PortSet([53])))
            #expect(valid?.reportedSource == F.destination(f))
            #expect(F.validate(p, reply, ports: [53]) == nil || P.name == "dnsx")  // probe 1 of 1: not ours for dnsa
            let m = Self.dns(query, f)
            // wrong ID
            #expect(F.validate(p, Self.response(to: query, f, id: (m[0] ^ 0x40, m[1])), ports: [53]) == nil)
            // not the port we asked
            #expect(F.validate(p, Self.response(to: query, f, fromPort: 54), ports: [53, 54]) == nil)
            for cut in 0..<reply.count { _ = F.validate(p, Array(reply[0..<cut]), ports: [53]); _ = cut }
        }
        if f == .v4 {
            run(try DNSProbe<DNSA>.V4(settings: Self.settings(f, nil, probes: 3)))
        } else {
            run(try DNSProbe<DNSA>.V6(settings: Self.settings(f, nil, probes: 3)))
        }

        // The fields of an answer to probe 0.
        let p = try DNSProbe<DNSX>.V4(settings: Self.settings(.v4, "raw:recurse:text:A,example.com"))
        let query = F.build(p, port: 53)
        let reply = Self.response(to: query, .v4, answers: Self.answerA([192, 0, 2, 99]), count: 1)
        let key = try #require(F.validate(p, reply, ports: [53])).repeatKey
        #expect(key.address == F.dst4)
        // Another question to the same resolver is another result; the same one is a repeat.
        let other = try DNSProbe<DNSX>.V4(settings: Self.settings(.v4, "raw:recurse:text:A,example.net"))
        #expect(F.validate(other, Self.response(to: F.build(other, port: 53), .v4), ports: [53])?.repeatKey != key)
        let values = F.fields(p, reply)
        let sport = Self.u16(query, 20)
        #expect(
            Array(values[0..<10]) == [
                .string("dns"), .bool(true), .bool(true), .int(53), .int(UInt64(sport)),
                .int(UInt64(reply.count - 20)), .null, .null, .null, .null
            ])
        #expect(values[DNSField.qr.rawValue] == .int(1) && values[DNSField.rcode.rawValue] == .int(0))
        #expect(values[DNSField.answerCount.rawValue] == .int(1))
        #expect(
            values[DNSField.questions.rawValue]
                == .list([
                    .object([
                        FieldMember("name", .string("example.com")), FieldMember("qtype", .int(1)),
                        FieldMember("qtype_str", .string("A")),
                        FieldMember("qclass", .int(1))
                    ])
                ]))
        #expect(
            values[DNSField.answers.rawValue]
                == .list([
                    .object([
                        FieldMember("name", .string("example.com")), FieldMember("type", .int(1)),
                        FieldMember("type_str", .string("A")),
                        FieldMember("class", .int(1)), FieldMember("ttl", .int(300)), FieldMember("rdlength", .int(4)),
                        FieldMember("rdata_is_parsed", .int(1)), FieldMember("rdata", .string("192.0.2.99")),
                        FieldMember("rdata_fields", .object([FieldMember("address", .string("192.0.2.99"))]))
                    ])
                ]))
        #expect(values[DNSField.parseError.rawValue] == .int(0) && values[DNSField.unconsumedBytes.rawValue] == .int(0))
        #expect(values[DNSField.rawData.rawValue] == .binary(Array(reply[28...])))
        // REFUSED is a reply, not an application success; NXDOMAIN is one for dnsr.
        #expect(
            F.fields(p, Self.response(to: query, .v4, rcode: 5))[DNSField.applicationSuccess.rawValue] == .bool(false))
        let r = try DNSProbe<DNSR>.V4(settings: Self.settings(.v4, "raw:recurse:text:A,example.com"))
        #expect(
            F.fields(r, Self.response(to: F.build(r, port: 53), .v4, rcode: 3))[DNSField.applicationSuccess.rawValue]
                == .bool(true))
    }

    @Test("ICMP errors quoting a query: reported for the probed address; a wrong quoted ID is not ours")
    func icmpErrors() throws {
        let p = try DNSProbe<DNSA>.V4(settings: Self.settings(.v4, nil))
        let query = F.build(p, port: 53)
        let router: [UInt8] = [192, 0, 2, 254]
        let error = F.icmpError(quoting: query, .v4, router: router, src: F.src4, type: 3, code: 3)
        let valid = try #require(F.validate(p, error, ports: [53]))
        #expect(valid.reportedSource == F.dst4 && valid.repeatKey.address == 0xC000_02FE)
        let values = F.fields(p, error)
        #expect(
            values[DNSField.clas.rawValue] == .string("unreach") && values[DNSField.success.rawValue] == .bool(false))
        #expect(
            values[DNSField.sport.rawValue] == .int(53)
                && values[DNSField.icmpString.rawValue] == .string("port unreachable"))
        #expect(values[DNSField.id.rawValue] == .null && values[DNSField.answers.rawValue] == .list([]))
        #expect(values[DNSField.parseError.rawValue] == .int(1))
        // A router that quotes only the UDP header: validated on the ports alone.
        #expect(
            F.validate(
                p, F.icmpError(quoting: Array(query[0..<28]), .v4, router: router, src: F.src4, type: 3, code: 3),
                ports: [53]) != nil)
        // A quote whose DNS ID is not ours.
        var forged = query
        forged[28] ^= 0x55
        #expect(
            F.validate(p, F.icmpError(quoting: forged, .v4, router: router, src: F.src4, type: 3, code: 3), ports: [53])
                == nil)
    }

    @Test("dnsr asks for NS without recursion; dnsz asks again, but not the final address")
    func followUps() throws {
        func followUp<P: ProbeModule>(_ p: P, _ reply: [UInt8]) -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: p.packetLength)
            let n = buffer.withUnsafeMutableBytes { b -> Int in
                p.writeTemplate(into: b.baseAddress!)
                return reply.withUnsafeBytes { r in
                    let pkt = ReplyPacket(r)
                    return p.followUp(pkt, header: IPHeaderView(pkt, family: .v4)!, into: b.baseAddress!)
                }
            }
            return Array(buffer[0..<n])
        }
        let r = try DNSProbe<DNSR>.V4(settings: Self.settings(.v4, "raw:recurse:text:A,example.com"))
        let query = F.build(r, port: 53)
        let reply = Self.response(to: query, .v4, answers: Self.answerA([192, 0, 2, 99]), count: 1)
        let ns = followUp(r, reply)
        #expect(Array(ns[12..<16]) == [192, 0, 2, 1] && Array(ns[16..<20]) == [198, 51, 100, 5])
        #expect(Self.u16(ns, 20) == Self.u16(query, 20) && Self.u16(ns, 22) == 53)
        #expect(F.onesSum(Array(ns[0..<20])) == 0xFFFF)
        #expect(F.onesSum(F.pseudo(.v4, F.src4, F.dst4, proto: 17, length: ns.count - 20) + Array(ns[20...])) == 0xFFFF)
        let m = Self.dns(query, .v4)
        #expect(
            Self.dns(ns, .v4) == [m[0], m[1], 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] + Self.wire("example.com") + [0, 2, 0, 1])
        // The answer to that NS query, an error and a question for NS get none.
        #expect(followUp(r, Self.response(to: ns, .v4)).isEmpty)
        #expect(followUp(r, Self.response(to: query, .v4, rcode: 3)).isEmpty)
        // dnsz asks the same question again, with recursion.
        let z = try DNSProbe<DNSZ>.V4(settings: Self.settings(.v4, "raw:no-recurse:text:TXT,example.com"))
        let zq = F.build(z, port: 53)
        let again = followUp(z, Self.response(to: zq, .v4))
        #expect(
            Array(Self.dns(again, .v4)[2..<4]) == [1, 0]
                && Array(Self.dns(again, .v4)[12...]) == Self.wire("example.com") + [0, 16, 0, 1])
        var settings = Self.settings(.v4, "raw:recurse:text:TXT,example.com")
        settings.moduleOptions["dnsz-final"] = "198.51.100.5"  // F.dst4
        let final = try DNSProbe<DNSZ>.V4(settings: settings)
        #expect(followUp(final, Self.response(to: F.build(final, port: 53), .v4)).isEmpty)
        #expect(
            DNSProbe<DNSZ>.V4.sendsFollowUps && !DNSProbe<DNSZ>.V4.followsUpRepeats && !DNSProbe<DNSA>.V4.sendsFollowUps
        )
    }

    @Test("the legacy dns: success only for one of our questions")
    func legacySuccess() throws {
        let p = try DNSProbe<DNS>.V4(settings: Self.settings(.v4, "A,example.com"))
        let query = F.build(p, port: 53)
        #expect(F.fields(p, Self.response(to: query, .v4))[DNSField.success.rawValue] == .bool(true))
        var other = query
        other[28 + 13] = UInt8(ascii: "x")  // another name in the echoed question
        let reply = Self.response(to: other, .v4)
        #expect(F.validate(p, reply, ports: [53]) != nil)
        let values = F.fields(p, reply)
        #expect(values[DNSField.success.rawValue] == .bool(false) && values[DNSField.answers.rawValue] == .list([]))
    }
}
