import XMapCore
import XMapIO

/// Reads an `-I` file: one address per line (`#` comments and blank lines skipped, anything from
/// whitespace or `#` on ignored), keeping only addresses the allow/block lists allow.
enum AddressListLoader {
    static func load(path: String, family: IPFamily, allowed: PrefixIntervals, ignoreErrors: Bool) throws -> AddressList {
        var list = AddressList(family: family)
        var skipped = 0, blocked = 0, bad = 0
        try LineReader.forEachLine(path: path, maxLineLength: 256) { lineNumber, raw in
            var a = 0, b = raw.count
            while a < b && (raw[a] == 32 || raw[a] == 9) { a += 1 }
            while b > a && (raw[b - 1] == 32 || raw[b - 1] == 9) { b -= 1 }
            if a == b || raw[a] == 35 { skipped += 1; return }
            var end = a
            while end < b && raw[end] != 32 && raw[end] != 9 && raw[end] != 35 { end += 1 }
            let token = UnsafeRawBufferPointer(rebasing: raw[a..<end])
            guard let v = AddressBytes.parse(token, family: family) else {
                if ignoreErrors { bad += 1; return }
                throw XMapError("could not parse \(family) address from line \(lineNumber) of \(path): '\(String(decoding: token, as: UTF8.self))'")
            }
            if v == 0 || !allowed.contains(v) { blocked += 1; return }
            list.append(v)
        }
        if bad > 0 { Log.warn("skipped \(bad) unparsable lines in \(path)") }
        Log.debug("\(path): \(list.count) addresses, \(blocked) not allowed, \(skipped) blank or comment lines")
        return list
    }
}
