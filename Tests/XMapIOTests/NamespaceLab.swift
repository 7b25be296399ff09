#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import XMapIO
import XMapCore

/// Two throw-away network namespaces joined by veth pairs, for the root-only tests. Everything
/// that sends packets runs on a thread that has entered namespace `a` (or `b`) with setns(2);
/// the root namespace only runs `ip` to create and delete the namespaces.
struct NamespaceLab {
    let a: String
    let b: String

    // Link 1 (A "xnd0" <-> B "xnd1"): IPv4 and global IPv6.
    static let macA = MACAddress("00:00:5e:00:53:0a")!
    static let macB = MACAddress("00:00:5e:00:53:0b")!
    // Link 2 (A "xnd2" <-> B "xnd3"): only a ULA on A's side, only link-local on B's.
    // Link-local addresses are set by hand without DAD (addrgenmode none) so that neighbour
    // discovery can start at once: the kernel sends solicitations only from a usable one.
    static let macA2 = MACAddress("00:00:5e:00:53:1a")!
    static let macB2 = MACAddress("00:00:5e:00:53:1b")!

    /// Whether the root-only tests can run: root, /bin/sh and iproute2.
    static let available: Bool = geteuid() == 0 && access("/bin/sh", X_OK) == 0 && ipPath != nil

    static let ipPath: String? = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first { access($0, X_OK) == 0 }

    /// Creates the namespaces, runs `body` and always deletes them.
    static func with(_ body: (NamespaceLab) throws -> Void) throws {
        let pid = getpid()
        let lab = NamespaceLab(a: "xnd\(pid)a", b: "xnd\(pid)b")
        lab.delete()
        defer { lab.delete() }
        try Shell.run(lab.setupScript)
        try body(lab)
    }

    var setupScript: String {
        let ip = NamespaceLab.ipPath ?? "ip"
        return """
            set -e
            \(ip) netns add \(a)
            \(ip) netns add \(b)
            \(ip) -n \(a) link set lo up
            \(ip) -n \(b) link set lo up
            \(ip) link add xnd0 netns \(a) address \(NamespaceLab.macA) type veth peer name xnd1 netns \(b) address \(NamespaceLab.macB)
            \(ip) link add xnd2 netns \(a) address \(NamespaceLab.macA2) type veth peer name xnd3 netns \(b) address \(NamespaceLab.macB2)
            \(ip) -n \(a) link set xnd0 addrgenmode none
            \(ip) -n \(a) link set xnd2 addrgenmode none
            \(ip) -n \(b) link set xnd1 addrgenmode none
            \(ip) -n \(b) link set xnd3 addrgenmode none
            \(ip) -n \(a) -6 addr add fe80::1/64 dev xnd0 nodad
            \(ip) -n \(a) -6 addr add fe80::1/64 dev xnd2 nodad
            \(ip) -n \(b) -6 addr add fe80::3/64 dev xnd3 nodad
            \(ip) -n \(a) addr add 198.51.100.1/24 dev xnd0
            \(ip) -n \(a) addr add 198.51.100.7/24 dev xnd0
            \(ip) -n \(a) -6 addr add 2001:db8:ff::99/64 dev xnd0 nodad preferred_lft 0
            \(ip) -n \(a) -6 addr add 2001:db8:ff::1/64 dev xnd0 nodad
            \(ip) -n \(a) -6 addr add fd00:db8::1/64 dev xnd2 nodad
            \(ip) -n \(b) addr add 198.51.100.2/24 dev xnd1
            \(ip) -n \(b) -6 addr add 2001:db8:ff::2/64 dev xnd1 nodad
            \(ip) -n \(b) -6 addr add fe80::2/64 dev xnd1 nodad
            \(ip) -n \(a) link set xnd0 up
            \(ip) -n \(a) link set xnd2 up
            \(ip) -n \(b) link set xnd1 up
            \(ip) -n \(b) link set xnd3 up
            # Wait for the links to be operational (the kernel activates their queues a moment
            # after carrier comes up; until then packets are dropped).
            for i in $(seq 100); do
                if \(ip) -n \(a) -o link show xnd0 | grep -q 'state UP' && \\
                   \(ip) -n \(b) -o link show xnd1 | grep -q 'state UP' && \\
                   \(ip) -n \(a) -o link show xnd2 | grep -q 'state UP'; then break; fi
                sleep 0.05
            done
            \(ip) -n \(a) route add default via 198.51.100.3 dev xnd0 metric 300
            \(ip) -n \(a) route add default via 198.51.100.2 dev xnd0 metric 100
            \(ip) -n \(a) -6 route add default via 2001:db8:ff::3 dev xnd0 metric 500
            \(ip) -n \(a) -6 route add default via fe80::2 dev xnd0 metric 100
            """
    }

    func delete() {
        let ip = NamespaceLab.ipPath ?? "ip"
        _ = try? Shell.run("\(ip) netns del \(a) 2>/dev/null; \(ip) netns del \(b) 2>/dev/null; true")
    }

    /// Forgets namespace A's neighbour entries on xnd0 (run from the root namespace; no packets).
    func flushNeighbors() throws {
        let ip = NamespaceLab.ipPath ?? "ip"
        try Shell.run("\(ip) -n \(a) neigh flush dev xnd0; \(ip) -n \(a) -6 neigh flush dev xnd0")
    }

    /// Runs `body` on a new thread inside namespace `name` and returns its result.
    func run<T>(in name: String, _ body: @escaping () throws -> T) throws -> T {
        try NamespaceThread.run(path: "/var/run/netns/\(name)", body)
    }
}

/// A pthread that enters a network namespace (setns affects only the calling thread) before
/// running its body.
enum NamespaceThread {
    private final class Task: @unchecked Sendable {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    private final class Outcome<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }

    static func run<T>(path: String, _ body: @escaping () throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let task = Task {
            do {
                try NetLibc.enterNetworkNamespace(path: path)
            } catch {
                outcome.result = .failure(XMapError("cannot enter \(path): \(error)"))
                return
            }
            outcome.result = Result { try body() }
        }
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { arg in
                let task = Unmanaged<Task>.fromOpaque(arg!).takeRetainedValue()
                task.work()
                return nil
            }, Unmanaged.passRetained(task).toOpaque())
        guard rc == 0 else { throw XMapError("pthread_create failed: \(rc)") }
        pthread_join(thread, nil)
        guard let result = outcome.result else { throw XMapError("namespace thread did not finish") }
        return try result.get()
    }
}

/// /bin/sh -c through posix_spawn; output goes to a temporary log that is shown on failure.
enum Shell {
    static func run(_ script: String) throws {
        let log =
            (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
            + "/xnd\(getpid())-\(UInt32.random(in: 0...UInt32.max))-shell.log"
        defer { _ = unlink(log) }
        let status = try spawn(["/bin/sh", "-c", "exec >\(log) 2>&1\n" + script])
        if status != 0 {
            throw XMapError("shell script failed with status \(status): \(readFile(log))\n\(script)")
        }
        _ = unlink(log)
    }

    @inline(never)
    private static func spawn(_ argv: [String]) throws -> Int32 {
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], nil, nil, &cArgs, environ)
        guard rc == 0 else { throw XMapError("posix_spawn failed: \(rc)") }
        return try wait(pid)
    }

    @inline(never)
    private static func wait(_ pid: pid_t) throws -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            let e = errno
            if e != EINTR { throw XMapError("waitpid failed: \(e)") }
        }
        // WIFEXITED / WEXITSTATUS
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    private static func readFile(_ path: String) -> String {
        guard let f = fopen(path, "r") else { return "" }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n <= 0 { break }
            out += chunk[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
