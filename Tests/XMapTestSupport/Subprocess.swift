import Foundation

/// The result of running a command.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// Non-empty stderr lines.
    public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np` (the Glibc module does not export it).
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func spawnCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

/// Runs programs for end-to-end tests.
public enum Subprocess {
    /// Runs `executable` with `arguments` and captures its output. Uses posix_spawn and waitpid
    /// directly, and temporary files instead of pipes, so neither parallel tests nor a daemon the
    /// command leaves behind can keep a test waiting.
    /// With a `timeout` (seconds) the command is killed when it runs longer, and the result
    /// says so on stderr (status 137).
    /// `environment` adds to (or replaces in) the test process's environment.
    public static func run(
        _ executable: String, _ arguments: [String], timeout: Double? = nil,
        environment: [String: String] = [:]
    ) throws -> CommandResult {
        let base = NSTemporaryDirectory() + "xmap-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let outPath = base + ".out", errPath = base + ".err"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing of the test process leaks into the child: no other descriptor, and a clean
        // signal state (the test thread blocks signals; a child that inherits the mask never
        // sees SIGTERM, and a daemon it starts outlives the run).
        _ = spawnCloseFrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for e in envp { free(e) } }
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw LabError(message: "posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var timedOut = false
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                let r = waitpid(pid, &status, WNOHANG)
                if r == pid { break }
                if r == -1 && errno != EINTR { throw LabError(message: "waitpid: \(String(cString: strerror(errno)))") }
                if Date() > deadline {
                    kill(pid, SIGKILL)
                    timedOut = true
                    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                    break
                }
                usleep(2000)
            }
        } else {
            while waitpid(pid, &status, 0) == -1 {
                if errno != EINTR { throw LabError(message: "waitpid: \(String(cString: strerror(errno)))") }
            }
        }
        // WIFEXITED / WEXITSTATUS; a signal-terminated child reports 128 + signal.
        let exitCode: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let o = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
        let e = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
        return CommandResult(
            status: exitCode, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self) + (timedOut ? "\nTIMEOUT after \(timeout ?? 0) s" : ""))
    }

    /// Runs a shell command line.
    public static func shell(_ command: String) throws -> CommandResult { try run("/bin/sh", ["-c", command]) }

    /// `argv`, run so that an installed `/etc/xmap` (config and default lists) is hidden: in a
    /// private mount namespace with an empty tmpfs over it (as root, when it exists). Tests
    /// must not depend on what the machine has installed.
    public static func hermetic(_ argv: [String]) -> [String] {
        let hidden = ["/etc/xmap", "/etc/zmap"].filter { FileManager.default.fileExists(atPath: $0) }
        guard isRoot, !hidden.isEmpty else { return argv }
        let mounts = hidden.map { "mount -t tmpfs -o size=64k xmap-test-etc \($0)" }.joined(separator: " && ")
        return [
            "/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
            mounts + " && exec \"$@\"", "sh"
        ] + argv
    }

    /// The xmap binary under another tool's name (`zmap`, `ziterate`, `zblocklist`, `ztee`): a
    /// symbolic link next to it in the build folder (the multi-call binary picks the tool by
    /// the name it was run as).
    public static func toolPath(_ tool: String) -> String {
        let link = URL(fileURLWithPath: xmapPath).deletingLastPathComponent().appendingPathComponent(tool).path
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) != xmapPath {
            let temporary = link + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
            if symlink(xmapPath, temporary) == 0 && rename(temporary, link) != 0 { unlink(temporary) }
        }
        return link
    }

    /// Runs one of the ZMap tools isolated as `xmapIsolated` runs xmap (`cwd` sets the working
    /// directory).
    public static func toolIsolated(
        _ tool: String, _ arguments: [String], cwd: String? = nil, timeout: Double? = nil,
        stdin: String? = nil
    ) throws -> CommandResult {
        let path = toolPath(tool)
        var command = ([path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ")
        if let cwd { command = "cd '\(cwd)' && " + command }
        if let stdin { command += " < '\(stdin)'" }
        if isRoot {
            return try run("/usr/bin/unshare", ["-n"] + hermetic(["/bin/sh", "-c", command]), timeout: timeout)
        }
        return try run("/bin/sh", ["-c", command], timeout: timeout)
    }

    /// `hermetic` for shell command lines: a prefix for the xmap command (empty when there is
    /// nothing to hide).
    public static var hermeticPrefix: String {
        hermetic([]).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            + (hermetic([]).isEmpty ? "" : " ")
    }

    /// True when running as root.
    public static var isRoot: Bool { geteuid() == 0 }

    /// True when this kernel has AF_XDP sockets (CONFIG_XDP_SOCKETS) and we may open one.
    public static var hasAFXDP: Bool {
        let fd = socket(44 /* AF_XDP */, Int32(SOCK_RAW.rawValue), 0)
        if fd >= 0 { close(fd) }
        return fd >= 0
    }

    /// The package root (where Package.swift is).
    public static let packageRoot: String = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir.path
            }
            dir = dir.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// The `xmap` binary built alongside the tests.
    public static let xmapPath: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("xmap")
                .path,
            packageRoot + "/.build/debug/xmap"
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
    }()

    /// Runs xmap isolated from every real network: as root inside a fresh empty network
    /// namespace (`unshare -n`), so even a mistaken test cannot send a packet anywhere.
    public static func xmapIsolated(
        _ arguments: [String], cwd: String? = nil, timeout: Double? = nil,
        environment: [String: String] = [:]
    ) throws -> CommandResult {
        if isRoot {
            return try run(
                "/usr/bin/unshare", ["-n"] + hermetic([xmapPath] + arguments), timeout: timeout,
                environment: environment)
        }
        return try run(xmapPath, arguments, timeout: timeout, environment: environment)
    }
}
