import Foundation
import Testing
import XMapTestSupport

/// The system call filter and `--user`, on dry runs (no lab needed): a forbidden call is
/// stopped with one line naming it, `--no-drop-privileges` turns the filter off, an unknown
/// user is an error before anything runs.
@Suite("Least privilege options")
struct PrivilegeOptionTests {
    static let dryRun = [
        "-4", "-d", "-n", "2", "-i", "lo", "-G", "00:00:5e:00:53:01", "-S", "192.0.2.1", "-q",
        "--disable-syslog", "198.51.100.0/30"
    ]

    @Test("a forbidden system call after set-up ends the scan with one line naming it")
    func forbiddenCall() throws {
        let r = try Subprocess.xmapIsolated(Self.dryRun, environment: ["XMAP_TEST_FORBIDDEN_SYSCALL": "1"])
        #expect(r.status == 1)
        let fatal = r.stderrLines.filter { $0.contains("[FATAL]") }
        #expect(
            fatal == [
                "[FATAL] sandbox: system call ptrace (101) is not allowed after set-up; stopping "
                    + "(a bug in xmap: please report it)"
            ], "\(r.stderr)")
        // The same scan without the hook runs to the end under the filter.
        let ok = try Subprocess.xmapIsolated(Self.dryRun)
        #expect(ok.status == 0 && ok.stdout.contains("Destination(4B)"), "\(ok.stderr)")
    }

    @Test("--no-drop-privileges: no filter, the same call goes through")
    func noDrop() throws {
        let r = try Subprocess.xmapIsolated(
            Self.dryRun + ["--no-drop-privileges"],
            environment: ["XMAP_TEST_FORBIDDEN_SYSCALL": "1"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test("--user names a user that must exist", .enabled(if: Subprocess.isRoot, "the user is looked up as root"))
    func unknownUser() throws {
        let r = try Subprocess.xmapIsolated(Self.dryRun + ["--user", "no-such-user-xmap"])
        #expect(
            r.status == 1 && r.stderrLines.count == 1 && r.stderr.contains("no user 'no-such-user-xmap'"),
            "\(r.stderr)")
    }
}
