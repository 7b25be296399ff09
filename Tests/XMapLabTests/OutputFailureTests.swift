import Foundation
import Testing
import XMapTestSupport

extension LabScanTests {
    /// Results that cannot be written are never lost silently: one FATAL line with the counts,
    /// exit status 1, no half-written line, and the metadata says what happened.
    @Suite("Output failures")
    struct OutputFailures {
        @Test("output on a full (4 KiB tmpfs) file system: written + lost = every result, whole lines only")
        func fullFileSystem() throws {
            let lab = try Lab()
            defer { lab.down() }
            let dir = lab["LAB_DIR"] + "/tiny"
            // A private mount namespace holds the tiny tmpfs; nothing outside sees it.
            let r = try lab.inScan(
                """
                mkdir -p \(dir) && unshare -m sh -c 'mount -t tmpfs -o size=4k tmpfs \(dir) && \
                $XMAP -4 -R 20000 -c 1 -q -f "*" -o \(dir)/out.csv -m \(lab["LAB_DIR"])/meta.json \
                \(lab["LAB_TARGETS4"]); s=$?; cp \(dir)/out.csv \(lab["LAB_DIR"])/out.csv; exit $s'
                """)
            #expect(r.status == 1, "\(r.stderr)")
            let fatal = r.stderrLines.filter { $0.contains("[FATAL]") }
            #expect(fatal.count == 1 && r.stderrLines.last == fatal.first, "\(r.stderr)")
            let line = fatal.first ?? ""
            #expect(line.contains("No space left on device"), "\(line)")
            let counts =
                line.split(separator: "(").last.map {
                    $0.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
                } ?? []
            #expect(counts.count == 2 && counts[0] > 0 && counts[0] + counts[1] == 68, "\(line)")
            // The file holds the header and exactly the written results, each a whole line.
            let text = try String(contentsOfFile: lab["LAB_DIR"] + "/out.csv", encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(text.hasSuffix("\n"))
            let columns = lines[0].split(separator: ",").count
            #expect(
                lines.dropFirst().dropLast().allSatisfy {
                    $0.split(separator: ",", omittingEmptySubsequences: false).count == columns
                })
            #expect(lines.count - 2 == counts.first)
            let meta = try String(contentsOfFile: lab["LAB_DIR"] + "/meta.json", encoding: .utf8)
            #expect(meta.contains("\"results_written\": \(counts.first ?? -1)") && meta.contains("\"output_error\""))
        }

        @Test("a results pipe closed mid-scan: EPIPE is reported with the counts, the scan stops, exit 1")
        func closedPipe() throws {
            let lab = try Lab()
            defer { lab.down() }
            // 256 probes at 40 pps take over 6 s; the reader takes the header and one result.
            let started = Date()
            let r = try lab.inScan(
                """
                ($XMAP -4 -R 40 -c 1 -q -m \(lab["LAB_DIR"])/meta.json \(lab["LAB_TARGETS4"]); echo "status=$?" >&2) | head -n 2 >/dev/null
                """)
            let elapsed = Date().timeIntervalSince(started)
            #expect(r.stderr.contains("status=1"), "\(r.stderr)")
            let fatal = r.stderrLines.filter { $0.contains("[FATAL]") }
            #expect(
                fatal.count == 1
                    && (fatal.first ?? "").contains("could not write results to standard output: Broken pipe"),
                "\(r.stderr)")
            #expect(elapsed < 6, "the scan went on after its output was closed (\(elapsed) s)")
            let meta = try String(contentsOfFile: lab["LAB_DIR"] + "/meta.json", encoding: .utf8)
            #expect(meta.contains("\"results_lost\": ") && !meta.contains("\"results_lost\": 0,"), "\(meta)")
        }
    }
}
