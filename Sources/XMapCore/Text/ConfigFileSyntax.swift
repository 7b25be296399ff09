/// XMap's gengetopt-style config file syntax: one option per line as `name value`,
/// `name=value` or `name` (a flag), `#` comments, values optionally quoted. Turns the text into
/// command-line tokens (`--name=value`, `--name`, `-x value`). Pure: reading the file is the
/// caller's business.
public enum ConfigFileSyntax {
    /// The tokens of `bytes` (the file `path`, for messages). `config` lines are skipped (a
    /// config file does not name another).
    /// - Throws: `XMapError("malformed string in configuration file PATH, line N")`.
    public static func arguments(in bytes: [UInt8], path: String) throws -> [String] {
        var out: [String] = []
        var lineNumber = 0
        for raw in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(decoding: raw, as: UTF8.self).trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let nameEnd = line.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "=" }) ?? line.endIndex
            let name = String(line[..<nameEnd])
            line = line[nameEnd...].trimmingSpaces()
            if line.hasPrefix("=") { line = line.dropFirst().trimmingSpaces() }
            var value: String? = nil
            if let q = line.first, q == "\"" || q == "'" {
                guard let close = line.dropFirst().firstIndex(of: q) else {
                    throw XMapError("malformed string in configuration file \(path), line \(lineNumber)")
                }
                value = String(line[line.index(after: line.startIndex)..<close])
                line = line[line.index(after: close)...].trimmingSpaces()
            } else if !line.isEmpty && !line.hasPrefix("#") {
                let end = line.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "#" }) ?? line.endIndex
                value = String(line[..<end])
                line = line[end...].trimmingSpaces()
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
    /// Without leading and trailing spaces, tabs and carriage returns.
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}
