import XMapCore
import XMapIO

/// XMap's gengetopt-style config file (`-C`, default `/etc/xmap/xmap.conf` when it exists):
/// one option per line as `name value`, `name=value` or `name` (a flag), `#` comments, values
/// optionally quoted. The command line wins over the file, as in XMap.
enum ConfigFile {
    static let defaultPath = "/etc/xmap/xmap.conf"

    /// Turns the file into command-line words (`--name=value` / `--name`).
    static func arguments(path: String) throws -> [String] {
        let bytes: [UInt8]
        do { bytes = try LocalFiles.read(path, limit: 1 << 20) } catch {
            throw XMapError("Error opening configuration file '\(path)'")
        }
        return try ConfigFileSyntax.arguments(in: bytes, path: path)
    }
}
