import XMapCore

/// zblocklist's command line (ZMap's option names and letters), as parsed values. `table`
/// defines every option once: the parser, `--help`, the man page and the completions read it.
struct ZBlocklistOptions {
    var blocklistFile: String?
    var allowlistFile: String?
    var logFile: String?
    var verbosity: Int?
    var noDuplicateChecking = false
    var ignoreBlocklistErrors = false
    var ignoreInputErrors = false
    var disableSyslog = false
    var help = false
    var version = false

    typealias Option = OptionDefinition<ZBlocklistOptions>

    /// The log level without `-v`.
    static let defaultVerbosity = 3

    /// Every option, in `--help` order.
    static var table: [Option] {
        let basic = "Basic arguments", more = "Additional options"
        return [
            .string(
                ["blocklist-file"], "b", basic, "path",
                "Addresses, prefixes (a.b.c.d/n) and host names to drop, one per line", \.blocklistFile),
            .string(
                ["allowlist-file"], "w", basic, "path",
                "Addresses, prefixes and host names to keep, one per line: nothing else passes",
                \.allowlistFile),
            .string(["log-file"], "l", basic, "name", "Write the log to this file, not stderr", \.logFile),
            Option(
                names: ["verbosity"], short: "v", metavar: "n", help: "Log level, 0 (fatal only) to 5 (trace)",
                section: basic, defaultText: String(defaultVerbosity), hidden: false,
                store: { o, v throws(XMapError) in o.verbosity = try Self.integer(v ?? "") }),
            .flag(
                ["no-duplicate-checking"], nil, basic, "Print every line of an address, not just its first",
                \.noDuplicateChecking),
            .flag(
                ["ignore-blocklist-errors"], nil, basic,
                "Skip invalid allowlist and blocklist lines instead of stopping", \.ignoreBlocklistErrors),
            .flag(
                ["ignore-input-errors"], nil, basic,
                "Drop input lines that do not start with an address (without it, they are printed)",
                \.ignoreInputErrors),
            .flag(["disable-syslog"], nil, basic, "Do not send log messages to syslog", \.disableSyslog),
            .flag(["help"], "h", more, "Print help and exit", \.help),
            .flag(["version"], "V", more, "Print version and exit", \.version)
        ]
    }

    /// gengetopt's `int`: base 10, optional sign and leading blanks, nothing after.
    static func integer(_ text: String) throws(XMapError) -> Int {
        guard let v = Int(text.trimmingLeadingSpaces(), radix: 10) else {
            throw XMapError("invalid numeric value: \(text)")
        }
        return v
    }

    /// `--help`.
    static var helpText: String {
        """
        \(ZMapTool.version("zblocklist")): xmap's implementation of ZMap's zblocklist

        Reads IPv4 addresses from standard input, one per line, and prints the lines
        whose address the lists let through, each address once: a target-list filter.

        Usage: zblocklist [OPTION]... < ADDRESSES

        """ + OptionHelp.listing(table) + """

            Input lines: the address is the text before the first space, tab, comma or
            '#' (inet_aton forms too: 1.2.3 = 1.2.0.3, 0x7f.1); the line is printed whole.

            Lists: give -b, -w or both. An address passes when the allowlist holds it
            (without -w: every address) and the blocklist does not; 0.0.0.0 never passes.
            A list line holds an address, a prefix or a host name (resolved at start);
            '#' starts a comment; IPv6 entries are skipped.

            Example:
              zblocklist -b /etc/zmap/blocklist.conf < targets.txt > allowed.txt

            """
    }
}
