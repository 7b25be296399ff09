#if canImport(Glibc)
import Glibc
#endif
import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// The `xmap` command: parse XMap's command line, then run the scan (`ScanCommand`). Every
/// failure ends with one line on stderr and exit status 1; help, version and the lists exit 0.
public enum XMapMain {
    public static let version = "xmap 0.1.0 (Swift)"

    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        InterruptSignal.ignoreBrokenPipes()
        ScanCommand.run(parse(arguments))
    }

    /// Opens the metadata file (`-` is stdout) for `writeMetadata`.
    static func openMetadata(_ path: String) throws -> Int32 {
        if path == "-" { return 1 }
        do { return try Posix.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644) } catch {
            throw XMapError("unable to open metadata file (\(path)): \(error.errnoText)", module: "metadata")
        }
    }

    /// Writes the metadata document; a failure is an error, not a silent loss.
    static func writeMetadata(_ json: String, to fd: Int32, path: String) throws {
        defer { if fd != 1 { Posix.close(fd) } }
        let written = Array(json.utf8).withUnsafeBytes { b in
            Result { () throws(SystemError) in try Posix.writeAll(fd, b) }
        }
        if case .failure(let error) = written {
            throw XMapError("unable to write metadata file (\(path)): \(error.errnoText)", module: "metadata")
        }
    }

    /// The options from the config file (explicit `-C`, or the default file if it exists) and
    /// the command line, which wins. Help exits 0; every error exits 1 with one line.
    static func parse(_ arguments: [String]) -> XMapOptions {
        let options: XMapOptions
        do {
            options = try XMapOptions.parse(arguments, readConfig: readConfig)
        } catch let e as XMapError {
            usageError(e.message)
        } catch {
            usageError("\(error)")
        }
        if options.help {
            // The options, then the selected modules' help (as XMap prints it).
            var text = XMapOptions.helpText
            do { text += try ModuleHelp.text(for: options) } catch let e as XMapError { fail(e.message) } catch {}
            writeStdout(text)
            exit(0)
        }
        return options
    }

    /// The words of the config file at `path`: nil when it is the default file and absent.
    static func readConfig(_ path: String) throws -> [String]? {
        if path == ConfigFile.defaultPath && !LocalFiles.isReadable(path) { return nil }
        return try ConfigFile.arguments(path: path)
    }

    /// A command-line syntax error, in getopt's form (`xmap: unrecognized option '--bogus'`).
    static func usageError(_ message: String) -> Never {
        writeStderr("xmap: \(message)\n")
        exit(1)
    }

    /// `-v`, `-l` and `-L`.
    static func configureLogging(_ options: XMapOptions) {
        var level = LogLevel.info
        if let v = options.verbosity {
            guard let l = LogLevel(rawValue: v) else { fail("--verbosity must be between 0 and 5") }
            level = l
        }
        Log.configure(level: level)
        if !options.disableSyslog { Log.enableSyslog() }
        if options.logFile != nil && options.logDirectory != nil {
            fail("log-file and log-directory cannot specified simultaneously.")
        }
        if let path = options.logFile ?? options.logDirectory.map(logFilePath(directory:)) {
            do { Log.configure(level: level, fd: try LocalFiles.openForWriting(path)) } catch { fail("\(error)") }
        }
    }

    /// `--list-output-fields`: XMap's `%-15s %6s: %s` per field of the module's records, after
    /// an `IPv6 icmp_echo:` title.
    static func fieldListing(_ entry: ProbeModuleEntry, title: Bool = true) -> String {
        var text = title ? "\(entry.family) \(entry.name):\n" : ""
        for f in entry.schema.fields {
            text += pad(f.name, 15) + " " + padLeft(f.type.rawValue, 6) + ": " + f.description + "\n"
        }
        return text
    }

    /// One line on stderr (or the log file) in XMap's log format, then exit 1.
    static func fail(_ message: String, module: String = "xmap") -> Never {
        Log.log(.fatal, module, message)
        exit(1)
    }

    /// XMap's `-L` file name: `<dir>/xmap-%Y-%m-%dT%H%M%S%z.log` in local time.
    static func logFilePath(directory: String) -> String {
        let name = "xmap-" + Log.localTime("%Y-%m-%dT%H%M%S%z", seconds: Posix.wallClock().seconds) + ".log"
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }
    static func padLeft(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : String(repeating: " ", count: n - s.count) + s
    }
}
