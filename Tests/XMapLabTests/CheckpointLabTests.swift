import Foundation
import Testing
import XMapCore
import XMapTestSupport

extension LabScanTests {
    /// `--checkpoint` and `--resume` on a real scan: kill -9 it mid-way, resume it to a second
    /// output file; together they find exactly the live hosts, and few probes go out twice.
    @Suite("Checkpoint and resume")
    struct CheckpointResume {
        @Test("kill -9 mid-scan, resume: the union of both outputs is the ground truth; re-sent probes ≤ one second's")
        func killAndResume() throws {
            let lab = try Lab()
            defer { lab.down() }
            let dir = lab["LAB_DIR"]
            // Count the echo requests that reach the target network.
            _ = try lab.inNet(
                """
                printf 'table inet xmapcount {\\n counter probes { }\\n chain in {\\n  type filter hook prerouting priority -300;\\n  icmp type echo-request ip saddr 192.0.2.1 counter name probes\\n }\\n}\\n' | nft -f -
                """)
            let rate = 50
            let scan = "$XMAP -4 -R \(rate) -c 1 -q --checkpoint \(dir)/scan.ckpt \(lab["LAB_TARGETS4"])"
            let first = try lab.inScan(
                """
                \(scan) -o \(dir)/out1.csv & p=$!
                sleep 2.5; kill -9 $p; wait $p; exit 0
                """)
            #expect(first.status == 0)
            let checkpoint = try String(contentsOfFile: dir + "/scan.ckpt", encoding: .utf8)
            #expect(checkpoint.contains("\"xmap_checkpoint\": 1") && !checkpoint.contains("finished"))
            let resumed = try lab.inScan(
                "$XMAP -4 -R \(rate) -c 1 -q --resume \(dir)/scan.ckpt -o \(dir)/out2.csv \(lab["LAB_TARGETS4"])")
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let rows = { (name: String) throws -> [String] in
                Array(
                    try String(contentsOfFile: dir + "/" + name, encoding: .utf8).split(separator: "\n").dropFirst()
                        .map(String.init))
            }
            let union = Set(try rows("out1.csv") + rows("out2.csv"))
            #expect(union == Set(try lab.truth("live4.txt")))
            let counter = try lab.inNet("nft list counter inet xmapcount probes")
            let packets =
                Int(counter.stdout.components(separatedBy: "packets ").last?.split(separator: " ").first ?? "") ?? -1
            let resent = packets - 256
            #expect(resent >= 0 && resent <= rate + rate / 5, "probes sent twice: \(resent) (\(packets) in all)")
            // The newest of the file's two slots says the scan finished.
            let newest = SlotFileFormat.newestPayload(
                ofFile: Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/scan.ckpt"))))
            #expect(String(decoding: newest ?? [], as: UTF8.self).components(separatedBy: "finished").count == 2)
        }

        @Test("--resume refuses a checkpoint of another scan, naming what differs")
        func refusesOtherScan() throws {
            let lab = try Lab()
            defer { lab.down() }
            let dir = lab["LAB_DIR"]
            let done = try lab.inScan(
                "$XMAP -4 -R 0 -c 0 -q --checkpoint \(dir)/a.ckpt -o /dev/null \(lab["LAB_TARGETS4"])")
            #expect(done.status == 0, "\(done.stderr)")
            let other = try lab.inScan(
                "$XMAP -4 -M tcp_syn -p 80 -R 0 -c 0 -q --resume \(dir)/a.ckpt \(lab["LAB_TARGETS4"])")
            #expect(other.status == 1 && other.stderrLines.count == 1)
            #expect(other.stderr.contains("probe_module (checkpoint: 'icmp_echo', now: 'tcp_syn')"), "\(other.stderr)")
        }
    }
}
