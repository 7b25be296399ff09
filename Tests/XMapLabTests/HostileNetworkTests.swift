import Foundation
import Testing
import XMapTestSupport

extension LabScanTests {
    /// A hostile target network: every probe is answered with forged replies, every genuine
    /// reply is sent ten times over, and malformed packets come in between.
    @Suite("Hostile network")
    struct HostileNetwork {
        /// Runs on the target network's side of the veth: sees the probes and the kernel's
        /// genuine SYN-ACKs on a packet socket and answers with junk.
        static let responder = #"""
            import os, random, socket, struct, sys, time
            iface, stop = sys.argv[1], time.time() + float(sys.argv[2])
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
            s.bind((iface, 0))
            s.settimeout(0.2)
            open(sys.argv[3], 'w').close()     # ready: the scan may start
            def csum(b):
                if len(b) % 2: b += b'\0'
                t = sum(struct.unpack('!%dH' % (len(b) // 2), b)); t = (t >> 16) + (t & 0xffff); t += t >> 16
                return ~t & 0xffff
            def ip4(src, dst, proto, payload):
                h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 7, 0, 64, proto, 0, src, dst)
                return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload
            while time.time() < stop:
                try:
                    frame, addr = s.recvfrom(2048)
                except socket.timeout:
                    continue
                if len(frame) < 54 or frame[12:14] != b'\x08\x00' or frame[23] != 6:
                    continue
                ihl = (frame[14] & 15) * 4
                src, dst = frame[26:30], frame[30:34]
                tcp = frame[14 + ihl:]
                sport, dport, seq, ack = struct.unpack('!HHII', tcp[:12])
                flags = tcp[13]
                if addr[2] == socket.PACKET_OUTGOING and flags == 0x12:
                    for _ in range(10):          # a genuine SYN-ACK, ten times over
                        s.send(frame)
                elif addr[2] != socket.PACKET_OUTGOING and flags == 0x02 and dport == 80:
                    eth = frame[6:12] + frame[0:6] + b'\x08\x00'
                    for _ in range(3):           # forged SYN-ACKs: wrong acknowledgement numbers
                        t = struct.pack('!HHIIBBHHH', 80, sport, random.getrandbits(32), random.getrandbits(32), 0x50, 0x12, 65535, 0, 0)
                        t = t[:16] + struct.pack('!H', csum(dst + src + struct.pack('!BBH', 0, 6, 20) + t)) + t[18:]
                        s.send(eth + ip4(dst, src, 6, t))
                    # Junk the kernel's filter lets through (an IPv4 SYN-ACK) but that is no IP packet:
                    # total lengths below the header's own length.
                    junk = t[:13] + b'\x12' + t[14:]
                    for total in (5, 19):
                        h = ip4(dst, src, 6, junk)
                        s.send(eth + h[:2] + struct.pack('!H', total) + h[4:])
                    s.send(eth + ip4(dst, src, 6, b'\x00\x50'))                    # TCP cut after two bytes (filtered)
            """#

        @Test("results stay exactly the ground truth; repeats, forgeries and junk are counted; memory stays small")
        func flood() throws {
            let lab = try Lab()
            defer { lab.down() }
            let dir = lab["LAB_DIR"]
            try Self.responder.write(toFile: dir + "/hostile.py", atomically: true, encoding: .utf8)
            let ready = dir + "/hostile.ready"
            _ = try lab.inNet("python3 \(dir)/hostile.py \(lab["LAB_NET_IFACE"]) 60 \(ready) >/dev/null 2>&1 &")
            // Under load the interpreter can take seconds to start: wait until it listens.
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: ready) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
            }
            #expect(FileManager.default.fileExists(atPath: ready), "the hostile responder did not start")
            let r = try lab.inScan(
                """
                /usr/bin/time -f 'maxrss=%M' $XMAP -4 -M tcp_syn -p 80 -R 2000 -c 2 -q -m \(dir)/meta.json \(lab["LAB_TARGETS4"])
                """)
            #expect(r.status == 0, "\(r.stderr)")
            let got = Array(r.stdout.split(separator: "\n").dropFirst().map(String.init))
            #expect(got.sorted() == (try lab.truth("tcp80_4.txt")).sorted())
            let meta = try String(contentsOfFile: dir + "/meta.json", encoding: .utf8)
            func count(_ key: String) -> Int {
                Int(meta.components(separatedBy: "\"\(key)\": ").dropFirst().first?.prefix { $0.isNumber } ?? "") ?? -1
            }
            #expect(count("repeat_replies") >= 9 * 68, "\(meta)")
            #expect(count("validation_failed") >= 3 * 256, "\(meta)")
            #expect(count("malformed_replies") >= 2 * 256, "\(meta)")
            let rss = Int(r.stderr.components(separatedBy: "maxrss=").last?.prefix { $0.isNumber } ?? "") ?? 0
            #expect(rss > 0 && rss < 200_000, "peak resident memory \(rss) KiB")
        }
    }
}
