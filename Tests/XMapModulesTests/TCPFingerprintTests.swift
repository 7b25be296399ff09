import Testing
import XMapCore
import XMapModules

/// `fingerprint`: the signature of hand-built SYN-ACKs, option by option and quirk by quirk.
@Suite struct TCPFingerprintTests {
    /// A SYN-ACK over IPv4 (DF, ID `id`, TTL `ttl`) with `options` and `flags`.
    static func synack4(
        options: [UInt8], window: UInt16 = 64240, ttl: UInt8 = 61, id: UInt16 = 0, df: Bool = true,
        flags: UInt8 = 0x12, seq: UInt32 = 0x1234_5678, ack: UInt32 = 1, urgent: UInt16 = 0,
        tos: UInt8 = 0, payload: [UInt8] = []
    ) -> [UInt8] {
        let tcp =
            tcpHeader(options: options, window: window, flags: flags, seq: seq, ack: ack, urgent: urgent)
            + payload
        let total = 20 + tcp.count
        return [
            0x45, tos, UInt8(total >> 8), UInt8(total & 0xFF), UInt8(id >> 8), UInt8(id & 0xFF), df ? 0x40 : 0, 0,
            ttl, 6, 0, 0, 198, 51, 100, 5, 192, 0, 2, 1
        ] + tcp
    }

    static func tcpHeader(
        options: [UInt8], window: UInt16, flags: UInt8, seq: UInt32, ack: UInt32,
        urgent: UInt16
    ) -> [UInt8] {
        let length = 20 + options.count
        return [0, 80, 0x9C, 0x40] + withUnsafeBytes(of: seq.bigEndian, Array.init)
            + withUnsafeBytes(of: ack.bigEndian, Array.init)
            + [
                UInt8(length / 4) << 4, flags, UInt8(window >> 8), UInt8(window & 0xFF), 0, 0,
                UInt8(urgent >> 8), UInt8(urgent & 0xFF)
            ] + options
    }

    static func signature(_ ip: [UInt8], _ f: IPFamily = .v4) -> String? {
        ip.withUnsafeBytes { b in
            let p = ReplyPacket(b)
            return IPHeaderView(p, family: f).flatMap { TCPFingerprint(p, header: $0)?.description }
        }
    }

    static let linux: [UInt8] = [2, 4, 5, 0xB4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 1, 1, 3, 3, 7]

    @Test("a Linux SYN-ACK, and what each change does to it")
    func linux() {
        #expect(Self.signature(Self.synack4(options: Self.linux)) == "4:64:0:1460:mss*44,7:mss,sok,ts,nop,ws:df:0")
        // Window scaling off: no ws option, another window.
        let noScale: [UInt8] = [2, 4, 5, 0xB4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 1]
        #expect(
            Self.signature(Self.synack4(options: noScale, window: 65535))
                == "4:64:0:1460:65535,*:mss,sok,ts:df:0")
        // Only the hop count differs: the same signature.
        #expect(
            Self.signature(Self.synack4(options: Self.linux, ttl: 50))
                == Self.signature(Self.synack4(options: Self.linux)))
        #expect(Self.signature(Self.synack4(options: Self.linux, ttl: 120))?.hasPrefix("4:128:") == true)
        #expect(Self.signature(Self.synack4(options: Self.linux, ttl: 200))?.hasPrefix("4:255:") == true)
        #expect(Self.signature(Self.synack4(options: Self.linux, ttl: 20))?.hasPrefix("4:32:") == true)
        #expect(Self.signature(Self.synack4(options: [])) == "4:64:0:*:64240,*::df:0")
    }

    @Test("quirks: IP ID, flags, ECN, numbers, timestamps, options after EOL, scale, malformed options")
    func quirks() {
        func quirks(_ ip: [UInt8]) -> String {
            String(Self.signature(ip)?.split(separator: ":", omittingEmptySubsequences: false)[6] ?? "?")
        }
        #expect(quirks(Self.synack4(options: [], id: 7)) == "df,id+")
        #expect(quirks(Self.synack4(options: [], id: 0, df: false)) == "id-")
        #expect(quirks(Self.synack4(options: [], tos: 1)) == "df,ecn")
        #expect(quirks(Self.synack4(options: [], flags: 0x52)) == "df,ecn")
        #expect(quirks(Self.synack4(options: [], seq: 0)) == "df,seq-")
        #expect(quirks(Self.synack4(options: [], ack: 0)) == "df,ack-")
        #expect(quirks(Self.synack4(options: [], flags: 0x02, ack: 5)) == "df,ack+")
        #expect(quirks(Self.synack4(options: [], urgent: 9)) == "df,uptr+")
        #expect(quirks(Self.synack4(options: [], flags: 0x32, urgent: 9)) == "df,urgf+")
        #expect(quirks(Self.synack4(options: [], flags: 0x1A)) == "df,pushf+")
        #expect(quirks(Self.synack4(options: [8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1])) == "df,ts1-")
        #expect(quirks(Self.synack4(options: [1, 0, 0, 5])) == "df,opt+")
        #expect(quirks(Self.synack4(options: [3, 3, 15, 0])) == "df,exws")
        #expect(quirks(Self.synack4(options: [2, 9, 0, 0])) == "df,bad")
        #expect(quirks(Self.synack4(options: [2, 3, 0, 0])) == "df,bad")
        #expect(Self.signature(Self.synack4(options: [1, 0, 0, 0])) == "4:64:0:*:64240,*:nop,eol+2:df:0")
        #expect(
            Self.signature(Self.synack4(options: [30, 4, 0, 0, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0]))
                == "4:64:0:*:64240,*:?30,sack,eol+1:df:0")
        #expect(Self.signature(Self.synack4(options: [], payload: [1, 2, 3]))?.hasSuffix(":+") == true)
    }

    @Test("IPv6: flow label and traffic class; truncated segments")
    func ipv6() {
        let tcp = Self.tcpHeader(options: Self.linux, window: 64260, flags: 0x12, seq: 9, ack: 1, urgent: 0)
        let ip: [UInt8] =
            [0x60, 0x0A, 0xBC, 0xDE, 0, UInt8(tcp.count), 6, 64] + IPAddress("2001:db8:1::5")!.bytes
            + IPAddress("2001:db8:0:1::1")!.bytes + tcp
        #expect(Self.signature(ip, .v6) == "6:64:0:1460:64260,7:mss,sok,ts,nop,ws:flow:0")
        var ecn = ip
        ecn[1] |= 0x10  // traffic class ECT(0)
        #expect(Self.signature(ecn, .v6) == "6:64:0:1460:64260,7:mss,sok,ts,nop,ws:ecn,flow:0")
        // Options cut by the capture are malformed; a header cut before its window has no signature.
        let v4 = Self.synack4(options: Self.linux)
        #expect(Self.signature(Array(v4[0..<(v4.count - 4)]))?.contains("bad") == true)
        for cut in 0..<40 { #expect(Self.signature(Array(v4[0..<cut])) == nil) }
    }
}
