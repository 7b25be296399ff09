import ArgumentParser

/// XMap's command line (short and long spellings as XMap 2.0.2 defines them).
struct XMapOptions: ParsableCommand {
    // Basic
    @Flag(name: [.customShort("6"), .customLong("ipv6")], help: "Scan IPv6 (default)") var ipv6 = false
    @Flag(name: [.customShort("4"), .customLong("ipv4")], help: "Scan IPv4") var ipv4 = false
    @Option(name: [.customShort("x", allowingJoined: true), .customLong("max-len")], help: "Number of prefix bits to permute (default 32)") var maxLen: Int?
    @Option(name: [.customShort("p", allowingJoined: true), .customLong("target-port"), .customLong("target-ports")], help: "Target ports, e.g. 80,443,8080-8081 (* = all)") var targetPort: String?
    @Option(name: [.customShort("P", allowingJoined: true), .customLong("target-index")], help: "Number of payload indexes per target (default 1)") var targetIndex: Int?
    @Option(name: [.customShort("o", allowingJoined: true), .customLong("output-file")], help: "Output file ('-' for stdout)") var outputFile: String?
    @Option(name: [.customShort("b", allowingJoined: true), .customLong("blacklist-file"), .customLong("blocklist-file")], help: "File of prefixes to exclude") var blacklistFile: String?
    @Option(name: [.customShort("w", allowingJoined: true), .customLong("whitelist-file"), .customLong("allowlist-file")], help: "File of prefixes to scan") var whitelistFile: String?
    @Option(name: [.customShort("I", allowingJoined: true), .customLong("list-of-ips-file")], help: "File of individual addresses to scan") var listOfIPsFile: String?

    // Scan options
    @Option(name: [.customShort("R", allowingJoined: true), .customLong("rate")], help: "Packets per second (default 1; 0 = unlimited)") var rate: Int?
    @Option(name: [.customShort("B", allowingJoined: true), .customLong("bandwidth")], help: "Bandwidth in bits/s, suffixes G, M, K") var bandwidth: String?
    @Option(name: .customLong("batch"), help: "Packets per send batch (default 64)") var batch: Int?
    @Option(name: .customLong("probes"), help: "Packets per target (default 1)") var probes: Int?
    @Option(name: .customLong("retries"), help: "Send attempts per packet (default 1)") var retries: Int?
    @Option(name: [.customShort("n", allowingJoined: true), .customLong("max-targets")], help: "Cap on targets (number or N%)") var maxTargets: String?
    @Option(name: [.customShort("k", allowingJoined: true), .customLong("max-packets")], help: "Cap on packets sent") var maxPackets: UInt64?
    @Option(name: [.customShort("t", allowingJoined: true), .customLong("max-runtime")], help: "Cap on seconds spent sending") var maxRuntime: Int?
    @Option(name: [.customShort("N", allowingJoined: true), .customLong("max-results")], help: "Stop after this many results") var maxResults: UInt64?
    @Option(name: [.customShort("E", allowingJoined: true), .customLong("est-elements")], help: "Expected distinct replies: sizes the repeat filter up front (default: grows from 64 Ki)") var estElements: UInt64?
    @Option(name: [.customShort("c", allowingJoined: true), .customLong("cooldown-secs"), .customLong("cooldown-time")], help: "Seconds to keep receiving after sending (default 5)") var cooldownSecs: Int?
    @Option(name: [.customShort("e", allowingJoined: true), .customLong("seed")], help: "Seed for the address permutation and validation key") var seed: Int64?
    @Option(name: .customLong("shards"), help: "Total number of shards (needs --seed)") var shards: Int?
    @Option(name: .customLong("shard"), help: "Which shard this scan is (0-based)") var shard: Int?

    // Network
    @Option(name: [.customShort("s", allowingJoined: true), .customLong("source-port")], help: "Source port or range (default 32768-61000)") var sourcePort: String?
    @Option(name: [.customShort("S", allowingJoined: true), .customLong("source-ip")], help: "Source address(es), comma list") var sourceIP: String?
    @Option(name: [.customShort("G", allowingJoined: true), .customLong("gateway-mac")], help: "Gateway MAC (default: detected)") var gatewayMAC: String?
    @Option(name: .customLong("source-mac"), help: "Source MAC (default: the interface's)") var sourceMAC: String?
    @Option(name: [.customShort("i", allowingJoined: true), .customLong("interface")], help: "Interface (default: that of the default route)") var interface: String?
    @Flag(name: [.customShort("X"), .customLong("iplayer")], help: "Send IP packets instead of Ethernet frames") var ipLayer = false

    // Probe modules
    @Option(name: [.customShort("M", allowingJoined: true), .customLong("probe-module")], help: "Probe module (default icmp_echo)") var probeModule: String?
    @Option(name: .customLong("probe-args"), parsing: .unconditional, help: "Probe module arguments") var probeArgs: String?
    @Option(name: .customLong("probe-ttl"), help: "IPv4 TTL / IPv6 hop limit (default 255)") var probeTTL: Int?
    @Flag(name: .customLong("list-probe-modules"), help: "List probe modules") var listProbeModules = false

    // Output
    @Option(name: [.customShort("O", allowingJoined: true), .customLong("output-module")], help: "Output module (csv, json)") var outputModule: String?
    @Option(name: .customLong("output-args"), parsing: .unconditional, help: "Output module arguments") var outputArgs: String?
    @Option(name: [.customShort("f", allowingJoined: true), .customLong("output-fields")], help: "Fields to output, comma list, or *") var outputFields: String?
    @Option(name: [.customShort("F", allowingJoined: true), .customLong("output-filter")], parsing: .unconditional, help: "Output filter expression") var outputFilter: String?
    @Flag(name: .customLong("list-output-modules"), help: "List output modules") var listOutputModules = false
    @Flag(name: .customLong("list-output-fields"), help: "List the fields of the probe module") var listOutputFields = false
    @Flag(name: .customLong("no-header-row"), help: "No CSV header line (ZMap)") var noHeaderRow = false
    @Option(name: .customLong("dedup-method"), help: "Repeat detection (ZMap): default, full, window or none") var dedupMethod: String?
    @Option(name: .customLong("dedup-window-size"), help: "Distinct replies remembered by --dedup-method window (default 1000000)") var dedupWindowSize: Int?
    @Option(name: .customLong("validate-source-port"), help: "enable or disable checking the reply's port against our source ports (ZMap)") var validateSourcePort: String?

    // IID modules
    @Option(name: [.customShort("U", allowingJoined: true), .customLong("iid-module")], help: "IID module (default low)") var iidModule: String?
    @Option(name: .customLong("iid-args"), parsing: .unconditional, help: "IID module arguments") var iidArgs: String?
    @Option(name: .customLong("iid-num"), help: "IIDs per prefix (default 1)") var iidNum: Int?
    @Flag(name: .customLong("list-iid-modules"), help: "List IID modules") var listIIDModules = false

    // Logging and metadata
    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "No status updates") var quiet = false
    @Option(name: [.customShort("v", allowingJoined: true), .customLong("verbosity")], help: "Log level 0-5 (default 3)") var verbosity: Int?
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("log-file")], help: "Log file") var logFile: String?
    @Option(name: [.customShort("L", allowingJoined: true), .customLong("log-directory")], help: "Write the log to a timestamped file in this directory") var logDirectory: String?
    @Option(name: [.customShort("m", allowingJoined: true), .customLong("metadata-file")], help: "Metadata JSON file") var metadataFile: String?
    @Option(name: [.customShort("u", allowingJoined: true), .customLong("status-updates-file")], help: "CSV file of once-per-second status rows") var statusUpdatesFile: String?
    @Flag(name: .customLong("disable-syslog"), help: "Do not log to syslog (xmap never uses syslog)") var disableSyslog = false
    @Option(name: .customLong("notes"), help: "Text copied into the metadata") var notes: String?
    @Option(name: .customLong("user-metadata"), help: "JSON copied into the metadata") var userMetadata: String?

    // Additional
    @Option(name: [.customShort("T", allowingJoined: true), .customLong("sender-threads")], help: "Sender threads (default 1)") var senderThreads: Int?
    @Option(name: [.customShort("C", allowingJoined: true), .customLong("config")], help: "Config file") var config: String?
    @Flag(name: [.customShort("d"), .customLong("dryrun")], help: "Print packets instead of sending them") var dryrun = false
    @Flag(name: .customLong("fast-dryrun"), help: "Dry run writing binary records: address and port per packet (ZMap)") var fastDryrun = false
    @Option(name: .customLong("netmap-wait-ping"), help: "ZMap's netmap option (netmap is not supported; ignored)") var netmapWaitPing: String?
    @Option(name: .customLong("cores"), help: "CPUs to pin threads to, e.g. 0,2,3 (default: every CPU available)") var cores: String?
    @Option(name: .customLong("max-sendto-failures"), help: "Abort after this many send failures (default -1 = never)") var maxSendtoFailures: Int?
    @Option(name: .customLong("min-hitrate"), help: "Abort if the hit rate (%) stays below this for 5 s") var minHitrate: Double?
    @Flag(name: [.customLong("ignore-blacklist-error"), .customLong("ignore-blocklist-errors")], help: "Skip bad block/allow list entries") var ignoreBlacklistError = false
    @Flag(name: .customLong("ignore-filelist-error"), help: "Skip bad -I lines") var ignoreFilelistError = false
    @Flag(name: [.customShort("V"), .customLong("version")], help: "Print version and exit") var version = false

    @Argument(help: "Targets: addresses and prefixes, e.g. 2001:db8::/32-64 or 198.51.100.0/24") var targets: [String] = []

    static let configuration = CommandConfiguration(
        commandName: "xmap",
        abstract: "A fast Internet-wide scanner for both IPv6 & IPv4.",
        discussion: """
            Examples:
              xmap -6 -x 64 -R 10000 2001:db8::/32          (ICMPv6 echo to 2^32 /64s, ::1 each)
              xmap -4 -M tcp_syn -p 80,443 -R 10000 198.51.100.0/24
              xmap -6 -d -M icmp_echo 2001:db8::/120 -x 128 (dry run: print packets)
            """)
}
