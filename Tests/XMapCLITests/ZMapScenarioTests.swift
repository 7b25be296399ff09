import Foundation
import Synchronization
import Testing
import XMapTestSupport

/// The scenarios of ZMap's integration suite (its `test/integration-tests` and shard scripts),
/// written here for xmap invoked as `zmap`: dry runs in an empty network namespace, read back in
/// ZMap's dry-run format. Addresses are documentation and benchmarking ranges.
@Suite("ZMap scenarios")
struct ZMapScenarioTests {
    /// One probe of a dry run.
    struct Probe {
        var source = "", destination = "", sourcePort = 0, destinationPort = 0, shost = "", hasEth = false
    }

    /// Runs `zmap --dryrun ARGS` and parses its packets (ZMap's 54-dash separated blocks).
    static func dryRun(_ args: [String], timeout: Double = 120) throws -> (probes: [Probe], result: CommandResult) {
        let network =
            args.contains("-G") || args.contains("--iplayer") ? ["-i", "lo"] : ["-i", "lo", "-G", "00:11:22:33:44:55"]
        let blocklist = args.contains { $0.hasPrefix("--blocklist-file") || $0 == "-b" } ? [] : ["-b", "/dev/null"]
        let r = try Subprocess.toolIsolated("zmap", network + blocklist + ["--dryrun", "-q"] + args, timeout: timeout)
        var probes: [Probe] = []
        var current = Probe()
        for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-----") {
                if !current.destination.isEmpty { probes.append(current) }
                current = Probe()
            } else if line.hasPrefix("tcp { ") || line.hasPrefix("udp { ") {
                current.sourcePort = Int(field(line, "source")) ?? -1
                current.destinationPort = Int(field(line, "dest")) ?? -1
            } else if line.hasPrefix("ip { ") {
                current.source = field(line, "saddr")
                current.destination = field(line, "daddr")
            } else if line.hasPrefix("eth { ") {
                current.hasEth = true
                current.shost = field(line, "shost")
            }
        }
        return (probes, r)
    }

    /// The value after `name: ` up to the next ` |` or ` }`.
    static func field(_ line: Substring, _ name: String) -> String {
        guard let r = line.range(of: name + ": ") else { return "" }
        return String(line[r.upperBound...].prefix { $0 != " " && $0 != "|" && $0 != "}" })
    }

    /// Every address of `prefix` (IPv4 a.b.c.d/len).
    static func addresses(_ prefix: String) -> [String] {
        let parts = prefix.split(separator: "/")
        let octets = parts[0].split(separator: ".").map { UInt32($0)! }
        let base = octets.reduce(0) { $0 << 8 | $1 }
        let length = parts.count > 1 ? Int(parts[1])! : 32
        let count = UInt32(1) << UInt32(32 - length)
        return (0..<count).map { i in
            let v = base &+ i
            return "\(v >> 24).\(v >> 16 & 255).\(v >> 8 & 255).\(v & 255)"
        }
    }

    static func ports(_ list: String) -> [Int] {
        list.split(separator: ",").flatMap { part -> [Int] in
            let ends = part.split(separator: "-").map { Int($0)! }
            return ends.count == 2 ? Array(ends[0]...ends[1]) : [ends[0]]
        }
    }

    @Test(
        "-n N probes N distinct addresses, with any number of threads",
        arguments: [(5, 1), (65, 1), (249, 1), (36, 2), (1001, 4), (36, 5), (1001, 8), (36, 34)])
    func maxTargets(n: Int, threads: Int) throws {
        let (probes, r) = try Self.dryRun(["-p", "22", "-n", "\(n)", "-T", "\(threads)", "198.18.0.0/16"])
        #expect(probes.count == n, "\(r.stderr)")
        #expect(Set(probes.map(\.destination)).count == n)
        #expect(probes.allSatisfy { $0.destinationPort == 22 })
    }

    @Test(
        "port lists on one address and on a /29, with 1 to 7 threads",
        arguments: ["22", "22,80,443,8080", "22-32", "22-32,80,443-445,8080,10"])
    func portLists(list: String) throws {
        let single = try Self.dryRun(["-p", list, "-T", "1", "198.51.100.7"]).probes
        #expect(single.map(\.destinationPort).sorted() == Self.ports(list).sorted())
        for threads in [1, 3, 7] {
            let subnet = try Self.dryRun(["-p", list, "-T", "\(threads)", "198.51.100.8/29"]).probes
            let pairs = subnet.map { "\($0.destination):\($0.destinationPort)" }
            #expect(pairs.count == 8 * Self.ports(list).count && Set(pairs).count == pairs.count)
            #expect(Set(subnet.map(\.destination)) == Set(Self.addresses("198.51.100.8/29")))
        }
    }

    @Test("shards of one seed cover a /20 exactly, each near its share", arguments: [1, 4, 5, 8])
    func shards(count: Int) throws {
        var all: [String] = []
        for shard in 0..<count {
            let part = try Self.dryRun([
                "-p", "80", "--seed=123", "--shards=\(count)", "--shard=\(shard)",
                "198.18.16.0/20"
            ]).probes.map(\.destination)
            #expect(abs(part.count - 4096 / count) <= 100)
            all += part
        }
        #expect(all.count == 4096 && Set(all) == Set(Self.addresses("198.18.16.0/20")))
    }

    @Test("whole subnets, several subnets, single addresses, and a /15")
    func coverage() throws {
        for (targets, expected) in [
            (["198.18.0.0/20"], 4096), (["203.0.113.0/24"], 256), (["203.0.113.9/32"], 1),
            (["203.0.113.0/24", "198.51.100.76/30"], 260),
            (["198.51.100.1", "198.51.100.2", "203.0.113.3"], 3),
            (["198.51.100.1", "198.51.100.2", "203.0.113.3", "198.18.5.0/28", "198.19.3.4/30"], 23)
        ] {
            let probes = try Self.dryRun(["-p", "80", "-T", "1"] + targets).probes
            let wanted = Set(targets.flatMap(Self.addresses))
            #expect(probes.count == expected && Set(probes.map(\.destination)) == wanted, "\(targets)")
            #expect(probes.allSatisfy { $0.hasEth })
        }
        let large = try Self.dryRun(["-p", "80", "-T", "1", "198.18.0.0/15"], timeout: 300).probes
        #expect(large.count == 131_072 && Set(large.map(\.destination)).count == 131_072)
    }

    @Test("the same seed gives the same order, another seed another")
    func seeds() throws {
        let a = try Self.dryRun(["-p", "80", "-T", "1", "--seed=123", "198.18.4.0/28"]).probes.map(\.destination)
        let b = try Self.dryRun(["-p", "80", "-T", "1", "--seed=123", "198.18.4.0/28"]).probes.map(\.destination)
        let c = try Self.dryRun(["-p", "80", "-T", "1", "--seed=987", "198.18.4.0/28"]).probes.map(\.destination)
        #expect(a.count == 16 && a == b && a != c && Set(a) == Set(c))
    }

    @Test("--rate and --max-runtime bound the time; both together bound the packets")
    func rateAndRuntime() throws {
        var start = Date()
        let rated = try Self.dryRun(["-p", "80", "-n", "1000", "--rate=1000", "-T", "1", "198.18.0.0/16"]).probes
        #expect(rated.count == 1000 && Date().timeIntervalSince(start) < 2.5)
        start = Date()
        _ = try Self.dryRun(["-p", "80", "--max-runtime=1", "-T", "1", "198.18.0.0/15"])
        #expect(Date().timeIntervalSince(start) < 2.5)
        let both = try Self.dryRun(["-p", "80", "--max-runtime=1", "--rate=1000", "198.18.0.0/15"]).probes
        #expect(both.count > 0 && both.count < 1100)
    }

    @Test("--source-port, --source-ip and --source-mac: every probe uses them, each one used")
    func sources() throws {
        for (ports, expected) in [("80", [80]), ("22-24", [22, 23, 24])] {
            let probes = try Self.dryRun(["-p", "80", "-n", "500", "--source-port=\(ports)", "198.18.0.0/16"]).probes
            #expect(Set(probes.map(\.sourcePort)) == Set(expected))
        }
        for (ips, expected) in [
            ("192.0.2.23", ["192.0.2.23"]), ("192.0.2.32-192.0.2.34", ["192.0.2.32", "192.0.2.33", "192.0.2.34"])
        ] {
            let probes = try Self.dryRun(["-p", "80", "-n", "1000", "--source-ip=\(ips)", "198.18.0.0/16"]).probes
            #expect(Set(probes.map(\.source)) == Set(expected))
        }
        for mac in ["00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "01:23:45:67:89:ab"] {
            let probes = try Self.dryRun(["-p", "80", "--source-mac=\(mac)", "198.51.100.0/30"]).probes
            #expect(probes.count == 4 && probes.allSatisfy { $0.shost == mac })
        }
    }

    @Test("--probes N sends N probes to each address, network and broadcast included", arguments: [1, 2, 3, 8, 13])
    func probes(n: Int) throws {
        for subnet in ["198.51.100.16/28", "198.51.100.4/30", "198.51.100.32/27"] {
            let probes = try Self.dryRun(["-p", "80", "--probes=\(n)", subnet]).probes
            let counts = Dictionary(grouping: probes, by: \.destination).mapValues(\.count)
            #expect(Set(counts.keys) == Set(Self.addresses(subnet)) && counts.values.allSatisfy { $0 == n })
        }
    }

    @Test("-I: exactly the listed addresses; allowlists and blocklists")
    func lists() throws {
        let dir = NSTemporaryDirectory() + "xmap-zlists-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SystemRandomNumberGenerator()
        let listed = Set(
            (0..<1000).map { _ in
                "198.\(UInt8.random(in: 18...19, using: &rng)).\(UInt8.random(in: 0...255, using: &rng)).\(UInt8.random(in: 1...254, using: &rng))"
            })
        try (listed.joined(separator: "\n") + "\n").write(toFile: dir + "/ips.txt", atomically: true, encoding: .utf8)
        let fromList = try Self.dryRun(["-p", "80", "-T", "2", "--list-of-ips-file=\(dir)/ips.txt"]).probes
        #expect(fromList.map(\.destination).sorted() == listed.sorted())

        try "198.51.100.0/30\n203.0.113.0/31\n198.18.0.9/32".write(
            toFile: dir + "/allow.txt", atomically: true, encoding: .utf8)
        let allowed = Set(Self.addresses("198.51.100.0/30") + Self.addresses("203.0.113.0/31") + ["198.18.0.9"])
        let a = try Self.dryRun(["-p", "80", "--allowlist-file=\(dir)/allow.txt"]).probes
        #expect(Set(a.map(\.destination)) == allowed && a.count == allowed.count)
        let b = try Self.dryRun(["-p", "80", "--allowlist-file=\(dir)/allow.txt", "198.19.128.0/21"]).probes
        #expect(Set(b.map(\.destination)) == allowed.union(Self.addresses("198.19.128.0/21")))

        for (block, scan) in [
            ("198.51.100.128/26", "198.51.100.0/24"), ("203.0.113.0/24", "198.51.100.0/24"),
            ("198.51.100.0/24", "198.51.100.0/24")
        ] {
            try block.write(toFile: dir + "/block.txt", atomically: true, encoding: .utf8)  // no final newline
            let probes = try Self.dryRun(["-p", "80", "--blocklist-file=\(dir)/block.txt", scan]).probes
            let wanted = Set(Self.addresses(scan)).subtracting(Self.addresses(block))
            #expect(Set(probes.map(\.destination)) == wanted && probes.count == wanted.count, "\(block) in \(scan)")
        }
    }

    @Test("--iplayer: IP packets only, no Ethernet line")
    func ipLayer() throws {
        let probes = try Self.dryRun([
            "-p", "80", "--iplayer", "198.51.100.1", "198.51.100.2", "203.0.113.3",
            "198.18.5.0/28", "198.19.3.4/30"
        ]).probes
        #expect(probes.count == 23 && probes.allSatisfy { !$0.hasEth })
    }

    @Test(
        "--max-targets as a number or a share of all IPv4 times the ports",
        arguments: [
            ("5", "80", 5), ("109", "80", 109), ("10", "80-81", 10), ("0.0001%", "80", 4294),
            ("0.0001%", "80-81", 8589)
        ])
    func maxTargetsForms(value: String, ports: String, expected: Int) throws {
        let probes = try Self.dryRun(["-p", ports, "--max-targets=\(value)", "198.18.0.0/15"]).probes
        #expect(probes.count == expected)
    }

    /// ZMap's shard scripts: 19 shards over a /24 and 258 over a /16, with two seeds and three
    /// threads each, and a big group of three /16s in five shards, with a blocklist.
    @Test(
        "many shards: every address once",
        arguments: [
            ("198.51.100.0/24", 19, 1234), ("198.51.100.0/24", 19, 8_675_309),
            ("198.18.0.0/16", 258, 11043), ("198.18.0.0/16", 258, 829)
        ])
    func manyShards(subnet: String, shards: Int, seed: Int) throws {
        let all = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for shard in stride(from: worker, to: shards, by: 2) {
                if let part = try? Self.dryRun([
                    "-p", "80", "-T", "3", "--seed=\(seed)", "--shards=\(shards)",
                    "--shard=\(shard)", subnet
                ]).probes {
                    all.withLock { $0 += part.map(\.destination) }
                }
            }
        }
        let got = all.withLock { $0 }
        #expect(got.count == Self.addresses(subnet).count && Set(got).count == got.count)
    }

    @Test("a big group: three /16s in five shards with a blocklist")
    func bigGroup() throws {
        let dir = NSTemporaryDirectory() + "xmap-zbig-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "198.51.100.0/24\n".write(toFile: dir + "/block.txt", atomically: true, encoding: .utf8)
        var all: [String] = []
        for shard in 0..<5 {
            all += try Self.dryRun(
                [
                    "-p", "80", "-c", "1", "-b", "\(dir)/block.txt", "--seed=1234", "--shards=5",
                    "--shard=\(shard)", "-T", "4", "198.18.0.0/16", "198.19.0.0/16", "203.0.0.0/16"
                ],
                timeout: 300
            ).probes.map(\.destination)
        }
        #expect(all.count == 196_608 && Set(all).count == 196_608)
    }
}

/// ZMap's start-up lines at the default verbosity, in ZMap's order and words (written here from
/// runs of ZMap 4 at 8de8833): the default output mode, deduplication, an output module without a
/// filter, a short `-I` list, and too few targets for the sender threads.
@Suite("ZMap start-up lines")
struct ZMapStartLineTests {
    static let defaultMode =
        "[INFO] zmap: By default, ZMap will output the unique IP addresses of hosts "
        + "that respond successfully (e.g., SYN-ACK packet)."
    static let noFilter = "[INFO] filter: No output filter provided. ZMap will output all results"
    static let dedup = "[INFO] dedup: Response deduplication method is full"
    static let tooFew = "[WARN] zmap: too few targets relative to senders, dropping to one sender"
    static let shortList = "[WARN] zmap: list of IPs is small compared to address space."

    /// The log lines of a dry run, each from its level on, cut to the length of `prefixes`' line.
    static func lines(_ args: [String]) throws -> [String] {
        let r = try Subprocess.toolIsolated(
            "zmap",
            [
                "-i", "lo", "-G", "00:11:22:33:44:55", "-S", "192.0.2.1",
                "-b", "/dev/null", "--dryrun", "-p", "80"
            ] + args)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stderr.split(separator: "\n").compactMap { line in
            line.range(of: " [").map { String(line[line.index(after: $0.lowerBound)...]) }
        }
    }

    static func check(_ args: [String], _ expected: [String]) throws {
        let got = try lines(args)
        #expect(got.count == expected.count + 2, "\(got)")
        for (line, prefix) in zip(got, expected) { #expect(line.hasPrefix(prefix), "\(line)") }
        #expect(
            got.suffix(2) == [
                "[INFO] send: dryrun mode -- won't actually send packets",
                "[INFO] zmap: completed"
            ])
    }

    @Test("the default output mode, and -n 1: too few targets even for one thread")
    func defaultMode() throws {
        try Self.check(["-n", "1", "198.51.100.0/24"], [Self.defaultMode, Self.dedup, Self.tooFew])
    }

    @Test("an output module without a filter gets the notice; an empty filter does not")
    func outputModule() throws {
        try Self.check(["-O", "json", "-T", "1", "198.51.100.0/31"], [Self.dedup, Self.noFilter])
        try Self.check(["-f", "saddr", "-T", "1", "--output-filter=", "198.51.100.0/31"], [Self.dedup])
    }

    @Test("a short -I list is warned about")
    func shortList() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("zmap-il-\(getpid()).txt").path
        try "198.51.100.9\n198.51.100.1\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Self.check(["-T", "1", "-I", file], [Self.defaultMode, Self.dedup, Self.shortList])
    }
}
