import Foundation
import Testing
import XMapTestSupport

/// Bad input ends with one clear line on stderr, exit status 1 and no output file. xmap runs in
/// an empty network namespace (as root) so nothing can leave the machine.
@Suite("CLI errors")
struct CLIErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let args: [String]
        let fragment: String
        var testDescription: String { args.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(args: ["--bogus"], fragment: "bogus"),
        Case(args: ["-4", "198.51.100.300/24"], fragment: "198.51.100.300"),
        Case(args: ["-4", "198.51.100.0/33"], fragment: "'33'"),
        Case(args: ["-6", "2001:db8::/129"], fragment: "'129'"),
        Case(args: ["-6", "198.51.100.0/24"], fragment: "IPv4 address"),
        Case(args: ["-6", "2001:db8:::1/64"], fragment: "2001:db8:::1"),
        Case(args: ["-4", "-M", "tcp_syn", "-p", "70000", "198.51.100.0/24"], fragment: "70000"),
        Case(args: ["-4", "-M", "tcp_syn", "-p", "80,abc", "198.51.100.0/24"], fragment: "abc"),
        Case(args: ["-4", "-M", "tcp_syn", "198.51.100.0/24"], fragment: "target port (-p) is required"),
        Case(args: ["-4", "-M", "nosuch", "198.51.100.0/24"], fragment: "nosuch"),
        Case(args: ["-4", "-O", "xml", "198.51.100.0/24"], fragment: "xml"),
        Case(args: ["-4", "-f", "saddr,nosuch", "198.51.100.0/24"], fragment: "nosuch"),
        Case(
            args: ["-4", "-F", "success = = 1", "198.51.100.0/24"], fragment: "expected a value after '=' at column 11"),
        Case(
            args: [
                "-4", "-d", "-i", "lo", "-S", "192.0.2.1", "-G", "00:00:5e:00:53:01", "-O", "redis-csv",
                "--output-args",
                "local:///nonexistent/redis.sock/list", "198.51.100.0/24"
            ],
            fragment: "could not connect to Redis at local:///nonexistent/redis.sock/list"),
        Case(
            args: ["-4", "-O", "redis-csv", "--output-args", "tcp://localhost/list", "198.51.100.0/24"],
            fragment: "invalid Redis output arguments"),
        Case(args: ["-4", "-O", "redis-packed", "-f", "saddr", "198.51.100.0/24"], fragment: "writes saddr_raw only"),
        Case(args: ["-4", "--backend", "dpdk", "198.51.100.0/24"], fragment: "unknown --backend 'dpdk'"),
        Case(args: ["-4", "--backend", "netmap", "198.51.100.0/24"], fragment: "/dev/netmap does not exist"),
        Case(
            args: ["-4", "--backend", "afxdp", "-X", "198.51.100.0/24"], fragment: "-X/--iplayer needs --backend packet"
        ),
        Case(args: ["-4", "-G", "zz:11:22:33:44:55", "198.51.100.0/24"], fragment: "zz:11:22:33:44:55"),
        Case(args: ["-4", "-S", "2001:db8::1", "198.51.100.0/24"], fragment: "2001:db8::1"),
        Case(args: ["-4", "--shards", "2", "--shard", "1", "198.51.100.0/24"], fragment: "seed"),
        Case(args: ["-4", "-e", "1", "--shards", "2", "--shard", "2", "198.51.100.0/24"], fragment: "shard number (2)"),
        Case(args: ["-4", "-R", "10", "-B", "1M", "198.51.100.0/24"], fragment: "rate or bandwidth"),
        Case(args: ["-4", "-R", "abc", "198.51.100.0/24"], fragment: "abc"),
        Case(args: ["-4", "-x", "40", "198.51.100.0/24"], fragment: "max-len"),
        Case(args: ["-6", "2001:db8::1/128"], fragment: "no addresses are eligible"),
        Case(args: ["-4", "-i", "nosuch0", "-R", "1", "198.51.100.0/24"], fragment: "nosuch0"),
        Case(args: ["-4", "-b", "/nonexistent/blocklist", "198.51.100.0/24"], fragment: "/nonexistent/blocklist"),
        Case(args: ["-4", "-U", "set", "198.51.100.0/24"], fragment: "Set mode"),
        Case(args: ["-v", "9", "198.51.100.0/24"], fragment: "verbosity"),
        Case(args: ["-4", "--cores", "abc", "198.51.100.0/24"], fragment: "'abc'"),
        Case(args: ["-4", "--cores", "4000", "198.51.100.0/24"], fragment: "CPU 4000"),
        Case(args: ["-4", "--min-hitrate", "150", "198.51.100.0/24"], fragment: "--min-hitrate"),
        Case(args: ["-4", "--dedup-method", "lru", "198.51.100.0/24"], fragment: "'lru'"),
        Case(
            args: ["-4", "--dedup-method", "window", "--dedup-window-size", "0", "198.51.100.0/24"],
            fragment: "--dedup-window-size"),
        Case(args: ["-4", "--validate-source-port", "maybe", "198.51.100.0/24"], fragment: "'maybe'"),
        Case(args: ["-4", "--max-sendto-failures", "x", "198.51.100.0/24"], fragment: "x"),
        Case(args: ["-4", "-l", "/tmp/xmap-test.log", "-L", "/tmp", "198.51.100.0/24"], fragment: "log-directory"),
        // A dry run checks what a real run checks where no privilege is needed.
        Case(args: ["-4", "-d", "-i", "nosuchif0", "198.51.100.0/24"], fragment: "unknown interface 'nosuchif0'"),
        Case(args: ["-4", "-d", "-m", "/nonexistent/meta.json", "198.51.100.0/24"], fragment: "/nonexistent/meta.json"),
        Case(
            args: ["-4", "-d", "-u", "/nonexistent/status.csv", "198.51.100.0/24"], fragment: "/nonexistent/status.csv"),
        Case(
            args: ["-4", "-d", "--checkpoint", "/nonexistent/scan.ckpt", "198.51.100.0/24"],
            fragment: "/nonexistent/scan.ckpt"),
        // Every file a scan writes is opened before the first probe (and before the output file).
        Case(
            args: [
                "-4", "-i", "lo", "-G", "00:00:5e:00:53:01", "-S", "192.0.2.1", "-m", "/nonexistent/meta.json",
                "198.51.100.0/30"
            ], fragment: "/nonexistent/meta.json"),
        Case(
            args: [
                "-4", "-i", "lo", "-G", "00:00:5e:00:53:01", "-S", "192.0.2.1", "-u", "/nonexistent/status.csv",
                "198.51.100.0/30"
            ], fragment: "/nonexistent/status.csv"),
        Case(
            args: [
                "-4", "-i", "lo", "-G", "00:00:5e:00:53:01", "-S", "192.0.2.1", "--checkpoint",
                "/nonexistent/scan.ckpt",
                "198.51.100.0/30"
            ], fragment: "/nonexistent/scan.ckpt")
    ]

    @Test("one line, exit 1, no output file", arguments: cases)
    func badInput(_ c: Case) throws {
        let out = NSTemporaryDirectory() + "xmap-cli-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).csv"
        let r = try Subprocess.xmapIsolated(c.args + ["-o", out])
        #expect(r.status == 1)
        #expect(r.stderrLines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(c.fragment), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
        #expect(!FileManager.default.fileExists(atPath: out))
        try? FileManager.default.removeItem(atPath: out)
    }

    @Test(
        "missing privileges: a clear error and no output file",
        .enabled(if: Subprocess.isRoot, "needs root to drop privileges in a private namespace"))
    func noPrivileges() throws {
        let out = NSTemporaryDirectory() + "xmap-noperm-\(getpid()).csv"
        let r = try Subprocess.run(
            "/usr/bin/unshare",
            ["-n"]
                + Subprocess.hermetic([
                    "/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                    "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                    Subprocess.xmapPath, "-4", "-i", "lo", "-G", "00:00:5e:00:53:01",
                    "-S", "192.0.2.1", "198.51.100.0/30", "-o", out
                ]))
        #expect(r.status == 1)
        #expect(r.stderrLines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("CAP_NET_RAW"), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("help, version and lists exit 0")
    func informational() throws {
        for args in [
            ["-h"], ["--help"], ["-V"], ["--list-probe-modules"], ["--list-output-modules"], ["--list-iid-modules"],
            ["-4", "-M", "tcp_syn", "--list-output-fields"]
        ] {
            let r = try Subprocess.xmapIsolated(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(!r.stdout.isEmpty)
        }
        let fields = try Subprocess.xmapIsolated(["-4", "-M", "tcp_syn", "--list-output-fields"]).stdout
        #expect(fields.contains("saddr") && fields.contains("seqnum") && fields.contains("timestamp_us"))
        let list = try Subprocess.xmapIsolated(["--list-probe-modules"]).stdout
        #expect(list.contains("Probe-modules (IPv6):") && list.contains("tcp_syn") && list.contains("icmp_echo"))
    }
}
