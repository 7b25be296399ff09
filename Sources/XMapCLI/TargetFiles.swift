import XMapCore
import XMapModules

/// Reads allowlist / blocklist files: one entry per line, `#` comments, blank lines ignored.
enum TargetFiles {
    /// The prefixes listed in `path`. Entries without `/len` mean `/max-len`.
    static func prefixes(path: String, family: IPFamily, maxLen: Int, kind: String, ignoreErrors: Bool) throws -> [IPPrefix] {
        let bytes = try FileContents.read(path, limit: 1 << 30)
        var out: [IPPrefix] = []
        var lineNumber = 0
        for rawLine in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(decoding: rawLine, as: UTF8.self)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            guard let token = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).first else { continue }
            do {
                let p = try IPPrefix.parse(String(token), defaultLength: maxLen)
                if p.address.family != family { continue }   // a shared file may list both families
                out.append(p)
            } catch let e as XMapError {
                if ignoreErrors { continue }
                throw XMapError("\(kind) file \(path), line \(lineNumber): \(e.message)")
            }
        }
        return out
    }
}
