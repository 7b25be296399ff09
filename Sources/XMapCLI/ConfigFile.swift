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
        var out: [String] = []
        var lineNumber = 0
        for raw in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(decoding: raw, as: UTF8.self).trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let nameEnd = line.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "=" }) ?? line.endIndex
            let name = String(line[..<nameEnd])
            line = line[nameEnd...].trimmingWhitespace()
            if line.hasPrefix("=") { line = line.dropFirst().trimmingWhitespace() }
            var value: String? = nil
            if let q = line.first, q == "\"" || q == "'" {
                guard let close = line.dropFirst().firstIndex(of: q) else {
                    throw XMapError("malformed string in configuration file \(path), line \(lineNumber)")
                }
                value = String(line[line.index(after: line.startIndex)..<close])
                line = line[line.index(after: close)...].trimmingWhitespace()
            } else if !line.isEmpty && !line.hasPrefix("#") {
                let end = line.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "#" }) ?? line.endIndex
                value = String(line[..<end])
                line = line[end...].trimmingWhitespace()
            }
            guard line.isEmpty || line.hasPrefix("#") else {
                throw XMapError("malformed string in configuration file \(path), line \(lineNumber)")
            }
            guard name != "config" else { continue }
            if name.count == 1 {
                out.append("-\(name)")
                if let value { out.append(value) }
            } else {
                out.append(value.map { "--\(name)=\($0)" } ?? "--\(name)")
            }
        }
        return out
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}
