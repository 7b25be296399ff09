import Foundation
import Synchronization
import Testing
import XMapCore
import XMapTestSupport

/// Random command lines from the option table, run as dry runs (in an empty network namespace
/// as root): every one must end in packets, a listing, or one FATAL line with exit status 1 —
/// never a signal, a trap or a hang. `XMAP_RANDOM_CLI_COUNT` and `XMAP_RANDOM_CLI_SEED` run more
/// (the issue's check ran 100,000).
@Suite("Random command lines")
struct RandomCommandLineTests {
    static let count = Int(ProcessInfo.processInfo.environment["XMAP_RANDOM_CLI_COUNT"] ?? "") ?? 400
    static let seed = UInt64(ProcessInfo.processInfo.environment["XMAP_RANDOM_CLI_SEED"] ?? "") ?? 20261201

    /// Small files for the lines to name.
    static func fixtures() throws -> [String: String] {
        let dir = NSTemporaryDirectory() + "xmap-random-cli-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let files = [
            "allow": "198.51.100.0/28\n2001:db8::/48\n# comment\n",
            "list": "198.51.100.1\n198.51.100.2\n2001:db8::1\nbogus\n",
            "payload": "hello",
            "template": "${DADDR}:${RAND_DIGIT=3}",
            "config": "rate 0\nprobe-module tcp_syn\n"
        ]
        var paths = ["dir": dir]
        for (name, text) in files {
            let path = dir + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths[name] = path
        }
        return paths
    }

    @Test("no command line crashes, traps or hangs")
    func noCrash() throws {
        let files = try Self.fixtures()
        defer { try? FileManager.default.removeItem(atPath: files["dir"]!) }
        var generator = RandomCommandLine(seed: Self.seed, files: files)
        let lines = (0..<Self.count).map { _ in generator.commandLine() }
        let failures = Mutex<[String]>([])
        let outcomes = Mutex<(packets: Int, other: Int, errors: Int)>((0, 0, 0))
        let limits = ["-d", "-R", "0", "-k", "40", "-t", "3", "-c", "0", "--disable-syslog"]
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for i in stride(from: worker, to: lines.count, by: 2) {
                let args = lines[i] + limits
                let r: CommandResult
                do { r = try Subprocess.xmapIsolated(args, timeout: 60) } catch {
                    failures.withLock { $0.append("\(args): \(error)") }
                    continue
                }
                outcomes.withLock {
                    if r.status == 1 {
                        $0.errors += 1
                    } else if r.stdout.contains("IPv") {
                        $0.packets += 1
                    } else {
                        $0.other += 1
                    }
                }
                if let problem = Self.problem(r) {
                    failures.withLock {
                        $0.append(
                            "\(problem) (exit \(r.status)): xmap \(args.joined(separator: " "))\n\(r.stderr.suffix(400))"
                        )
                    }
                }
            }
        }
        let found = failures.withLock { $0 }
        #expect(found.isEmpty, "\(found.count) of \(lines.count) lines failed; first: \(found.first ?? "")")
        // The mix must exercise scans, not only option errors.
        let o = outcomes.withLock { $0 }
        print(
            "random command lines: \(lines.count) run: \(o.packets) dry runs with packets, \(o.other) other exits 0, "
                + "\(o.errors) one-line errors"
        )
        #expect(o.packets >= lines.count / 10 && o.errors >= lines.count / 10)
    }

    /// What is wrong with a run, or nil.
    static func problem(_ r: CommandResult) -> String? {
        if r.status > 1 { return "killed by a signal or an unexpected status" }
        if r.stderr.contains("Fatal error") || r.stderr.contains("Backtrac") { return "Swift runtime trap" }
        if r.status == 1 {
            let fatal = r.stderrLines.filter { $0.contains("[FATAL]") || !$0.contains("] ") }
            if fatal.count != 1 { return "an error that is not one line" }
        }
        return nil
    }
}
