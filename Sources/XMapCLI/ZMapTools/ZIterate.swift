#if canImport(Glibc)
import Glibc
#endif
import XMapCore
import XMapIO

/// `ziterate` (xmap invoked as `ziterate`): ZMap's order of an IPv4 space as text, one target per
/// line (`ip`, or `ip,port` with `-p`), for the same seed, shards and lists exactly the order
/// `zmap -T 1` probes. Unlike ZMap's, `-n` works (ZMap's ziterate crashes on it).
enum ZIterateMain {
    static let version = "ziterate (xmap 0.1.0)"

    struct Options {
        var targetPorts: String?
        var blocklist: String?
        var allowlist: String?
        var logFile: String?
        var verbosity: Int?
        var ignoreBlocklistErrors = false
        var seed: UInt64?
        var maxTargets: String?
        var disableSyslog = false
        var shards: Int?
        var shard: Int?
        var help = false
        var version = false
        var subnets: [String] = []
    }

    static var table: [OptionDefinition<Options>] {
        let basic = "Basic arguments", sharding = "Sharding", more = "Additional options"
        return [
            .string(
                ["target-ports", "target-port"], "p", basic, "ports",
                "Ports to list with each address, comma-separated, ranges allowed", \.targetPorts),
            .string(
                ["blocklist-file", "blacklist-file"], "b", basic, "STRING",
                "File of subnets to leave out, one per line in CIDR notation", \.blocklist),
            .string(
                ["allowlist-file", "whitelist-file"], "w", basic, "STRING",
                "File of subnets to stay inside, one per line in CIDR notation", \.allowlist),
            .string(["log-file"], "l", basic, "STRING", "Write the log to this file", \.logFile),
            .integer(["verbosity"], "v", basic, "INT", "Log level (0-5)", default: "3", \.verbosity),
            .flag(
                ["ignore-blocklist-errors"], nil, basic, "Skip invalid entries of the allowlist and blocklist",
                \.ignoreBlocklistErrors),
            OptionDefinition(
                names: ["seed"], short: "e", metavar: "n", help: "Seed for the address permutation",
                section: basic, defaultText: nil, hidden: false,
                store: { o, v throws(XMapError) in o.seed = try XMapOptions.seed(v ?? "") }),
            .string(
                ["max-targets"], "n", basic, "n",
                "Stop after this many targets (a number, or a percentage of all IPv4 times the ports)",
                \.maxTargets),
            .flag(["disable-syslog"], nil, basic, "Do not log to syslog", \.disableSyslog),
            .integer(["shards"], nil, sharding, "N", "Total number of shards", default: "1", \.shards),
            .integer(["shard"], nil, sharding, "n", "Which shard to list (0-based)", default: "0", \.shard),
            .flag(["help"], "h", more, "Print help and exit", \.help),
            .flag(["version"], "V", more, "Print version and exit", \.version)
        ]
    }

    static var helpText: String {
        "Usage: ziterate [OPTION]... [SUBNETS]...\nLists the targets of an IPv4 scan in ZMap's order\n"
            + OptionHelp.listing(table) + """

                Examples:
                    ziterate (every address of IPv4)
                    ziterate -b exclusions 10.0.0.0/8 (the addresses of 10.0.0.0/8 outside the blocklist)
                    ziterate -p 80,100-102 (every address of IPv4 with ports 80, 100, 101 and 102)

                """
    }

    static func run(arguments: [String]) -> Never {
        InterruptSignal.ignoreBrokenPipes()
        Log.program = "ziterate"
        var options = Options()
        options.subnets = ZMapTool.parse("ziterate", arguments, table: table, into: &options)
        if options.help { writeStdout(helpText); exit(0) }
        if options.version { writeStdout(version + "\n"); exit(0) }
        do {
            try configureLog(options)
            try iterate(options)
        } catch let e as XMapError {
            Log.log(.fatal, e.module == "xmap" ? "ziterate" : e.module, e.message)
            exit(1)
        } catch {
            Log.log(.fatal, "ziterate", "\(error)")
            exit(1)
        }
        exit(0)
    }

    static func configureLog(_ options: Options) throws {
        var level = LogLevel.info
        if let v = options.verbosity {
            guard let l = LogLevel(rawValue: v) else { throw XMapError("--verbosity must be between 0 and 5") }
            level = l
        }
        Log.configure(level: level)
        if let path = options.logFile { Log.configure(level: level, fd: try LocalFiles.openForWriting(path)) }
        if !options.disableSyslog { Log.enableSyslog() }
    }

    /// Writes the order to stdout.
    static func iterate(_ options: Options) throws {
        let ports = try options.targetPorts.map { try PortList.parse($0).ports } ?? []
        var builder = TargetSpaceBuilder(family: .v4, maxLen: 32)
        if let w = options.allowlist {
            builder.restrictToAllowed()
            try TargetInput.addFile(w, role: .allow, to: &builder, ignoreErrors: options.ignoreBlocklistErrors)
        }
        if !options.subnets.isEmpty { builder.restrictToAllowed() }
        for s in options.subnets {
            try TargetInput.add(s, role: .allow, to: &builder, skipOtherFamily: false)
        }
        if let b = options.blocklist {
            try TargetInput.addFile(b, role: .block, to: &builder, ignoreErrors: options.ignoreBlocklistErrors)
        }
        let allowed = builder.build()
        let shards = options.shards ?? 1
        if shards > 1 && options.seed == nil { throw XMapError("need to specify seed if sharding a scan") }
        let seed = options.seed ?? SystemRandom.uint64()
        let order = try ZMapScanOrder(
            allowed: allowed, ports: ports, seed: seed, shards: shards,
            shard: options.shard ?? 0, threads: 1)
        var limit = try LimitsBuilder.maxTargets(options.maxTargets, maxLen: 32, ports: max(1, ports.count))
        if limit > 0 && shards > 1 {
            // The shard's share of -n, as zmap splits it over its sub-shards.
            let s = UInt64(shards), i = UInt64(options.shard ?? 0)
            limit = limit / s + (i < limit % s ? 1 : 0)
        }
        var it = order.iterator(thread: 0, applyingMaxTargets: false)
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        var count: UInt64 = 0
        while limit == 0 || count < limit, let (address, port) = it.next() {
            appendAddress(address, to: &out)
            if !ports.isEmpty {
                out.append(UInt8(ascii: ","))
                out.append(contentsOf: String(port).utf8)
            }
            out.append(10)
            count += 1
            if out.count >= 1 << 16 { try flush(&out) }
        }
        try flush(&out)
    }

    static func appendAddress(_ a: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) {
            out.append(contentsOf: String((a >> UInt32(shift)) & 0xFF).utf8)
            if shift > 0 { out.append(UInt8(ascii: ".")) }
        }
    }

    static func flush(_ out: inout [UInt8]) throws {
        let result = out.withUnsafeBytes { b in Result { () throws(SystemError) in try Posix.writeAll(1, b) } }
        out.removeAll(keepingCapacity: true)
        if case .failure(let e) = result {
            if e.errno == EPIPE { exit(0) }
            throw XMapError("could not write to standard output: \(e.errnoText)")
        }
    }
}
