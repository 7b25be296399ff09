import XMapCore
import XMapIO

/// Targets from the command line and allow/block list files: addresses, prefixes, `a-b` ranges
/// and host names (resolved once, at start), painted into a `TargetSpaceBuilder`.
enum TargetInput {
    enum Role { case allow, block }

    /// Adds one token. Entries of the other address family are skipped when `skipOtherFamily`
    /// (list files may serve both families); everything else malformed throws.
    static func add(_ token: String, role: Role, to builder: inout TargetSpaceBuilder, skipOtherFamily: Bool) throws {
        let family = builder.family, maxLen = builder.maxLen
        let spec: TargetSpec
        do {
            spec = try TargetSpec.parse(token, family: family, maxLen: maxLen)
        } catch let e as XMapError {
            let other: IPFamily = family == .v4 ? .v6 : .v4
            if skipOtherFamily, (try? TargetSpec.parse(token, family: other, maxLen: other.bits)) != nil { return }
            throw e
        }
        switch spec {
        case .prefix(let p):
            role == .allow ? builder.allow(p) : builder.block(p)
        case .range(let a, let b):
            let r = TargetSpec.intervals(from: a, to: b, maxLen: maxLen)
            role == .allow ? builder.allow(range: r) : builder.block(range: r)
        case .hostname(let name, let length):
            for a in try HostResolver.resolve(name, family: family) {
                let p = IPPrefix(address: a, length: min(length ?? maxLen, family.bits))
                role == .allow ? builder.allow(p) : builder.block(p)
            }
        }
    }

    /// Adds every entry of a list file: one per line, the first whitespace-separated token,
    /// `#` comments and blank lines ignored.
    static func addFile(_ path: String, role: Role, to builder: inout TargetSpaceBuilder, ignoreErrors: Bool) throws {
        let bytes = try LocalFiles.read(path, limit: 1 << 30)
        let kind = role == .allow ? "allowlist" : "blocklist"
        var lineNumber = 0
        for rawLine in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(decoding: rawLine, as: UTF8.self)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            guard let token = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).first else { continue }
            do {
                try add(String(token), role: role, to: &builder, skipOtherFamily: true)
            } catch let e as XMapError {
                if ignoreErrors {
                    Log.warn("\(kind) \(path), line \(lineNumber): skipping: \(e.message)")
                    continue
                }
                throw XMapError("\(kind) file \(path), line \(lineNumber): \(e.message)")
            }
        }
    }
}
