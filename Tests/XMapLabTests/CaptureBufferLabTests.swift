import Foundation
import Testing
import XMapTestSupport

extension LabScanTests {
    /// The capture buffer holds the replies the receiver has not read yet: sized from the rate, it
    /// keeps every reply of a full-rate scan where every probe is answered, even while the
    /// output stalls; when it is too small, the drops are counted and reported, never silent.
    @Suite("Capture buffer")
    struct CaptureBuffer {
        /// Results (lines starting with the /16's first octets) and the metadata's `pcap_drop`.
        static func outcome(_ lab: Lab) throws -> (results: Set<String>, drops: Int) {
            let out = try String(contentsOfFile: lab["LAB_DIR"] + "/out.csv", encoding: .utf8)
            let results = Set(out.split(separator: "\n").filter { $0.hasPrefix("198.18.") }.map(String.init))
            let meta = try String(contentsOfFile: lab["LAB_DIR"] + "/meta.json", encoding: .utf8)
            let drops = meta.firstRange(of: #/"pcap_drop": (\d+)/#).flatMap {
                Int(meta[$0].split(separator: " ").last ?? "")
            }
            return (results, drops ?? -1)
        }

        @Test("a live /16 at -R 0: all 65,536 replies, none dropped")
        func fullRate() throws {
            let lab = try Lab()
            defer { lab.down() }
            let r = try lab.inScan(
                """
                $XMAP -4 -M icmp_echo -R 0 -x 32 -c 1 -q -o \(lab["LAB_DIR"])/out.csv -m \(lab["LAB_DIR"])/meta.json \(lab["LAB_LIVE16"])
                """)
            #expect(r.status == 0, "\(r.stderr)")
            let (results, drops) = try Self.outcome(lab)
            #expect(results.count == 65536)
            #expect(drops == 0)
        }

        @Test("output stalled for 4 s during a full-rate /16: the buffer holds the replies, all are written")
        func stalledOutput() throws {
            let lab = try Lab()
            defer { lab.down() }
            let r = try lab.inScan(
                """
                $XMAP -4 -M icmp_echo -R 0 -x 32 -c 1 -q -m \(lab["LAB_DIR"])/meta.json \(lab["LAB_LIVE16"]) \
                | (sleep 4; cat > \(lab["LAB_DIR"])/out.csv)
                """)
            #expect(r.status == 0, "\(r.stderr)")
            let (results, drops) = try Self.outcome(lab)
            #expect(results.count == 65536)
            #expect(drops == 0)
        }

        @Test(
            "a 1 MiB buffer and a stalled output: the drops are counted, reported and account for every missing reply")
        func tooSmall() throws {
            let lab = try Lab()
            defer { lab.down() }
            let r = try lab.inScan(
                """
                $XMAP -4 -M icmp_echo -R 0 -x 32 -c 1 -q --capture-buffer 1M -m \(lab["LAB_DIR"])/meta.json \(lab["LAB_LIVE16"]) \
                | (sleep 6; cat > \(lab["LAB_DIR"])/out.csv)
                """)
            #expect(r.status == 0, "\(r.stderr)")
            let (results, drops) = try Self.outcome(lab)
            #expect(drops > 0)
            #expect(results.count + drops == 65536)
            #expect(
                r.stderrLines.contains { $0.contains("[WARN]") && $0.contains("the capture dropped \(drops) packets") },
                "\(r.stderr)")
        }
    }
}
