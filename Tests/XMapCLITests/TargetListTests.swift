import Foundation
import Testing
import XMapTestSupport

@Suite("Targets, allowlists and blocklists")
struct TargetListTests {
    let base = [
        "-4", "-d", "-q", "-R", "0", "-e", "5", "-S", "192.0.2.1", "-G", "00:00:5e:00:53:01",
        "--source-mac", "00:00:5e:00:53:02"
    ]

    func temp(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "xmap-list-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func destinations(_ args: [String]) throws -> (Int32, [String], String) {
        let r = try Subprocess.xmapIsolated(base + args)
        let d = r.stdout.split(separator: "\n").filter { $0.hasPrefix("\tDestination(4B)") }
            .map { String($0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)) }
        return (r.status, d.sorted(), r.stderr)
    }

    @Test("blocked entries are never probed; every form works in files")
    func blocklist() throws {
        let block = try temp(
            """
            # comment line
            198.51.100.0/29      # a prefix with a comment
            198.51.100.16-198.51.100.19
            198.51.100.33
            localhost            # resolves to 127.0.0.1, outside the scan: harmless
            2001:db8::/32        # the other family: skipped

            """)
        defer { unlink(block) }
        let (status, got, err) = try destinations(["-b", block, "198.51.100.0/26"])
        #expect(status == 0, "\(err)")
        var expected = Set((0..<64).map { "198.51.100.\($0)" })
        for i in [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 33] { expected.remove("198.51.100.\(i)") }
        #expect(got == expected.sorted())
    }

    @Test("allowlist file plus command-line targets scan their union")
    func allowlist() throws {
        let allow = try temp("198.51.100.10\n198.51.100.20-198.51.100.21\n")
        defer { unlink(allow) }
        let (status, got, err) = try destinations(["-w", allow, "198.51.100.200"])
        #expect(status == 0, "\(err)")
        #expect(got == ["198.51.100.10", "198.51.100.20", "198.51.100.200", "198.51.100.21"])
    }

    @Test("a bad list line is an error naming file and line, unless --ignore-blacklist-error")
    func badLines() throws {
        let block = try temp("198.51.100.1\nnot_a_host!\n")
        defer { unlink(block) }
        let r = try Subprocess.xmapIsolated(base + ["-b", block, "198.51.100.0/30"])
        #expect(r.status == 1)
        #expect(
            r.stderrLines.count == 1 && r.stderr.contains("line 2") && r.stderr.contains("not_a_host!"), "\(r.stderr)")
        let (status, got, _) = try destinations(["--ignore-blacklist-error", "-b", block, "198.51.100.0/30"])
        #expect(status == 0)
        // Only 0.0.0.0 itself is XMap's sentinel; 198.51.100.0 is an ordinary target.
        #expect(got == ["198.51.100.0", "198.51.100.2", "198.51.100.3"])
    }

    @Test("ranges and host names on the command line")
    func commandLine() throws {
        #expect(try destinations(["198.51.100.5-198.51.100.7"]).1 == ["198.51.100.5", "198.51.100.6", "198.51.100.7"])
        #expect(try destinations(["localhost/31"]).1 == ["127.0.0.0", "127.0.0.1"])
        let r = try Subprocess.xmapIsolated(base + ["198.51.100.9-198.51.100.1"])
        #expect(r.status == 1 && r.stderr.contains("start is after end"))
    }
}
