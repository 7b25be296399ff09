import XMapCore
import XMapIO

/// XMap's gengetopt-style config file (`-C`, default `/etc/xmap/xmap.conf` when it exists):
/// one option per line as `name value`, `name=value` or `name` (a flag), `#` comments, values
/// optionally quoted. Options from the file go before the command line's, so the command line
/// wins, as in XMap.
enum ConfigFile {
    static let defaultPath = "/etc/xmap/xmap.conf"

    /// The explicit `-C`/`--config` path in `arguments`, if any.
    static func explicitPath(in arguments: [String]) -> String? {
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { return nil }
            if a == "-C" || a == "--config" { return i + 1 < arguments.count ? arguments[i + 1] : nil }
            if a.hasPrefix("--config=") { return String(a.dropFirst(9)) }
            if a.hasPrefix("-C") && a.count > 2 { return String(a.dropFirst(2)) }
            i += 1
        }
        return nil
    }

    /// Turns the file into command-line tokens (`--name=value` / `--name`).
    static func arguments(path: String) throws -> [String] {
        let bytes: [UInt8]
        do { bytes = try LocalFiles.read(path, limit: 1 << 20) } catch {
            throw XMapError("Error opening configuration file '\(path)'")
        }
        return try ConfigFileSyntax.arguments(in: bytes, path: path)
    }
}
