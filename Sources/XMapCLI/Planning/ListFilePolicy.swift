import XMapCore
import XMapIO

/// Which allow and block lists a scan uses, and what their contents must be:
/// - XMap's default files apply to their own family only (`/etc/xmap/blacklist4.conf` is
///   skipped by an IPv6 scan, `/etc/xmap/whitelist6.conf` by an IPv4 scan), with XMap's warning
///   when they are in use;
/// - an allowlist with no entry of the scan's family is an error (it would allow nothing, and
///   must never be read as "no allowlist");
/// - entries of the other family are skipped and counted, with one warning per file.
struct ListFilePolicy {
    static let defaultBlocklist = "/etc/xmap/blacklist4.conf"
    static let defaultAllowlist = "/etc/xmap/whitelist6.conf"

    let options: XMapOptions
    let family: IPFamily

    /// The allowlist this scan reads, if any.
    var allowlist: String? {
        guard let w = options.whitelistFile else { return nil }
        if family == .v4 && w == Self.defaultAllowlist { return nil }
        return w
    }

    /// The blocklist this scan reads, if any.
    var blocklist: String? {
        guard let b = options.blacklistFile else { return nil }
        if family == .v6 && b == Self.defaultBlocklist { return nil }
        return b
    }

    /// XMap's warnings about its default files, when this scan uses them.
    func logDefaultFileWarnings() {
        if family == .v4 && blocklist == Self.defaultBlocklist {
            Log.warn(
                "XMap is currently using the default blacklist located at \(Self.defaultBlocklist). "
                    + "By default, this blacklist excludes locally scoped networks (e.g. 10.0.0.0/8, 127.0.0.1/8, "
                    + "and 192.168.0.0/16). If you are trying to scan local networks, you can change the default "
                    + "blacklist by editing the default XMap configuration at /etc/xmap/xmap.conf.",
                module: "blocklist")
        }
        if family == .v6 && allowlist == Self.defaultAllowlist {
            Log.warn(
                "XMap is currently using the default whitelist located at \(Self.defaultAllowlist). "
                    + "By default, this whitelist includes 2000::/3. If you are trying to scan other networks, you "
                    + "can change the default whitelist by editing the default XMap configuration at "
                    + "/etc/xmap/xmap.conf.", module: "allowlist")
        }
    }

    /// Checks what a list file held (see the type's rules).
    func check(_ counts: TargetInput.FileCounts, path: String, role: TargetInput.Role) throws {
        let other: IPFamily = family == .v4 ? .v6 : .v4
        let kind = role == .block ? "blocklist" : "allowlist"
        if role != .block && counts.entries == 0 {
            let n = counts.otherFamily
            let skipped = n > 0 ? " (\(n) \(other) entr\(n == 1 ? "y" : "ies") skipped)" : ""
            throw XMapError(
                "\(kind) \(path) has no \(family) entry\(skipped): this \(family) scan "
                    + "would have nothing to scan", module: kind)
        }
        if counts.otherFamily > 0 {
            Log.warn(
                "\(kind) \(path): \(counts.otherFamily) \(other) "
                    + "entr\(counts.otherFamily == 1 ? "y does" : "ies do") not apply to this \(family) scan "
                    + "and \(counts.otherFamily == 1 ? "was" : "were") skipped", module: kind)
        }
    }

    /// The warning for a scan of a whole address space with no blocklist.
    func wholeSpaceWarning(maxLen: Int) -> String {
        if family == .v4 {
            return "scanning the whole IPv4 address space with no blocklist: private, reserved and multicast "
                + "networks will be probed too (-b \(Self.defaultBlocklist) excludes them)"
        }
        return "scanning the whole IPv6 address space (every /\(maxLen)) with no blocklist or allowlist "
            + "(-w \(Self.defaultAllowlist) keeps the scan to 2000::/3)"
    }
}
