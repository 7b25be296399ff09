import XMapCore

/// ZMap 4.3's command line (the binary invoked as `zmap`): ZMap's option names, short letters
/// and defaults, parsed into the same options value the engine plans from. A few xmap options
/// follow under their own section.
extension XMapOptions {
    /// Every option of the `zmap` personality, in `--help` order.
    static var zmapTable: [Option] {
        let basic = "Basic Arguments", scan = "Scan Options", sharding = "Scan Sharding"
        let network = "Network Options", probe = "Probe Modules", output = "Results Output"
        let dedup = "Response Deduplication", logging = "Logging and Metadata", more = "Additional Options"
        let own = "xmap Options"
        return [
            .string(
                ["target-ports", "target-port"], "p", basic, "ports",
                "Ports to scan: a comma-separated list of ports and ranges, e.g. 80,443,8000-8100 (TCP and UDP "
                    + "scans)", \.targetPort),
            .string(["output-file"], "o", basic, "name", "Output file ('-' for stdout)", \.outputFile),
            .string(
                ["blocklist-file", "blacklist-file"], "b", basic, "path",
                "File of subnets never to scan, one per line in CIDR notation, e.g. 192.168.0.0/16",
                \.blacklistFile),
            .string(
                ["allowlist-file", "whitelist-file"], "w", basic, "path",
                "File of subnets the scan stays inside, one per line in CIDR notation, e.g. 192.168.0.0/16",
                \.whitelistFile),
            .string(
                ["list-of-ips-file"], "I", basic, "path",
                "File of individual addresses to scan (for many addresses, an allowlist is faster)",
                \.listOfIPsFile),

            .integer(["rate"], "r", scan, "pps", "Send rate in packets per second", \.rate),
            .string(
                ["bandwidth"], "B", scan, "bps", "Send rate in bits per second (suffixes G, M and K)",
                \.bandwidth),
            .integer(
                ["batch"], nil, scan, "pps", "Packets handed to the kernel per system call (default=64)",
                \.batch),
            .string(
                ["max-targets"], "n", scan, "n",
                "Stop after this many targets: a number, or a percentage of the search space (2^32 addresses "
                    + "times the ports), e.g. -n 1%. A target is an address and port pair when scanning several "
                    + "ports, else an address", \.maxTargets),
            .integer(["max-runtime"], "t", scan, "secs", "Stop sending after this many seconds", \.maxRuntime),
            .integer(["max-results"], "N", scan, "n", "Stop after this many results", \.maxResults),
            .integer(
                ["probes"], "P", scan, "n", "Probes sent to each address and port pair", default: "1",
                \.probes),
            .integer(
                ["cooldown-time", "cooldown-secs"], "c", scan, "secs",
                "Seconds to keep receiving after the last probe", default: "8", \.cooldownSecs),
            Option(
                names: ["seed"], short: "e", metavar: "n", help: "Seed for the address permutation",
                section: scan, defaultText: nil, hidden: false,
                store: { o, v throws(XMapError) in o.seed = try Self.seed(v ?? "") }),
            .integer(
                ["retries"], nil, scan, "n", "Attempts to send a batch the kernel refused", default: "10",
                \.retries),
            .flag(["dryrun"], "d", scan, "Print the packets instead of sending them", \.dryrun),
            .flag(
                ["fast-dryrun"], nil, scan,
                "Print each probe's destination address and port as 6 binary bytes instead of sending it "
                    + "(for tests)", \.fastDryrun),

            .integer(["shards"], nil, sharding, "N", "Total number of shards", default: "1", \.shards),
            .integer(["shard"], nil, sharding, "n", "Which shard this scan is (0-based)", default: "0", \.shard),

            .string(["source-port"], "s", network, "port|range", "Source port or range of the probes", \.sourcePort),
            .string(
                ["validate-source-port"], nil, network, "enable|disable",
                "Whether a response must come from a port we probed (overrides the module's choice): enable or "
                    + "disable", \.validateSourcePort),
            .string(["source-ip"], "S", network, "ip|range", "Source address(es) of the probes", \.sourceIP),
            .string(["gateway-mac"], "G", network, "addr", "Gateway MAC address", \.gatewayMAC),
            .string(["source-mac"], nil, network, "addr", "Source MAC address", \.sourceMAC),
            .string(["interface"], "i", network, "name", "Network interface", \.interface),
            .flag(["iplayer"], "X", network, "Send IP packets instead of Ethernet frames (VPNs, tun)", \.ipLayer),
            .string(
                ["netmap-wait-ping"], nil, network, "ip",
                "Start once this address answers a ping (any backend)", \.netmapWaitPing),

            .string(["probe-module"], "M", probe, "name", "Probe module", default: "tcp_synscan", \.probeModule),
            .string(["probe-args"], nil, probe, "args", "Arguments for the probe module", \.probeArgs),
            .integer(["probe-ttl"], nil, probe, "n", "TTL of the probes' IP packets", default: "64", \.probeTTL),
            .flag(["list-probe-modules"], nil, probe, "List the probe modules", \.listProbeModules),

            .string(
                ["output-fields"], "f", output, "fields", "Fields of each result, comma-separated, or *",
                \.outputFields),
            .string(["output-module"], "O", output, "name", "Output module", \.outputModule),
            .string(["output-args"], nil, output, "args", "Arguments for the output module", \.outputArgs),
            .string(
                ["output-filter"], nil, output, "filter",
                "Which responses become results, e.g. \"success = 1 && repeat = 0\" (\"\" keeps all)",
                \.outputFilter),
            .flag(["list-output-modules"], nil, output, "List the output modules", \.listOutputModules),
            .flag(["list-output-fields"], nil, output, "List the fields the probe module gives", \.listOutputFields),
            .flag(["no-header-row"], nil, output, "No header row (CSV)", \.noHeaderRow),

            .string(
                ["dedup-method"], nil, dedup, "method",
                "How repeated responses are found: default, none, full, window", \.dedupMethod),
            .integer(
                ["dedup-window-size"], nil, dedup, "targets",
                "How many recent responses the window method remembers", default: "1000000",
                \.dedupWindowSize),

            .integer(["verbosity"], "v", logging, "n", "Log level (0-5)", default: "3", \.verbosity),
            .string(["log-file"], "l", logging, "name", "Write the log to this file", \.logFile),
            .string(
                ["log-directory"], "L", logging, "directory",
                "Write the log to a timestamped file in this directory", \.logDirectory),
            .string(
                ["metadata-file"], "m", logging, "name", "Write the scan's metadata (JSON) to this file",
                \.metadataFile),
            .string(
                ["status-updates-file"], "u", logging, "name", "Write progress updates to this CSV file",
                \.statusUpdatesFile),
            .flag(["quiet"], "q", logging, "No status updates", \.quiet),
            .flag(["disable-syslog"], nil, logging, "Do not log to syslog", \.disableSyslog),
            .string(["notes"], nil, logging, "notes", "Notes copied into the metadata", \.notes),
            .string(["user-metadata"], nil, logging, "json", "JSON copied into the metadata", \.userMetadata),

            .string(
                ["config"], "C", more, "filename", "Read options from this configuration file",
                default: Personality.zmap.defaultConfigPath, \.config),
            .integer(
                ["max-sendto-failures"], nil, more, "n", "Abort after this many failed sends (-1: never)",
                default: "-1", \.maxSendtoFailures),
            .number(
                ["min-hitrate"], nil, more, "n", "Abort when the hit rate falls below this",
                default: "0.0", \.minHitrate),
            .integer(["sender-threads"], "T", more, "n", "Sender threads", default: "4", \.senderThreads),
            .string(["cores"], nil, more, "STRING", "CPUs to pin the threads to, comma-separated", \.cores),
            .flag(
                ["ignore-blocklist-errors", "ignore-blacklist-error"], nil, more,
                "Skip invalid entries of the allowlist and blocklist files", \.ignoreBlacklistError),
            .flag(["help"], "h", more, "Print help and exit", \.help),
            .flag(["version"], "V", more, "Print version and exit", \.version),

            .string(
                ["backend"], nil, own, "name", "Packet I/O: packet (AF_PACKET + sendmmsg), afxdp, netmap",
                default: "packet", \.backend),
            .flag(
                ["no-drop-privileges"], nil, own,
                "Keep root and every capability for the whole scan (no switch to nobody, no system call filter)",
                \.noDropPrivileges),
            .flag(
                ["no-qdisc-bypass"], nil, own,
                "packet backend: send through the queueing discipline (tc applies, tcpdump sees the probes)",
                \.noQdiscBypass),
            .string(
                ["checkpoint"], nil, own, "file",
                "Save the scan's progress here twice a second, to continue it with --resume", \.checkpoint),
            .string(["resume"], nil, own, "file", "Continue the scan saved in this checkpoint file", \.resume),
            .string(
                ["capture-buffer"], nil, own, "bytes", "Kernel buffer for captured responses, e.g. 32M",
                \.captureBuffer),
            .integer(
                ["dedup-limit"], nil, own, "num", "Most distinct responses full deduplication remembers",
                default: "67108864", \.dedupLimit)
        ]
    }

    /// Parses a `zmap` command line and, when given or present, `/etc/zmap/zmap.conf` (the
    /// command line wins; an unknown option in the file is an error, as in ZMap).
    static func parseZMap(
        _ arguments: [String], readConfig: (String) throws -> [String]? = { _ in nil }
    ) throws
        -> XMapOptions
    {
        let parser = GetoptParser(table: zmapTable)
        let commandLine = try parser.parse(arguments)
        var probe = XMapOptions()
        try parser.apply(commandLine: commandLine, configFile: nil, to: &probe)
        var configFile: GetoptParser<XMapOptions>.Result? = nil
        if let words = try readConfig(probe.config ?? Personality.zmap.defaultConfigPath) {
            configFile = try parser.parse(words)
            if let extra = configFile?.operands.first {
                throw XMapError("unexpected word '\(extra)' in the configuration file")
            }
        }
        var options = XMapOptions()
        options.personality = .zmap
        options.ipv4 = true
        options.fromConfigFile = try parser.apply(commandLine: commandLine, configFile: configFile, to: &options)
        options.targets = commandLine.operands
        return options
    }
}
