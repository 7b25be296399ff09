import XMapCore
import XMapIO

/// Loads a ZMap allowlist or blocklist file (`ZMapListLine` syntax) into IPv4 prefixes, resolving
/// host names, with ZMap's log messages: an invalid line is an error that stops the tool unless
/// `ignoreErrors` (`--ignore-blocklist-errors`), then it is logged and skipped.
struct ZMapListLoader {
    /// `allowlist` or `blocklist`: the log module and the word in messages.
    let kind: String
    let ignoreErrors: Bool
    /// Resolves a host name to IPv4 addresses (host order); throws when it cannot.
    var resolve: (String) throws -> [UInt32] = { name in
        try HostResolver.resolve(name, family: .v4).map { UInt32(truncatingIfNeeded: $0.value) }
    }

    /// The prefixes of the file at `path`, in file order. Stops the tool (exit 1, one fatal log
    /// line) when the file cannot be read or, without `ignoreErrors`, at the first invalid line.
    func load(_ path: String) -> [(address: UInt32, length: Int)] {
        var out: [(address: UInt32, length: Int)] = []
        do {
            try LineReader.forEachLine(path: path, maxLineLength: 1 << 20) { _, bytes in
                add(ZMapListLine(bytes), path: path, to: &out)
            }
        } catch {
            ZMapTool.fail("\(error)", module: kind)
        }
        return out
    }

    /// Adds one parsed line.
    func add(_ line: ZMapListLine, path: String, to out: inout [(address: UInt32, length: Int)]) {
        switch line {
        case .empty:
            break
        case .ipv6(let word):
            Log.debug("ignoring IPv6 IP/subnet: \(word)", module: "constraint")
        case .prefix(let address, let length):
            out.append((address, length))
        case .name(let name, let length):
            guard let addresses = try? resolve(name) else {
                Log.error("'\(name)' is not a valid IP address or hostname", module: "constraint")
                if !ignoreErrors { ZMapTool.fail("unable to parse \(kind) file: \(path)", module: kind) }
                return
            }
            for a in addresses {
                Log.debug("\(IPAddress(family: .v4, value: UInt128(a))) retrieved by hostname", module: "constraint")
                out.append((a, length))
            }
        case .badLength(let text):
            let message = "'\(text)' is not a valid IPv4 prefix length"
            if !ignoreErrors { ZMapTool.fail(message, module: "constraint") }
            Log.error(message, module: "constraint")
        }
    }
}
