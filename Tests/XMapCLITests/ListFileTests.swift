import Foundation
import Testing
import XMapTestSupport

@Suite("List of IPs file (-I)")
struct ListFileTests {
    let base = [
        "-4", "-d", "-q", "-R", "0", "-e", "5", "-S", "192.0.2.1", "-G", "00:00:5e:00:53:01",
        "--source-mac", "00:00:5e:00:53:02"
    ]

    func temp(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "xmap-ips-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func probes(_ r: CommandResult) -> [String] {
        var out: [String] = []
        var dst = ""
        for line in r.stdout.split(separator: "\n") {
            let value =
                line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if line.hasPrefix("\tDestination(4B)") || line.hasPrefix("\tDestination(16B)") { dst = value }
            if line.hasPrefix("\tDestination Port(2B)") { out.append("\(dst),\(value)") }
            if line.hasPrefix("\tIdentifier") { out.append(dst) }
        }
        return out
    }

    @Test("file order, per port, minus the blocklist; comments and /len ignored")
    func order() throws {
        let list = try temp("198.51.100.7\n# comment\n\n198.51.100.3/24\n  198.51.100.9  \n203.0.113.1\n")
        let block = try temp("203.0.113.0/24\n")
        defer { unlink(list); unlink(block) }
        let r = try Subprocess.xmapIsolated(base + ["-M", "tcp_syn", "-p", "80,81", "-I", list, "-b", block])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            probes(r) == [
                "198.51.100.7,80", "198.51.100.3,80", "198.51.100.9,80",
                "198.51.100.7,81", "198.51.100.3,81", "198.51.100.9,81"
            ])
    }

    @Test("shards split the list into disjoint chunks that together cover it")
    func shards() throws {
        let list = try temp((0..<50).map { "198.51.100.\($0 + 1)" }.joined(separator: "\n"))
        defer { unlink(list) }
        var all: [String] = []
        for s in 0..<3 {
            let r = try Subprocess.xmapIsolated(base + ["-I", list, "--shards", "3", "--shard", "\(s)", "-T", "2"])
            #expect(r.status == 0, "\(r.stderr)")
            all += probes(r)
        }
        #expect(all.sorted() == (0..<50).map { "198.51.100.\($0 + 1)" }.sorted())
    }

    @Test("a bad line is an error naming the line unless --ignore-filelist-error; an empty list exits 0")
    func errors() throws {
        let list = try temp("198.51.100.1\n2001:db8::1\n198.51.100.2\n")
        let empty = try temp("# nothing\n")
        defer { unlink(list); unlink(empty) }
        let bad = try Subprocess.xmapIsolated(base + ["-I", list])
        #expect(bad.status == 1 && bad.stderrLines.count == 1 && bad.stderr.contains("line 2"), "\(bad.stderr)")
        let ok = try Subprocess.xmapIsolated(base + ["-I", list, "--ignore-filelist-error"])
        #expect(ok.status == 0)
        #expect(probes(ok) == ["198.51.100.1", "198.51.100.2"])
        let none = try Subprocess.xmapIsolated(base + ["-I", empty])
        #expect(none.status == 0 && none.stderr.contains("zero ip target file"))
        let missing = try Subprocess.xmapIsolated(base + ["-I", "/nonexistent/list"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/list"))
    }
}
