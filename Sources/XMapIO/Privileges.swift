#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// The account a scan runs as once everything is open.
public struct ScanUser: Sendable, Equatable {
    public let name: String
    public let uid: UInt32
    public let gid: UInt32

    public init(name: String, uid: UInt32, gid: UInt32) {
        self.name = name
        self.uid = uid
        self.gid = gid
    }
}

/// Least privilege (tcpdump's `-Z` model): a scan opens its sockets, rings, capture and files
/// with the privileges it was started with, then gives up what it no longer needs before it
/// parses a single reply. Started as root it becomes `--user` (default `nobody`) with no
/// capability left; started as an ordinary user with file capabilities (`setcap
/// cap_net_raw,cap_net_admin+ep`) it clears them. In both cases it then sets `no_new_privs` and
/// installs a seccomp filter that allows only the calls the scan loops make (sandbox.c).
public enum Privileges {
    /// True when the process runs with effective uid 0.
    public static var isRoot: Bool { system_geteuid() == 0 }

    /// The user `name` from the password database (read at plan time, before the filter).
    /// - Throws: `XMapError` when there is no such user.
    public static func user(named name: String) throws -> ScanUser {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 16_384)
        let rc = system_getpwnam_r(name, &entry, &buffer, buffer.count, &result)
        guard rc == 0, result != nil else {
            throw XMapError(
                "--user: there is no user '\(name)' (the scan runs as this user once set up; "
                    + "--no-drop-privileges keeps root)")
        }
        return ScanUser(name: name, uid: entry.pw_uid, gid: entry.pw_gid)
    }

    /// Gives up what the scan no longer needs: becomes `user` when running as root (nil keeps
    /// the uid), clears every capability, sets `no_new_privs` and installs the system call
    /// filter. Call it once the scan is set up and before any thread starts.
    /// - Throws: `XMapError` when a step fails (the scan must not go on with more than it asked).
    public static func dropAfterSetup(to user: ScanUser?) throws {
        if let user, isRoot {
            let rc = system_drop_user(user.uid, user.gid)
            guard rc == 0 else {
                throw XMapError("could not switch to user '\(user.name)': \(String(cString: strerror(rc)))")
            }
        }
        let cleared = system_clear_capabilities()
        guard cleared == 0 else {
            throw XMapError("could not clear the capabilities: \(String(cString: strerror(cleared)))")
        }
        let nnp = system_set_no_new_privs()
        guard nnp == 0 else { throw XMapError("could not set no_new_privs: \(String(cString: strerror(nnp)))") }
        let filtered = system_install_syscall_filter(Log.destination, "[FATAL] sandbox: ")
        guard filtered == 0 else {
            throw XMapError("could not install the system call filter: \(String(cString: strerror(filtered)))")
        }
        if getenv("XMAP_TEST_FORBIDDEN_SYSCALL") != nil { _ = CXMap_forbidden_call_for_test() }
    }
}
