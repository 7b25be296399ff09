import Testing
import XMapCore
import XMapModules
import XMapTestSupport

/// Replies come from the whole Internet: random bytes must never crash a validator, and never
/// validate (the chance of forging a 32-bit validation value is negligible here).
@Suite struct HostileReplyTests {
    typealias F = ProbeFixtures

    @Test("random packets never crash and never validate")
    func randomPackets() throws {
        let modules: [any ProbeModule] = [
            try ICMPEchoProbe.V4(settings: F.settings(.v4)), try ICMPEchoProbe.V6(settings: F.settings(.v6)),
            try TCPSynProbe.V4(settings: F.settings(.v4)), try TCPSynProbe.V6(settings: F.settings(.v6)),
            try TCPScanProbe.V4(settings: F.settings(.v4)),
            try UDPProbe.V4(settings: F.settings(.v4)), try UDPProbe.V6(settings: F.settings(.v6)),
            try DNSProbe<DNSA>.V4(settings: F.settings(.v4, ports: [53])),
            try DNSProbe<DNSX>.V6(settings: F.settings(.v6, ports: [53])),
            try DNSProbe<DNSR>.V4(settings: F.settings(.v4, ports: [53])),
            try DNSProbe<DNS>.V4(settings: F.settings(.v4, ports: [53]))
        ]
        var rng = SplitMix64(seed: 99)
        var accepted = 0
        func check<P: ProbeModule>(_ p: P, _ bytes: [UInt8]) {
            if F.validate(p, bytes) != nil { accepted += 1 }
        }
        for _ in 0..<20000 {
            let n = Int(rng.next() % 120)
            var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            for m in modules {
                let f = type(of: m).family
                if !bytes.isEmpty { bytes[0] = f == .v4 ? 0x45 : 0x60 }
                let proto = [f == .v4 ? 1 : 58, 6, 17][Int(rng.next() % 3)]
                if bytes.count > 9 && f == .v4 { bytes[9] = UInt8(proto) }
                if bytes.count > 6 && f == .v6 { bytes[6] = UInt8(proto) }
                check(m, bytes)
            }
        }
        #expect(accepted == 0)
    }

    @Test("record decoding of any packet a module could see never traps", arguments: [IPFamily.v4, .v6])
    func recordsOfGarbage(_ f: IPFamily) throws {
        var rng = SplitMix64(seed: 7)
        func decode<P: ProbeModule>(_ p: P) {
            for _ in 0..<5000 {
                var bytes = (0..<(20 + Int(rng.next() % 100))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                bytes[0] = f == .v4 ? 0x45 : 0x60
                for proto: UInt8 in [1, 6, 17, 58] {
                    if f == .v4 {
                        bytes[9] = proto; bytes[6] = 0; bytes[7] = 0
                    } else if bytes.count > 40 {
                        bytes[6] = proto
                    }
                    guard bytes.withUnsafeBytes({ IPHeaderView(ReplyPacket($0), family: f) }) != nil else { continue }
                    _ = F.fields(p, bytes)
                }
            }
        }
        if f == .v4 {
            decode(try ICMPEchoProbe.V4(settings: F.settings(f)))
            decode(try TCPScanProbe.V4(settings: F.settings(f)))
            decode(try UDPProbe.V4(settings: F.settings(f)))
            decode(try DNSProbe<DNSAE>.V4(settings: F.settings(f, ports: [53])))
        } else {
            decode(try ICMPEchoProbe.V6(settings: F.settings(f)))
            decode(try TCPSynProbe.V6(settings: F.settings(f)))
            decode(try UDPProbe.V6(settings: F.settings(f)))
            decode(try DNSProbe<DNSA>.V6(settings: F.settings(f, ports: [53])))
        }
    }
}
