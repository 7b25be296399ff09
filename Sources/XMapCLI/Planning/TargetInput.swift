import XMapCore
import XMapIO

/// Targets from the command line and allow/block list files: addresses, prefixes, `a-b` ranges
/// and host names (resolved once, at start), painted into a `TargetSpaceBuilder`.
enum TargetInput {
    /// What a list does: add targets, remove them, or bound them (an allowlist from the config
    /// file: the scan stays inside it).
    enum Role { case allow, block, bound }

    /// What `add` did with a token.
    enum Added { case entry, otherFamily }

    /// What a list file held: entries of the scan's family, and of the other family (skipped).
    struct FileCounts {
        var entries = 0
        var otherFamily = 0
    }

    /// Adds one token. Entries of the other address family are skipped when `skipOtherFamily`
    /// (list files may serve both families); everything else malformed throws.
    @discardableResult
    static func add(
        _ token: String, role: Role, to builder: inout TargetSpaceBuilder,
        skipOtherFamily: Bool
    ) throws -> Added {
        let family = builder.family, maxLen = builder.maxLen
        let spec: TargetSpec
        do {
            spec = try TargetSpec.parse(token, family: family, maxLen: maxLen)
        } catch let e as XMapError {
            let other: IPFamily = family == .v4 ? .v6 : .v4
            if skipOtherFamily, (try? TargetSpec.parse(token, family: other, maxLen: other.bits)) != nil {
                return .otherFamily
            }
            throw e
        }
        switch spec {
        case .prefix(let p):
            paint(p, role, &builder)
        case .range(let a, let b):
            // Blocks round outward (every max-len prefix the range touches); allows round inward
            // (only prefixes wholly inside it), so neither can let a probe out of the range.
            if role == .block {
                builder.block(range: TargetSpec.intervals(from: a, to: b, maxLen: maxLen))
            } else if let r = TargetSpec.innerIntervals(from: a, to: b, maxLen: maxLen) {
                role == .allow ? builder.allow(range: r) : builder.bound(range: r)
            } else {
                if role == .allow { builder.restrictToAllowed() }
                if role == .bound { builder.bound(range: nil) }
                Log.warn(
                    "ignoring the range \(a)-\(b): it holds no whole /\(maxLen) prefix (use -x \(family.bits) "
                        + "to scan its addresses)")
            }
        case .hostname(let name, let length):
            for a in try HostResolver.resolve(name, family: family) {
                paint(IPPrefix(address: a, length: min(length ?? maxLen, family.bits)), role, &builder)
            }
        }
        return .entry
    }

    private static func paint(_ p: IPPrefix, _ role: Role, _ builder: inout TargetSpaceBuilder) {
        switch role {
        case .allow: builder.allow(p)
        case .block: builder.block(p)
        case .bound: builder.bound(p)
        }
    }

    /// Adds every entry of a list file: one per line, the first whitespace-separated token,
    /// `#` comments and blank lines ignored.
    /// - Returns: how many entries were of the scan's family and of the other one.
    @discardableResult
    static func addFile(
        _ path: String, role: Role, to builder: inout TargetSpaceBuilder,
        ignoreErrors: Bool
    ) throws -> FileCounts {
        let bytes = try LocalFiles.read(path, limit: 1 << 30)
        let kind = role == .block ? "blocklist" : "allowlist"
        var counts = FileCounts()
        var lineNumber = 0
        for rawLine in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(decoding: rawLine, as: UTF8.self)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            guard let token = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).first else {
                continue
            }
            do {
                switch try add(String(token), role: role, to: &builder, skipOtherFamily: true) {
                case .entry: counts.entries += 1
                case .otherFamily: counts.otherFamily += 1
                }
            } catch let e as XMapError {
                if ignoreErrors {
                    Log.warn("\(kind) \(path), line \(lineNumber): skipping: \(e.message)")
                    continue
                }
                throw XMapError("\(kind) file \(path), line \(lineNumber): \(e.message)")
            }
        }
        return counts
    }
}
