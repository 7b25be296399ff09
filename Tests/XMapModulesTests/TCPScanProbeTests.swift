import Testing
import XMapCore
import XMapModules
import XMapTestSupport

/// `tcp_scan`: ACK-bearing replies validate, and the connection is closed.
@Suite struct TCPScanProbeTests {
    typealias F = ProbeFixtures

    @Test("SYN-ACK gets a FIN-ACK and FIN-ACK an ACK; RST-ACK is a result, a bare RST is not")
    func followUps() throws {
        let p = try TCPScanProbe.V4(settings: F.settings(.v4))
        let probe = F.build(p, port: 80)
        let sport = UInt16(probe[20]) << 8 | UInt16(probe[21])
        let seq = TCPSynProbeTests.sequence(probe, .v4)
        func reply(flags: UInt8, ack: UInt32, theirSeq: UInt32 = 0x1234_5678) -> [UInt8] {
            TCPSynProbeTests.reply(to: probe, .v4, flags: flags, ack: ack, theirSeq: theirSeq)
        }
        func answer(_ r: [UInt8]) -> [UInt8] {
            var buf = [UInt8](repeating: 0, count: 128)
            let n = buf.withUnsafeMutableBytes { b -> Int in
                p.writeTemplate(into: b.baseAddress!)
                return r.withUnsafeBytes { rb in
                    let pkt = ReplyPacket(rb)
                    return p.followUp(pkt, header: IPHeaderView(pkt, family: .v4)!, into: b.baseAddress!)
                }
            }
            return Array(buf[0..<n])
        }
        let synack = reply(flags: 0x12, ack: seq &+ 1)
        #expect(F.validate(p, synack) != nil)
        #expect(F.fields(p, synack)[10] == .string("synack"))
        let fin = answer(synack)
        #expect(fin.count == 40)
        let tcp = Array(fin[20...])
        #expect(Array(tcp[0..<4]) == [UInt8(sport >> 8), UInt8(sport & 0xFF), 0, 80])
        #expect(Array(tcp[4..<8]) == withUnsafeBytes(of: (seq &+ 1).bigEndian, Array.init))  // their ack
        #expect(Array(tcp[8..<12]) == [0x12, 0x34, 0x56, 0x79])  // their seq + 1
        #expect(tcp[13] == 0x11)
        #expect(F.onesSum(F.pseudo(.v4, F.src4, F.dst4, proto: 6, length: 20) + tcp) == 0xFFFF)
        #expect(F.onesSum(Array(fin[0..<20])) == 0xFFFF)
        let finack = reply(flags: 0x11, ack: seq &+ 2, theirSeq: 0x1234_5679)
        #expect(F.fields(p, finack)[10] == .string("finack"))
        #expect(F.validate(p, finack)?.repeatKey != F.validate(p, synack)?.repeatKey)
        #expect(answer(finack).count == 40 && answer(finack)[33] == 0x10)
        let ack = reply(flags: 0x10, ack: seq &+ 2)
        #expect(F.fields(p, ack)[10] == .string("ack") && answer(ack).isEmpty)
        #expect(F.validate(p, reply(flags: 0x10, ack: seq &+ 4)) == nil)  // beyond SYN and FIN
        #expect(F.validate(p, reply(flags: 0x04, ack: seq &+ 1)) == nil)  // bare RST: no ACK
        #expect(F.validate(p, reply(flags: 0x14, ack: seq &+ 1)) != nil)  // RST-ACK
        #expect(answer(reply(flags: 0x14, ack: seq &+ 1)).isEmpty)
    }

    @Test("--probe-args errors name tcp_scan")
    func arguments() {
        #expect(throws: XMapError("the tcp_scan module takes no --probe-args (got 'x')")) {
            try TCPScanProbe.V4(settings: F.settings(.v4, probeArgs: "x"))
        }
    }
}
