#if canImport(Glibc)
import Glibc
#endif
import XMapCore
import XMapIO

/// The `zblocklist` command (xmap invoked as `zblocklist`): ZMap's filter for target lists. It
/// reads lines from standard input and prints, unchanged, those whose address (`ZBlocklistInput`)
/// the allowlist allows and the blocklist does not block, the first line of each address only
/// (unless `--no-duplicate-checking`); lines without a valid address are printed too unless
/// `--ignore-input-errors`. Exit status 0, or 1 after one fatal log line.
/// Differences from ZMap: docs/zmap-users.md.
public enum ZBlocklistMain {
    /// The longest input line, counting its newline.
    static let maxLineLength = 1 << 20

    /// Runs zblocklist with `arguments` (without the program name); never returns.
    public static func run(arguments: [String]) -> Never {
        var options = ZBlocklistOptions()
        let operands = ZMapTool.parse("zblocklist", arguments, table: ZBlocklistOptions.table, into: &options)
        if options.help { writeStdout(ZBlocklistOptions.helpText); exit(0) }
        if options.version { writeStdout(ZMapTool.version("zblocklist") + "\n"); exit(0) }
        if let extra = operands.first {
            ZMapTool.usageError(
                "zblocklist", "unexpected argument '\(extra)': the addresses are read from standard input")
        }
        configureLogging(options)

        guard options.blocklistFile != nil || options.allowlistFile != nil else {
            fail("must specify either a allowlist or blocklist file")
        }
        for (kind, path) in [("blocklist", options.blocklistFile), ("allowlist", options.allowlistFile)] {
            guard let path else {
                Log.debug("no \(kind) file specified", module: "zblocklist")
                continue
            }
            Log.debug("\(kind) file at \(path) to be used", module: "zblocklist")
            if !LocalFiles.isReadable(path) { fail("unable to read specified \(kind) file (\(path))") }
        }
        let allow = options.allowlistFile.map {
            ZMapListLoader(kind: "allowlist", ignoreErrors: options.ignoreBlocklistErrors).load($0)
        }
        let block =
            options.blocklistFile.map {
                ZMapListLoader(kind: "blocklist", ignoreErrors: options.ignoreBlocklistErrors).load($0)
            } ?? []
        let allowed = IPv4AllowSet(allow: allow, block: block)
        let count = allowed.count
        Log.debug("\(count) addresses (\(count * 100 >> 32)% of IPv4) pass the lists", module: "constraint")
        if count == 0 { fail("unable to initialize blocklist / allowlist: the lists let no address through") }

        ZBlocklistInput(
            allowed: allowed, checkDuplicates: !options.noDuplicateChecking,
            printInvalid: !options.ignoreInputErrors
        ).run()
    }

    /// `-v`, `-l` and syslog (on unless `--disable-syslog`).
    static func configureLogging(_ options: ZBlocklistOptions) {
        let verbosity = min(max(options.verbosity ?? ZBlocklistOptions.defaultVerbosity, 0), 5)
        let level = LogLevel(rawValue: verbosity) ?? .info
        Log.configure(level: level)
        if let path = options.logFile {
            guard let fd = try? LocalFiles.openForWriting(path) else {
                writeStderr("FATAL: unable to open specified logfile (\(path))\n")
                exit(1)
            }
            Log.configure(level: level, fd: fd)
        }
        if !options.disableSyslog { Log.enableSyslog(ident: "zblocklist") }
    }

    /// A fatal log line from zblocklist, exit status 1.
    static func fail(_ message: String) -> Never { ZMapTool.fail(message, module: "zblocklist") }
}

/// zblocklist's pass over standard input: reads whole lines in blocks, decides each line, and
/// writes the lines that pass with one write per block read (so output keeps pace with input).
struct ZBlocklistInput: ~Copyable {
    let allowed: IPv4AllowSet
    let checkDuplicates: Bool
    let printInvalid: Bool
    private var seen = PagedAddressBitmap()

    init(allowed: IPv4AllowSet, checkDuplicates: Bool, printInvalid: Bool) {
        self.allowed = allowed
        self.checkDuplicates = checkDuplicates
        self.printInvalid = printInvalid
    }

    /// Filters standard input to standard output, then exits (status 0, or 1 after a fatal error).
    consuming func run() -> Never {
        var reader = LineBlockReader(fd: 0, maxLineLength: ZBlocklistMain.maxLineLength)
        var out: [UInt8] = []
        let debug = Log.isEnabled(.debug)
        while true {
            let block: LineBlockReader.Block
            do { block = try reader.next() } catch {
                ZBlocklistMain.fail("unable to read standard input: \(error.errnoText)")
            }
            switch block {
            case .end:
                exit(0)
            case .lineTooLong:
                ZBlocklistMain.fail("received line longer than max length: \(ZBlocklistMain.maxLineLength)")
            case .lines(let bytes):
                out.removeAll(keepingCapacity: true)
                var start = 0
                while start < bytes.count {
                    let end = bytes[start...].firstIndex(of: 10).map { $0 + 1 } ?? bytes.count
                    if pass(bytes[start..<end], debug: debug) { out += bytes[start..<end] }
                    start = end
                }
                ZMapTool.write(out, to: 1, orFail: "unable to write to standard output", module: "zblocklist")
            }
        }
    }

    /// Whether `line` is printed; marks its address as seen.
    mutating func pass(_ line: ArraySlice<UInt8>, debug: Bool) -> Bool {
        let key = Self.key(line)
        if debug { Log.debug("input value \(Self.text(key))", module: "zblocklist") }
        guard let address = InetAton.parse(key) else {
            Log.warn("invalid input address: \(Self.text(key))", module: "zblocklist")
            return printInvalid
        }
        if checkDuplicates && seen.contains(address) {
            if debug { Log.debug("\(Self.text(key)) is a duplicate: skipped", module: "zblocklist") }
            return false
        }
        guard allowed.contains(address) else {
            if debug { Log.debug("\(Self.text(key)) is not allowed: skipped", module: "zblocklist") }
            return false
        }
        if checkDuplicates { seen.insert(address) }
        return true
    }

    /// The text a line's address is read from: up to the first newline, comma, tab, space or `#`
    /// (the whole line when there is none).
    static func key(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let end = line.firstIndex { $0 == 10 || $0 == 44 || $0 == 9 || $0 == 32 || $0 == 35 } ?? line.endIndex
        return line[..<end]
    }

    /// Bytes for a log message.
    static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}
