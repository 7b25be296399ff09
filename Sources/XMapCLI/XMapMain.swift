#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// The `xmap` command: parse, plan, detect the network, scan. Every failure ends with one line
/// on stderr and exit status 1; help, version and the lists exit 0.
public enum XMapMain {
    public static let version = "xmap 0.1.0 (Swift)"

    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        let options: XMapOptions
        do {
            // Config file first, so that the command line overrides it.
            var fileArguments: [String] = []
            if let path = ConfigFile.explicitPath(in: arguments) {
                fileArguments = try ConfigFile.arguments(path: path)
            } else if FileStatus.isReadableFile(ConfigFile.defaultPath) {
                fileArguments = try ConfigFile.arguments(path: ConfigFile.defaultPath)
            }
            options = try XMapOptions.parse(fileArguments + arguments)
        } catch let e as XMapError {
            fail(e.message)
        } catch {
            let code = XMapOptions.exitCode(for: error)
            if code == .success {
                writeStdout(XMapOptions.fullMessage(for: error) + "\n" + moduleHelp())
                exit(0)
            }
            let message = XMapOptions.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            fail(message)
        }
        if options.version { writeStdout(version + "\n"); exit(0) }
        if options.listProbeModules { writeStdout(ProbeModuleRegistry.listing); exit(0) }
        if options.listOutputModules { writeStdout(OutputModuleRegistry.listing); exit(0) }
        if options.listIIDModules { writeStdout(IIDModule.listing); exit(0) }
        var level = LogLevel.info
        if let v = options.verbosity {
            guard let l = LogLevel(rawValue: v) else { fail("--verbosity must be between 0 and 5") }
            level = l
        }
        Log.configure(level: level)
        if options.logFile != nil && options.logDirectory != nil {
            fail("log-file and log-directory cannot specified simultaneously.")
        }
        if let path = options.logFile ?? options.logDirectory.map(logFilePath(directory:)) {
            do { Log.configure(level: level, fd: try FileStatus.openForWriting(path)) } catch let e as XMapError { fail(e.message) } catch { fail("\(error)") }
        }
        do {
            let planner = ScanPlanner(options: options)
            if let args = options.probeArgs, let text = try planner.probeModuleType().informationText(forProbeArgs: args) {
                writeStderr(text)
                exit(0)
            }
            if options.listOutputFields {
                let module = try planner.probeModuleType()
                var text = "\(module.family) \(module.name):\n"
                for f in ScanConfiguration.allFields(module) {
                    text += pad(f.name, 15) + " " + padLeft(f.type.rawValue, 6) + ": " + f.description + "\n"
                }
                writeStdout(text)
                exit(0)
            }
            var config = try planner.plan()
            if let list = config.targetList, list.count == 0 {
                Log.warn("zero ip target file, no need to xmap")
                exit(0)
            }
            try NetworkSetup(options: options).apply(to: &config)
            let summary = try Scanner.run(config)
            if let path = options.metadataFile {
                let json = Metadata.json(config: config, summary: summary, options: options)
                if path == "-" { writeStdout(json) } else {
                    let fd = try FileStatus.openForWriting(path)
                    Array(json.utf8).withUnsafeBytes { try? Posix.writeAll(fd, $0) }
                    Posix.close(fd)
                }
            }
            if summary.interrupted {
                Log.info("interrupted: \(summary.packetsSent) packets sent, \(summary.resultsOutput) results written")
                exit(130)
            }
            if !config.dryRun {
                Log.info("completed: \(summary.packetsSent) packets sent (\(summary.packetsFailed) failed), \(summary.validReplies) valid replies, \(summary.invalidReplies) invalid replies ignored, \(summary.resultsOutput) results")
            }
            exit(0)
        } catch let e as XMapError {
            fail(e.message, module: e.module)
        } catch {
            fail("\(error)")
        }
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

    static func moduleHelp() -> String {
        "\nProbe modules:\n" + (ProbeModuleRegistry.ipv6 + ProbeModuleRegistry.ipv4).map { "  \($0.name) (\($0.family)): \($0.helpText)" }.joined(separator: "\n") + "\n"
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    static func padLeft(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
}
