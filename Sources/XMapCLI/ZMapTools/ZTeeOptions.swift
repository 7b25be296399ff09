/// ztee's command line (ZMap's option names and letters), as parsed values. `table` defines every
/// option once: the parser, `--help`, the man page and the completions read it.
struct ZTeeOptions {
    var successOnly = false
    var monitor = false
    var statusUpdatesFile: String?
    var logFile: String?
    var raw = false
    var help = false
    var version = false

    typealias Option = OptionDefinition<ZTeeOptions>

    /// Every option, in `--help` order.
    static var table: [Option] {
        let basic = "Basic arguments", more = "Additional options"
        return [
            .flag(
                ["success-only"], nil, basic,
                "Print only the records whose success field is 1 (any non-zero number) or true", \.successOnly),
            .flag(["monitor"], "m", basic, "Every second, print input rate and buffer size on stderr", \.monitor),
            .string(
                ["status-updates-file"], "u", basic, "monitor.csv",
                "Every second, write input rate and buffer size as a CSV row to this file",
                \.statusUpdatesFile),
            .string(
                ["log-file"], "l", basic, "name", "Write warnings and errors to this file, not stderr",
                \.logFile),
            .flag(["raw"], "r", basic, "Treat the input as plain lines: print every line as it is", \.raw),
            .flag(["help"], "h", more, "Print help and exit", \.help),
            .flag(["version"], "V", more, "Print version and exit", \.version)
        ]
    }

    /// `--help`.
    static var helpText: String {
        """
        \(ZMapTool.version("ztee")): xmap's implementation of ZMap's ztee

        Copies standard input to FILE byte for byte and prints the address of each
        record on standard output. Input is read as fast as it arrives and buffered, so
        a slow reader of the addresses never holds up the scan that writes them.

        Usage: ztee [OPTION]... FILE

        """ + OptionHelp.listing(table) + """

            Input formats, told apart by the first line:
              CSV (the first line, a header, has a comma): each row's saddr column, or its
                  ip column (exact names first, then a column whose name starts with one)
              JSON lines (the first line starts with '{'): each record's "saddr" value,
                  or its "ip" value
              anything else: every line unchanged

            Examples:
              zmap -p 443 -o - | ztee scan.csv | zgrab2 tls
                  (keep the scan's rows in scan.csv, hand the addresses on)
              zmap -p 80 -f '*' -o - | ztee --success-only scan.csv
                  (all fields to scan.csv, addresses of the hosts that answered to stdout)
              zmap -p 80 -O json -o - | ztee -u status.csv scan.json
                  (JSON records, and a CSV row of buffer statistics every second)
              printf 'hello, ztee\\n' | ztee --raw out.txt
                  (plain lines, as tee)

            """
    }
}
