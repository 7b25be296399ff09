import XMapCore
import XMapEngine
import XMapModules

/// XMap's command line (the short and long spellings XMap 2.0.2 defines, plus xmap's own
/// options), as parsed values. `table` defines every option once: the parser, `--help`, the
/// man page and the completions read it.
struct XMapOptions {
    // Basic
    var ipv6 = false
    var ipv4 = false
    var maxLen: Int?
    var targetPort: String?
    var targetIndex: Int?
    var outputFile: String?
    var blacklistFile: String?
    var whitelistFile: String?
    var listOfIPsFile: String?

    // Scan options
    var rate: Int?
    var bandwidth: String?
    var batch: Int?
    var probes: Int?
    var retries: Int?
    var maxTargets: String?
    var maxPackets: Int64?
    var maxRuntime: Int?
    var maxResults: Int64?
    var estElements: Int64?
    var cooldownSecs: Int?
    var seed: UInt64?
    var shards: Int?
    var shard: Int?

    // Network
    var sourcePort: String?
    var sourceIP: String?
    var gatewayMAC: String?
    var sourceMAC: String?
    var interface: String?
    var ipLayer = false

    // Probe modules
    var probeModule: String?
    var probeArgs: String?
    var probeTTL: Int?
    var listProbeModules = false

    // Output
    var outputModule: String?
    var outputArgs: String?
    var outputFields: String?
    var outputFilter: String?
    var listOutputModules = false
    var listOutputFields = false
    var noHeaderRow = false
    var dedupMethod: String?
    var dedupWindowSize: Int?
    /// The probe modules' own options (`--dnsz-final`), by name: the modules read them.
    var probeModuleOptions: [String: String] = [:]
    var dedupLimit: Int?
    var captureBuffer: String?
    var validateSourcePort: String?

    // IID modules
    var iidModule: String?
    var iidArgs: String?
    var iidNum: Int?
    var listIIDModules = false

    // Logging and metadata
    var quiet = false
    var verbosity: Int?
    var logFile: String?
    var logDirectory: String?
    var metadataFile: String?
    var statusUpdatesFile: String?
    var disableSyslog = false
    var notes: String?
    var userMetadata: String?

    // Additional
    var senderThreads: Int?
    var config: String?
    var dryrun = false
    var fastDryrun = false
    var backend: String?
    var netmapWaitPing: String?
    var cores: String?
    var maxSendtoFailures: Int?
    var minHitrate: Double?
    var ignoreBlacklistError = false
    var ignoreFilelistError = false
    var checkpoint: String?
    var resume: String?
    var user: String?
    var noDropPrivileges = false
    var noQdiscBypass = false
    var help = false
    var version = false

    /// Targets (operands).
    var targets: [String] = []
    /// The long names of the options whose value came from the config file.
    var fromConfigFile: Set<String> = []
    /// Whose conventions the run follows (the `zmap` name selects ZMap's).
    var personality = Personality.xmap
}

extension XMapOptions {
    typealias Option = OptionDefinition<XMapOptions>

    /// Every option, in `--help` order.
    static var table: [Option] {
        let basic = "Basic arguments", scan = "Scan options", network = "Network options"
        let probe = "Probe Modules", output = "Output Modules", iid = "IID Modules"
        let logging = "Logging and Metadata", more = "Additional options"
        return [
            .flag(["ipv6"], "6", basic, "Scan IPv6 (default)", \.ipv6),
            .flag(["ipv4"], "4", basic, "Scan IPv4", \.ipv4),
            .integer(["max-len"], "x", basic, "len", "Number of prefix bits to permute", default: "32", \.maxLen),
            .string(
                ["target-port", "target-ports"], "p", basic, "port|range",
                "Target ports, e.g. 80,443,8080-8081 (* = all); a target is then an <address, port> pair",
                \.targetPort),
            .integer(
                ["target-index"], "P", basic, "num",
                "Payload indexes per target (0 means 1, as XMap)", default: "0", \.targetIndex),
            .string(["output-file"], "o", basic, "name", "Output file ('-' for stdout)", \.outputFile),
            .string(
                ["blacklist-file", "blocklist-file"], "b", basic, "path",
                "File of prefixes, ranges and names to exclude", \.blacklistFile),
            .string(
                ["whitelist-file", "allowlist-file"], "w", basic, "path",
                "File of prefixes, ranges and names to scan", \.whitelistFile),
            .string(
                ["list-of-ips-file"], "I", basic, "path", "File of individual addresses to scan",
                \.listOfIPsFile),

            .integer(
                ["rate"], "R", scan, "pps", "Packets per second over all threads (0 = unlimited)",
                default: "1", \.rate),
            .string(
                ["bandwidth"], "B", scan, "bps", "Send rate in bits per second (suffixes G, M, K)",
                \.bandwidth),
            .integer(
                ["batch"], nil, scan, "num", "Packets per sendmmsg batch (0 means the default)",
                default: "64", \.batch),
            .integer(["probes"], nil, scan, "num", "Packets per target", default: "1", \.probes),
            .integer(["retries"], nil, scan, "num", "Send attempts per packet", default: "1", \.retries),
            .string(
                ["max-targets"], "n", scan, "num", "Cap on targets (a number, or N% of the space)",
                \.maxTargets),
            .integer(["max-packets"], "k", scan, "num", "Cap on packets sent", \.maxPackets),
            .integer(["max-runtime"], "t", scan, "secs", "Cap on seconds spent sending", \.maxRuntime),
            .integer(["max-results"], "N", scan, "num", "Stop after this many results", \.maxResults),
            .integer(
                ["est-elements"], "E", scan, "num",
                "Expected distinct replies: sizes the repeat filter up front (it grows anyway)",
                \.estElements),
            .integer(
                ["cooldown-secs", "cooldown-time"], "c", scan, "secs",
                "Seconds to keep receiving after sending", default: "5", \.cooldownSecs),
            Option(
                names: ["seed"], short: "e", metavar: "n",
                help:
                    "Seed for the address order and the validation key (0 to 2^64-1, or a negative number)",
                section: scan, defaultText: nil, hidden: false,
                store: { o, v throws(XMapError) in o.seed = try Self.seed(v ?? "") }),
            .integer(["shards"], nil, scan, "N", "Total number of shards (needs --seed)", default: "1", \.shards),
            .integer(["shard"], nil, scan, "n", "Which shard this scan is (0-based)", default: "0", \.shard),

            .string(
                ["source-port"], "s", network, "port|range", "Source port or range", default: "32768-61000",
                \.sourcePort),
            .string(
                ["source-ip"], "S", network, "ip|range", "Source addresses and a-b ranges, comma-separated",
                \.sourceIP),
            .string(
                ["gateway-mac"], "G", network, "addr", "Gateway MAC (default: from the neighbour table)",
                \.gatewayMAC),
            .string(["source-mac"], nil, network, "addr", "Source MAC (default: the interface's)", \.sourceMAC),
            .string(
                ["interface"], "i", network, "name", "Interface (default: that of the default route)",
                \.interface),
            .flag(["iplayer"], "X", network, "Send IP packets instead of Ethernet frames (tun, VPN)", \.ipLayer),

            .string(["probe-module"], "M", probe, "name", "Probe module", default: "icmp_echo", \.probeModule),
            .string(["probe-args"], nil, probe, "args", "Probe module arguments", \.probeArgs),
            .integer(["probe-ttl"], nil, probe, "hops", "IPv4 TTL / IPv6 hop limit", default: "255", \.probeTTL),
            .flag(["list-probe-modules"], nil, probe, "List probe modules", \.listProbeModules),

            .string(
                ["output-module"], "O", output, "name", "Output module (csv, json, redis-csv, redis-packed)",
                default: "csv", \.outputModule),
            .string(["output-args"], nil, output, "args", "Output module arguments", \.outputArgs),
            .string(
                ["output-fields"], "f", output, "fields", "Fields to output, comma-separated, or *",
                \.outputFields),
            .string(
                ["output-filter"], "F", output, "filter",
                "Which results to output, e.g. 'success = 1 && repeat = 0' ('' keeps all)", \.outputFilter),
            .flag(["list-output-modules"], nil, output, "List output modules", \.listOutputModules),
            .flag(["list-output-fields"], nil, output, "List the fields of the probe module", \.listOutputFields),
            .flag(["no-header-row"], nil, output, "No CSV header line (ZMap)", \.noHeaderRow),
            .string(
                ["dedup-method"], nil, output, "method", "Repeat detection (ZMap): default, full, window, none",
                \.dedupMethod),
            .integer(
                ["dedup-window-size"], nil, output, "num",
                "Distinct replies remembered by --dedup-method window", default: "1000000", \.dedupWindowSize)
        ] + ProbeCatalog.options.map { Option.probeModule($0, output) } + [
            .integer(
                ["dedup-limit"], nil, output, "num",
                "Most distinct replies full repeat detection remembers (at most 2^34)", default: "67108864",
                \.dedupLimit),
            .string(
                ["capture-buffer"], nil, output, "bytes",
                "Kernel buffer for captured replies, e.g. 32M (default: two seconds of replies at the rate)",
                \.captureBuffer),
            .string(
                ["validate-source-port"], nil, output, "enable|disable",
                "Check the reply's port against our source ports (ZMap)", \.validateSourcePort),

            .string(["iid-module"], "U", iid, "name", "IID module", default: "low", \.iidModule),
            .string(["iid-args"], nil, iid, "args", "IID module arguments", \.iidArgs),
            .integer(["iid-num"], nil, iid, "num", "IIDs per prefix", default: "1", \.iidNum),
            .flag(["list-iid-modules"], nil, iid, "List IID modules", \.listIIDModules),

            .flag(["quiet"], "q", logging, "No status updates", \.quiet),
            .integer(["verbosity"], "v", logging, "n", "Log level 0-5", default: "3", \.verbosity),
            .string(["log-file"], "l", logging, "name", "Log file", \.logFile),
            .string(
                ["log-directory"], "L", logging, "directory",
                "Write the log to a timestamped file in this directory", \.logDirectory),
            .string(["metadata-file"], "m", logging, "name", "Metadata JSON file ('-' for stdout)", \.metadataFile),
            .string(
                ["status-updates-file"], "u", logging, "name", "CSV file of once-per-second status rows",
                \.statusUpdatesFile),
            .flag(["disable-syslog"], nil, logging, "Do not log to syslog", \.disableSyslog),
            .string(["notes"], nil, logging, "notes", "Text copied into the metadata", \.notes),
            .string(["user-metadata"], nil, logging, "json", "JSON copied into the metadata", \.userMetadata),

            .integer(["sender-threads"], "T", more, "n", "Sender threads", default: "1", \.senderThreads),
            .string(["config"], "C", more, "filename", "Config file", default: ConfigFile.defaultPath, \.config),
            .flag(["dryrun"], "d", more, "Print packets instead of sending them", \.dryrun),
            .flag(
                ["fast-dryrun"], nil, more, "Dry run writing binary records: address and port per packet (ZMap)",
                \.fastDryrun),
            .string(
                ["backend"], nil, more, "name", "Packet I/O: packet (AF_PACKET + sendmmsg), afxdp, netmap",
                default: "packet", \.backend),
            .flag(
                ["no-qdisc-bypass"], nil, more,
                "packet backend: send through the interface's queueing discipline, so tc applies and tcpdump "
                    + "on the interface sees the probes (slower)", \.noQdiscBypass),
            .string(
                ["netmap-wait-ping"], nil, more, "addr",
                "Wait for an echo reply from this address before scanning (gives up after 60 s)",
                \.netmapWaitPing),
            .string(["cores"], nil, more, "cores", "CPUs to pin threads to, e.g. 0,2,3", \.cores),
            .integer(
                ["max-sendto-failures"], nil, more, "n", "Abort after this many send failures (-1 = never)",
                default: "-1", \.maxSendtoFailures),
            .number(
                ["min-hitrate"], nil, more, "rate", "Abort if the hit rate (%) stays below this for 5 s",
                default: "0.0", \.minHitrate),
            .flag(
                ["ignore-blacklist-error", "ignore-blocklist-errors"], nil, more,
                "Skip bad allowlist, blocklist and target entries", \.ignoreBlacklistError),
            .flag(["ignore-filelist-error"], nil, more, "Skip bad -I lines", \.ignoreFilelistError),
            .string(
                ["checkpoint"], nil, more, "file",
                "Save the scan's progress here twice a second, to continue it with --resume", \.checkpoint),
            .string(["resume"], nil, more, "file", "Continue the scan saved in this checkpoint file", \.resume),
            .string(
                ["user"], nil, more, "name",
                "Started as root: the user to run as once the sockets and files are open", default: "nobody",
                \.user),
            .flag(
                ["no-drop-privileges"], nil, more,
                "Keep root and every capability for the whole scan (no --user, no system call filter)",
                \.noDropPrivileges),
            .flag(["help"], "h", more, "Print help and exit", \.help),
            .flag(["version"], "V", more, "Print version and exit", \.version)
        ]
    }

    /// A seed as an unsigned 64-bit number, or as the signed number XMap 2.0.2 prints (the same
    /// 64 bits).
    static func seed(_ text: String) throws(XMapError) -> UInt64 {
        let t = text.trimmingLeadingSpaces()
        if let v = UInt64(t, radix: 10) { return v }
        if let v = Int64(t, radix: 10) { return UInt64(bitPattern: v) }
        throw XMapError("invalid numeric value for --seed: '\(text)' (0 to 18446744073709551615)")
    }

    /// Parses the command line and, when given or present, the config file (`-C`, default
    /// `/etc/xmap/xmap.conf`); the command line wins.
    /// - Parameter readConfig: reads a config file into command-line words.
    static func parse(
        _ arguments: [String], readConfig: (String) throws -> [String]? = { _ in nil }
    ) throws
        -> XMapOptions
    {
        let parser = GetoptParser(table: table)
        let commandLine = try parser.parse(arguments)
        var options = XMapOptions()
        // The config file named on the command line (or the default one) is read first.
        var probe = XMapOptions()
        try parser.apply(commandLine: commandLine, configFile: nil, to: &probe)
        var configFile: GetoptParser<XMapOptions>.Result? = nil
        if let words = try readConfig(probe.config ?? ConfigFile.defaultPath) {
            configFile = try parser.parse(words)
            if let extra = configFile?.operands.first {
                throw XMapError("unexpected word '\(extra)' in the configuration file")
            }
        }
        options.fromConfigFile = try parser.apply(commandLine: commandLine, configFile: configFile, to: &options)
        options.targets = commandLine.operands
        return options
    }

    /// `--help`'s option part.
    static var helpText: String {
        """
        \(XMapMain.version)

        A fast Internet-wide scanner for both IPv6 & IPv4.

        Usage: xmap [OPTION]... [TARGETS]...

        Targets are addresses, prefixes (2001:db8::/32, 198.51.100.0/24),
        prefix/len-maxlen (2001:db8::/32-64), ranges (a-b) and host names.

        """ + OptionHelp.listing(table) + """

            Examples:
                xmap -6 -x 64 -R 10000 2001:db8::/32
                    (ICMPv6 echo to the ::1 of every /64 of 2001:db8::/32)
                xmap -4 -M tcp_syn -p 80,443 -R 10000 198.51.100.0/24
                xmap -6 -d -x 128 -M icmp_echo 2001:db8::/120
                    (dry run: print the packets instead of sending them)

            """
    }
}

extension OptionDefinition where Options == XMapOptions {
    /// An option that a probe module owns (`ProbeCatalog.options`): listed with the others, its
    /// text kept by name for the module to read (`ProbeSettings.moduleOptions`).
    static func probeModule(_ option: ProbeOptionDeclaration, _ section: String) -> Self {
        Self(
            names: [option.name], short: nil, metavar: option.metavar, help: option.help, section: section,
            defaultText: option.defaultText, hidden: false,
            store: { o, v in o.probeModuleOptions[option.name] = v ?? "" })
    }
}
