import Foundation

/// A namespace lab from `scripts/lab.sh`: a scanner namespace and a target network namespace.
/// Created per test and always removed.
public final class Lab {
    public let env: [String: String]

    /// `loss`: percent of packets the target network drops; `queues`: TX/RX queues of the veth.
    public init(loss: Int = 0, queues: Int = 1) throws {
        env = try Self.up(script: "lab.sh", settings: "LAB_LOSS=\(loss) LAB_QUEUES=\(queues)")
    }

    /// Runs `scripts/SCRIPT up` with the `settings` variables and returns the `KEY=value` lines it
    /// prints (the lab's environment). Shared by `Lab` and `LANLab`.
    static func up(script: String, settings: String) throws -> [String: String] {
        let r = try Subprocess.shell("\(settings) '\(Subprocess.packageRoot)/scripts/\(script)' up")
        guard r.status == 0 else { throw LabError(message: "\(script) up failed (\(r.status)): \(r.stderr)") }
        var e: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            let kv = line.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { e[String(kv[0])] = String(kv[1]) }
        }
        return e
    }

    deinit { down() }

    public func down() {
        if let name = env["LAB_NAME"] {
            _ = try? Subprocess.shell("'\(Subprocess.packageRoot)/scripts/lab.sh' down \(name) >/dev/null 2>&1")
        }
    }

    public subscript(_ key: String) -> String { env[key] ?? "" }

    /// Lines of a ground-truth file (sorted).
    public func truth(_ file: String) throws -> [String] {
        try String(contentsOfFile: self["LAB_DIR"] + "/" + file, encoding: .utf8).split(separator: "\n").map(
            String.init)
    }

    /// Runs xmap inside the scanner namespace.
    public func xmap(_ arguments: [String]) throws -> CommandResult {
        try Subprocess.run(
            "/usr/sbin/ip",
            ["netns", "exec", self["LAB_SCAN"]]
                + Subprocess.hermetic([Subprocess.xmapPath] + arguments))
    }

    /// Runs a shell command inside the scanner namespace; `$XMAP` names the xmap binary.
    public func inScan(_ command: String) throws -> CommandResult {
        try Subprocess.run(
            "/usr/sbin/ip",
            ["netns", "exec", self["LAB_SCAN"]]
                + Subprocess.hermetic(["/usr/bin/env", "XMAP=\(Subprocess.xmapPath)", "/bin/sh", "-c", command]))
    }

    /// Runs a shell command inside the target network namespace.
    public func inNet(_ command: String) throws -> CommandResult {
        try Subprocess.run("/usr/sbin/ip", ["netns", "exec", self["LAB_NET"], "/bin/sh", "-c", command])
    }
}

public struct LabError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
