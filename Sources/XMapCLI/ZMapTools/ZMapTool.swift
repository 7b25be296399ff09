#if canImport(Glibc)
import Glibc
#endif
import XMapCore
import XMapIO

/// What ZMap's companion tools (`ztee`, `zblocklist`) share in xmap: the version line, the command
/// line parse with gengetopt's messages, and the way they stop.
enum ZMapTool {
    /// `ztee (xmap 0.1.0)`: the tool is xmap's implementation, at xmap's version.
    static func version(_ tool: String) -> String {
        let number = XMapMain.version.split(separator: " ").dropFirst().first.map(String.init) ?? "?"
        return "\(tool) (xmap \(number))"
    }

    /// Parses `arguments` with `table` into `options` and returns the operands. A syntax error
    /// is one line in getopt's words after the tool's name, and exit status 1.
    static func parse<Options>(
        _ tool: String, _ arguments: [String], table: [OptionDefinition<Options>],
        into options: inout Options
    ) -> [String] {
        let parser = GetoptParser(table: table)
        do {
            let commandLine = try parser.parse(arguments)
            try parser.apply(commandLine: commandLine, configFile: nil, to: &options)
            return commandLine.operands
        } catch {
            usageError(tool, error.message)
        }
    }

    /// `tool: message` on stderr, exit status 1.
    static func usageError(_ tool: String, _ message: String) -> Never {
        writeStderr("\(tool): \(message)\n")
        exit(1)
    }

    /// A fatal log line (`… [FATAL] module: message`, to the log file if there is one), exit status 1.
    static func fail(_ message: String, module: String) -> Never {
        Log.log(.fatal, module, message)
        exit(1)
    }

    /// Writes all of `bytes` to `fd`, or fails with `message` and the system's reason.
    static func write(_ bytes: [UInt8], to fd: Int32, orFail message: String, module: String) {
        if bytes.isEmpty { return }
        let result = bytes.withUnsafeBytes { b in Result { () throws(SystemError) in try Posix.writeAll(fd, b) } }
        if case .failure(let error) = result { fail("\(message): \(error.errnoText)", module: module) }
    }
}
