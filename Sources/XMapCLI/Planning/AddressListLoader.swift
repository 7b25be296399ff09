import XMapCore
import XMapIO

/// Reads an `-I` file: one address per line (`#` comments and blank lines skipped, anything from
/// whitespace or `#` on ignored), keeping only addresses the allow/block lists allow.
enum AddressListLoader {
    static func load(path: String, family: IPFamily, allowed: PrefixIntervals, ignoreErrors: Bool) throws -> AddressList
    {
        var list = AddressList(family: family)
        var skipped = 0, blocked = 0, bad = 0
        try LineReader.forEachLine(path: path, maxLineLength: 256) { lineNumber, raw in
            switch AddressListLine.parse(raw, family: family) {
            case .blank:
                skipped += 1
            case .invalid(let token):
                if ignoreErrors { bad += 1; return }
                throw XMapError("could not parse \(family) address from line \(lineNumber) of \(path): '\(token)'")
            case .address(let v):
                if v == 0 || !allowed.contains(v) { blocked += 1; return }
                list.append(v)
            }
        }
        if bad > 0 { Log.warn("skipped \(bad) unparsable lines in \(path)") }
        Log.debug("\(path): \(list.count) addresses, \(blocked) not allowed, \(skipped) blank or comment lines")
        return list
    }
}
