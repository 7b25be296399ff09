import Foundation
import Testing
import XMapTestSupport

@Suite("Config file, log file and metadata")
struct ConfigAndMetadataTests {
    let network = ["-q", "-e", "1", "-S", "192.0.2.1", "-G", "00:00:5e:00:53:01", "--source-mac", "00:00:5e:00:53:02"]

    func temp(_ name: String) -> String { NSTemporaryDirectory() + "xmap-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)" }

    @Test("config file options apply and the command line overrides them")
    func configFile() throws {
        let conf = temp("xmap.conf")
        try "# comment\nipv4\nprobe-module tcp_syn\ntarget-port = \"80\"  # trailing comment\nrate 0\n"
            .write(toFile: conf, atomically: true, encoding: .utf8)
        defer { unlink(conf) }
        let r = try Subprocess.xmapIsolated(["-C", conf, "-d", "-p", "443", "198.51.100.0/31"] + network)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\tProtocol(1B)\t\t: 6"))
        #expect(r.stdout.contains("\tDestination Port(2B)\t: 443"))
        #expect(!r.stdout.contains("\tDestination Port(2B)\t: 80\n"))
    }

    @Test("bad config files give one clear line", arguments: [
        ("bogus-option 1\n", "bogus-option"), ("rate \"10\n", "malformed"), ("rate 10 20\n", "malformed"),
    ])
    func badConfig(text: String, fragment: String) throws {
        let conf = temp("bad.conf")
        try text.write(toFile: conf, atomically: true, encoding: .utf8)
        defer { unlink(conf) }
        let r = try Subprocess.xmapIsolated(["-C", conf, "-4", "198.51.100.0/31"])
        #expect(r.status == 1)
        #expect(r.stderrLines.count == 1 && r.stderr.contains(fragment), "\(r.stderr)")
        let missing = try Subprocess.xmapIsolated(["-C", "/nonexistent/xmap.conf"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/xmap.conf"))
    }

    @Test("metadata file and log file are written")
    func metadataAndLog() throws {
        let meta = temp("meta.json"), log = temp("log.txt")
        defer { unlink(meta); unlink(log) }
        let r = try Subprocess.xmapIsolated(["-4", "-d", "-R", "0", "-m", meta, "-l", log, "-v", "4", "--notes", "hi",
                                             "198.51.100.0/30"] + network)
        #expect(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: meta))
        let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(obj?["packets_sent"] as? Int == 4)
        #expect(obj?["seed"] as? Int == 1)
        #expect(obj?["probe_module"] as? String == "icmp_echo")
        #expect(obj?["notes"] as? String == "hi")
        #expect(FileManager.default.fileExists(atPath: log))
    }
}
