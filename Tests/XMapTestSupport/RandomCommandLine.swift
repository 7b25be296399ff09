import XMapCore

/// Random xmap command lines drawn from the option table: every option, with valid and invalid
/// values, every module of both families, targets, files that exist and files that do not.
/// Deterministic for a seed. Used to show that no combination crashes or hangs.
public struct RandomCommandLine {
    var rng: SplitMix64
    /// Files the lines may name: a small allowlist, a list of addresses, a payload, a template,
    /// a config file, a directory (each created by the caller).
    let files: [String: String]

    public init(seed: UInt64, files: [String: String]) {
        rng = SplitMix64(seed: seed)
        self.files = files
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

    static let goodNumbers = ["0", "1", "2", "3", "7", "16", "32", "64", "100", "255"]
    static let badNumbers = [
        "-5", "-1", "128", "256", "1024", "65535", "65536", "4294967296", "9223372036854775807",
        "99999999999999999999", "abc", "", "1.5"
    ]
    static let modules = ["icmp_echo", "tcp_syn", "udp", "tcp_scan", "icmp_echo_gw", "icmp_echo_tmxd", "default"]
    static let badModules = ["nosuch", "dnsx", ""]
    static let targets4 = [
        "198.51.100.0/24", "198.51.100.7", "198.51.100.0/30", "203.0.113.0/28", "198.51.100.10-198.51.100.20",
        "0.0.0.0/0", "198.51.100.0/24-32"
    ]
    static let targets6 = [
        "2001:db8::/32", "2001:db8::/32-64", "2001:db8::1", "2001:db8:1::/120", "::/0",
        "2001:db8::1-2001:db8::9", "2000::/3", "2001:db8::/32-48"
    ]
    static let badTargets = [
        "198.51.100.0/33", "198.51.100.300", "no-such-host.invalid", "2001:db8::/129", "2001:db8:::1",
        "2001:db8::/48-40", "::1", "198.51.100.0/24"
    ]

    /// Mostly a valid number, sometimes not.
    mutating func number() -> String { chance(85) ? pick(Self.goodNumbers) : pick(Self.badNumbers) }

    /// One command line (without the program name). The caller adds `-d` and limits.
    public mutating func commandLine() -> [String] {
        var args: [String] = []
        let v6 = chance(50)
        args.append(v6 ? "-6" : "-4")
        if chance(5) { args.append(v6 ? "-4" : "-6") }
        if chance(85) { args += ["-M", chance(95) ? pick(Self.modules) : pick(Self.badModules)] }
        if args.contains("tcp_syn") || args.contains("udp") || args.contains("tcp_scan") {
            if chance(90) { args += ["-p", pick(["80", "53", "22,80,443", "1-1024"])] }
        }
        let count = Int(rng.next() % 5)
        for _ in 0..<count { args += option(v6: v6) }
        for _ in 0..<Int(1 + rng.next() % 2) {
            args.append(chance(92) ? pick(v6 ? Self.targets6 : Self.targets4) : pick(Self.badTargets))
        }
        if chance(3) { args.shuffle(using: &rng) }
        return args
    }

    mutating func file() -> String { pick(Array(files.values) + ["/nonexistent/file", "/", ""]) }

    mutating func option(v6: Bool) -> [String] {
        let number = self.number()
        switch rng.next() % 44 {
        case 0:
            return ["-x", pick(["1", "8", "16", "24", "32", "48", "64", "100", "127", "128", "129", "0", "-3", "x"])]
        case 1: return ["-p", pick(["80", "22,80,443", "1-1024", "0-65535", "70000", "80,abc", "5-1", "", "53"])]
        case 2: return ["-P", number]
        case 3: return ["-o", pick([files["dir"].map { $0 + "/out.csv" } ?? "/tmp/x", "-", "/nonexistent/dir/out"])]
        case 4: return ["-b", file()]
        case 5: return ["-w", file()]
        case 6: return ["-I", file()]
        case 7: return ["-B", pick(["1M", "10K", "5G", "0", "12X", "-1", "abc"])]
        case 8: return ["--batch", number]
        case 9: return ["--probes", number]
        case 10: return ["--retries", number]
        case 11: return ["-n", pick([number, "1%", "0.5%", "200%", "x%"])]
        case 12: return ["-N", number]
        case 13: return ["-E", number]
        case 14: return ["-e", number]
        case 15: return ["--shards", number, "--shard", self.number()]
        case 16: return ["-s", pick(["1000-1009", "53", "61000-32768", "0-65535", "70000", "x"])]
        case 17:
            return [
                "-S",
                pick(
                    v6
                        ? ["2001:db8:ffff::1", "2001:db8::1,2001:db8::2", "2001:db8::1-2001:db8::5", "192.0.2.1", "x"]
                        : ["192.0.2.1", "192.0.2.1,192.0.2.2", "192.0.2.1-192.0.2.9", "2001:db8::1", "x"])
            ]
        case 18: return ["-G", pick(["00:00:5e:00:53:01", "zz:11:22:33:44:55", "1:2:3"])]
        case 19: return ["--source-mac", pick(["00:00:5e:00:53:02", "bogus"])]
        case 20: return ["-i", pick(["lo", "nosuchif0", "averyveryverylongname0"])]
        case 21: return ["-X"]
        case 22:
            return [
                "--probe-args",
                pick([
                    "text:hello", "hex:0011ff", "hex:abc", "file:" + file(), "template:" + file(),
                    "dir:" + file(), "icmp-type-code-str", "template-fields", "bogus:1", ""
                ])
            ]
        case 23: return ["--probe-ttl", number]
        case 24: return ["-O", pick(["csv", "json", "default", "xml"])]
        case 25: return ["-f", pick(["saddr", "*", "saddr,daddr,ttl", "nosuch", "saddr,clas,success", ""])]
        case 26:
            return [
                "-F", pick(["", "success = 1", "clas = synack || ttl > 5", "success == 1", "(success = 1", "x = 1"])
            ]
        case 27:
            return ["--dedup-method", pick(["full", "window", "none", "bogus"])]
                + (chance(50) ? ["--dedup-window-size", number] : [])
        case 28:
            return ["-U", pick(["low", "zero", "full", "low_fill", "rand", "set", "nosuch"])]
                + (chance(50) ? ["--iid-args", pick(["::abcd:1234", "198.51.100.9", "bogus"])] : [])
        case 29: return ["--iid-num", number]
        case 30: return ["-v", number]
        case 31: return ["-m", pick([files["dir"].map { $0 + "/meta.json" } ?? "/tmp/m", "-", "/nonexistent/m.json"])]
        case 32: return ["--user-metadata", pick(["{\"a\": 1}", "[1, 2]", "{bad", "", "\"s\""])]
        case 33: return ["-T", number]
        case 34: return ["-C", file()]
        case 35:
            return [
                pick([
                    "--fast-dryrun", "--no-header-row", "-q", "--disable-syslog", "--ignore-blacklist-error",
                    "--ignore-filelist-error"
                ])
            ]
        case 36: return ["--cores", pick(["0", "0,1", "7", "x", ""])]
        case 37: return ["--max-sendto-failures", number]
        case 38: return ["--min-hitrate", pick(["0", "5", "100", "101", "-1", "x"])]
        case 39: return ["--validate-source-port", pick(["enable", "disable", "maybe"])]
        case 40: return [pick(["--list-output-fields", "--list-probe-modules", "--list-iid-modules", "-V", "-h"])]
        case 41: return ["-c", number]
        case 42: return ["-u", pick([files["dir"].map { $0 + "/status.csv" } ?? "/tmp/s", "/nonexistent/s.csv"])]
        default: return ["--notes", pick(["hello", "", "\u{1}"])]
        }
    }
}

extension SplitMix64: RandomNumberGenerator {}
