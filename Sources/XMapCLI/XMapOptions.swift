import ArgumentParser

/// XMap's command line (short and long spellings as XMap 2.0.2 defines them).
struct XMapOptions: ParsableCommand {
    // Basic
    @Flag(name: [.customShort("6"), .customLong("ipv6")], help: "Scan IPv6 (default)") var ipv6 = false
    @Flag(name: [.customShort("4"), .customLong("ipv4")], help: "Scan IPv4") var ipv4 = false
    @Option(name: [.customShort("x", allowingJoined: true), .customLong("max-len")], parsing: .unconditional, help: "Number of prefix bits to permute (default 32)") var maxLen: Int?
    @Option(name: [.customShort("p", allowingJoined: true), .customLong("target-port"), .customLong("target-ports")], parsing: .unconditional, help: "Target ports, e.g. 80,443,8080-8081 (* = all)") var targetPort: String?
    @Option(name: [.customShort("P", allowingJoined: true), .customLong("target-index")], parsing: .unconditional, help: "Payload indexes per target (default 0, which means 1, as XMap)") var targetIndex: Int?
    @Option(name: [.customShort("o", allowingJoined: true), .customLong("output-file")], parsing: .unconditional, help: "Output file ('-' for stdout)") var outputFile: String?
    @Option(name: [.customShort("b", allowingJoined: true), .customLong("blacklist-file"), .customLong("blocklist-file")], parsing: .unconditional, help: "File of prefixes to exclude") var blacklistFile: String?
    @Option(name: [.customShort("w", allowingJoined: true), .customLong("whitelist-file"), .customLong("allowlist-file")], parsing: .unconditional, help: "File of prefixes to scan") var whitelistFile: String?
    @Option(name: [.customShort("I", allowingJoined: true), .customLong("list-of-ips-file")], parsing: .unconditional, help: "File of individual addresses to scan") var listOfIPsFile: String?

    // Scan options
    @Option(name: [.customShort("R", allowingJoined: true), .customLong("rate")], parsing: .unconditional, help: "Packets per second (default 1; 0 = unlimited)") var rate: Int?
    @Option(name: [.customShort("B", allowingJoined: true), .customLong("bandwidth")], parsing: .unconditional, help: "Bandwidth in bits/s, suffixes G, M, K") var bandwidth: String?
    @Option(name: .customLong("batch"), parsing: .unconditional, help: "Packets per sendmmsg batch (default 64; XMap's default is 1, and 0 means the default)") var batch: Int?
    @Option(name: .customLong("probes"), parsing: .unconditional, help: "Packets per target (default 1)") var probes: Int?
    @Option(name: .customLong("retries"), parsing: .unconditional, help: "Send attempts per packet (default 1)") var retries: Int?
    @Option(name: [.customShort("n", allowingJoined: true), .customLong("max-targets")], parsing: .unconditional, help: "Cap on targets (number or N%)") var maxTargets: String?
    @Option(name: [.customShort("k", allowingJoined: true), .customLong("max-packets")], parsing: .unconditional, help: "Cap on packets sent") var maxPackets: Int64?
    @Option(name: [.customShort("t", allowingJoined: true), .customLong("max-runtime")], parsing: .unconditional, help: "Cap on seconds spent sending") var maxRuntime: Int?
    @Option(name: [.customShort("N", allowingJoined: true), .customLong("max-results")], parsing: .unconditional, help: "Stop after this many results") var maxResults: Int64?
    @Option(name: [.customShort("E", allowingJoined: true), .customLong("est-elements")], parsing: .unconditional, help: "Expected distinct replies: sizes the repeat filter up front (default: it starts at 64 Ki and grows; XMap preallocates a 500M-entry Bloom filter)") var estElements: Int64?
    @Option(name: [.customShort("c", allowingJoined: true), .customLong("cooldown-secs"), .customLong("cooldown-time")], parsing: .unconditional, help: "Seconds to keep receiving after sending (default 5)") var cooldownSecs: Int?
    @Option(name: [.customShort("e", allowingJoined: true), .customLong("seed")], parsing: .unconditional, help: "Seed for the address permutation and validation key") var seed: Int64?
    @Option(name: .customLong("shards"), parsing: .unconditional, help: "Total number of shards (needs --seed)") var shards: Int?
    @Option(name: .customLong("shard"), parsing: .unconditional, help: "Which shard this scan is (0-based)") var shard: Int?

    // Network
    @Option(name: [.customShort("s", allowingJoined: true), .customLong("source-port")], parsing: .unconditional, help: "Source port or range (default 32768-61000)") var sourcePort: String?
    @Option(name: [.customShort("S", allowingJoined: true), .customLong("source-ip")], parsing: .unconditional, help: "Source address(es), comma list") var sourceIP: String?
    @Option(name: [.customShort("G", allowingJoined: true), .customLong("gateway-mac")], parsing: .unconditional, help: "Gateway MAC (default: detected)") var gatewayMAC: String?
    @Option(name: .customLong("source-mac"), parsing: .unconditional, help: "Source MAC (default: the interface's)") var sourceMAC: String?
    @Option(name: [.customShort("i", allowingJoined: true), .customLong("interface")], parsing: .unconditional, help: "Interface (default: that of the default route)") var interface: String?
    @Flag(name: [.customShort("X"), .customLong("iplayer")], help: "Send IP packets instead of Ethernet frames") var ipLayer = false

    // Probe modules
    @Option(name: [.customShort("M", allowingJoined: true), .customLong("probe-module")], parsing: .unconditional, help: "Probe module (default icmp_echo)") var probeModule: String?
    @Option(name: .customLong("probe-args"), parsing: .unconditional, help: "Probe module arguments") var probeArgs: String?
    @Option(name: .customLong("probe-ttl"), parsing: .unconditional, help: "IPv4 TTL / IPv6 hop limit (default 255)") var probeTTL: Int?
    @Flag(name: .customLong("list-probe-modules"), help: "List probe modules") var listProbeModules = false

    // Output
    @Option(name: [.customShort("O", allowingJoined: true), .customLong("output-module")], parsing: .unconditional, help: "Output module (csv, json)") var outputModule: String?
    @Option(name: .customLong("output-args"), parsing: .unconditional, help: "Output module arguments") var outputArgs: String?
    @Option(name: [.customShort("f", allowingJoined: true), .customLong("output-fields")], parsing: .unconditional, help: "Fields to output, comma list, or *") var outputFields: String?
    @Option(name: [.customShort("F", allowingJoined: true), .customLong("output-filter")], parsing: .unconditional, help: "Output filter expression") var outputFilter: String?
    @Flag(name: .customLong("list-output-modules"), help: "List output modules") var listOutputModules = false
    @Flag(name: .customLong("list-output-fields"), help: "List the fields of the probe module") var listOutputFields = false
    @Flag(name: .customLong("no-header-row"), help: "No CSV header line (ZMap)") var noHeaderRow = false
    @Option(name: .customLong("dedup-method"), parsing: .unconditional, help: "Repeat detection (ZMap): default, full, window or none") var dedupMethod: String?
    @Option(name: .customLong("dedup-window-size"), parsing: .unconditional, help: "Distinct replies remembered by --dedup-method window (default 1000000)") var dedupWindowSize: Int?
    @Option(name: .customLong("dnsz-final"), parsing: .unconditional, help: "dnsz: the address whose answers end the conversation (no repeated query; default 172.64.33.143, XMap's)") var dnszFinal: String?
    @Option(name: .customLong("dedup-limit"), parsing: .unconditional, help: "Most distinct replies the full repeat detection remembers; past it, the oldest are forgotten, with a warning (default 67108864, at most 2^34)") var dedupLimit: Int?
    @Option(name: .customLong("capture-buffer"), parsing: .unconditional, help: "Kernel buffer for captured replies, e.g. 32M (default: two seconds of replies at the send rate, 4M to 256M; 64M with -R 0)") var captureBuffer: String?
    @Option(name: .customLong("validate-source-port"), parsing: .unconditional, help: "enable or disable checking the reply's port against our source ports (ZMap)") var validateSourcePort: String?

    // IID modules
    @Option(name: [.customShort("U", allowingJoined: true), .customLong("iid-module")], parsing: .unconditional, help: "IID module (default low)") var iidModule: String?
    @Option(name: .customLong("iid-args"), parsing: .unconditional, help: "IID module arguments") var iidArgs: String?
    @Option(name: .customLong("iid-num"), parsing: .unconditional, help: "IIDs per prefix (default 1)") var iidNum: Int?
    @Flag(name: .customLong("list-iid-modules"), help: "List IID modules") var listIIDModules = false

    // Logging and metadata
    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "No status updates") var quiet = false
    @Option(name: [.customShort("v", allowingJoined: true), .customLong("verbosity")], parsing: .unconditional, help: "Log level 0-5 (default 3)") var verbosity: Int?
    @Option(name: [.customShort("l", allowingJoined: true), .customLong("log-file")], parsing: .unconditional, help: "Log file") var logFile: String?
    @Option(name: [.customShort("L", allowingJoined: true), .customLong("log-directory")], parsing: .unconditional, help: "Write the log to a timestamped file in this directory") var logDirectory: String?
    @Option(name: [.customShort("m", allowingJoined: true), .customLong("metadata-file")], parsing: .unconditional, help: "Metadata JSON file") var metadataFile: String?
    @Option(name: [.customShort("u", allowingJoined: true), .customLong("status-updates-file")], parsing: .unconditional, help: "CSV file of once-per-second status rows") var statusUpdatesFile: String?
    @Flag(name: .customLong("disable-syslog"), help: "Do not log to syslog") var disableSyslog = false
    @Option(name: .customLong("notes"), parsing: .unconditional, help: "Text copied into the metadata") var notes: String?
    @Option(name: .customLong("user-metadata"), parsing: .unconditional, help: "JSON copied into the metadata") var userMetadata: String?

    // Additional
    @Option(name: [.customShort("T", allowingJoined: true), .customLong("sender-threads")], parsing: .unconditional, help: "Sender threads (default 1)") var senderThreads: Int?
    @Option(name: [.customShort("C", allowingJoined: true), .customLong("config")], parsing: .unconditional, help: "Config file") var config: String?
    @Flag(name: [.customShort("d"), .customLong("dryrun")], help: "Print packets instead of sending them") var dryrun = false
    @Flag(name: .customLong("fast-dryrun"), help: "Dry run writing binary records: address and port per packet (ZMap)") var fastDryrun = false
    @Option(name: .customLong("backend"), parsing: .unconditional, help: "Packet I/O: packet (AF_PACKET + sendmmsg, default), afxdp, netmap") var backend: String?
    @Option(name: .customLong("netmap-wait-ping"), parsing: .unconditional, help: "Wait for an echo reply from this address before scanning (any backend; gives up after 60 s)") var netmapWaitPing: String?
    @Option(name: .customLong("cores"), parsing: .unconditional, help: "CPUs to pin threads to, e.g. 0,2,3 (default: every CPU available)") var cores: String?
    @Option(name: .customLong("max-sendto-failures"), parsing: .unconditional, help: "Abort after this many send failures (default -1 = never)") var maxSendtoFailures: Int?
    @Option(name: .customLong("min-hitrate"), parsing: .unconditional, help: "Abort if the hit rate (%) stays below this for 5 s") var minHitrate: Double?
    @Flag(name: [.customLong("ignore-blacklist-error"), .customLong("ignore-blocklist-errors")], help: "Skip bad block/allow list entries") var ignoreBlacklistError = false
    @Flag(name: .customLong("ignore-filelist-error"), help: "Skip bad -I lines") var ignoreFilelistError = false
    @Option(name: .customLong("checkpoint"), parsing: .unconditional, help: "Write the scan's progress to this file twice a second, to continue it with --resume after a crash or kill") var checkpoint: String?
    @Option(name: .customLong("resume"), parsing: .unconditional, help: "Continue the scan saved in this checkpoint file (same scan parameters; results go to the new -o)") var resume: String?
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
