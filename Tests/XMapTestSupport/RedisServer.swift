import Foundation

/// A throw-away `redis-server` listening only on a Unix socket in a fresh temporary directory
/// (no TCP port, no persistence); stopped when released.
public final class RedisServer {
    public let directory: String
    public var socket: String { directory + "/redis.sock" }
    public var pidFile: String { directory + "/redis.pid" }

    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/redis-server") }

    /// Starts the server as a daemon (its pid in `pidFile`), so no child of the test process is
    /// left for anyone to reap.
    public init(maxMemory: String? = nil) throws {
        directory = NSTemporaryDirectory() + "xmap-redis-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var args = [
            "--port", "0", "--unixsocket", directory + "/redis.sock", "--unixsocketperm", "700", "--save", "",
            "--appendonly", "no", "--daemonize", "yes", "--pidfile", directory + "/redis.pid", "--dir", directory,
            "--logfile", directory + "/redis.log"
        ]
        if let maxMemory { args += ["--maxmemory", maxMemory, "--maxmemory-policy", "noeviction"] }
        let r = try Subprocess.run("/usr/bin/redis-server", args, timeout: 10)
        guard r.status == 0 else { throw LabError(message: "redis-server failed: \(r.stderr)") }
        for _ in 0..<250 where !FileManager.default.fileExists(atPath: socket) { usleep(20_000) }
        guard FileManager.default.fileExists(atPath: socket) else {
            throw LabError(message: "redis-server did not start")
        }
    }

    deinit { stop() }

    public func stop() {
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            kill(pid, SIGTERM)
            for _ in 0..<250 where kill(pid, 0) == 0 { usleep(20_000) }
            if kill(pid, 0) == 0 {
                kill(pid, SIGKILL)
                for _ in 0..<250 where kill(pid, 0) == 0 { usleep(20_000) }
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `redis-cli` on the socket.
    public func cli(_ args: [String]) throws -> String {
        try Subprocess.run("/usr/bin/redis-cli", ["-s", socket] + args).stdout
    }

    /// Every element of `list`, as bytes (read with a small RESP client: elements are binary).
    public func elements(_ list: String) throws -> [[UInt8]] {
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
            key = sys.argv[2].encode()
            s.sendall(b"*4\\r\\n$6\\r\\nLRANGE\\r\\n$%d\\r\\n%s\\r\\n$1\\r\\n0\\r\\n$2\\r\\n-1\\r\\n" % (len(key), key))
            f = s.makefile("rb")
            n = int(f.readline()[1:])
            for _ in range(max(n, 0)):
                size = int(f.readline()[1:]); data = f.read(size); f.read(2)
                print(data.hex())
            """
        let out = try Subprocess.run("/usr/bin/python3", ["-c", script, socket, list]).stdout
        return out.split(separator: "\n").map { line in
            stride(from: 0, to: line.count, by: 2).map { i in
                let a = line.index(line.startIndex, offsetBy: i)
                return UInt8(line[a..<line.index(a, offsetBy: 2)], radix: 16)!
            }
        }
    }
}
