import Foundation

/// A switched LAN lab from `scripts/lan-lab.sh`: a bridge with the scanner, five hosts, a
/// delayed host and a gateway, and a routed network behind the gateway. Created per test and
/// always removed (`down`, also from `deinit`).
public final class LANLab {
    public let env: [String: String]

    /// `delayMilliseconds`: the delayed host's added round-trip time.
    public init(delayMilliseconds: Int = 200) throws {
        env = try Lab.up(script: "lan-lab.sh", settings: "LAN_DELAY_MS=\(delayMilliseconds)")
    }

    deinit { down() }

    /// Tears the lab down (idempotent).
    public func down() {
        if let name = env["LAN_NAME"] {
            _ = try? Subprocess.shell("'\(Subprocess.packageRoot)/scripts/lan-lab.sh' down \(name) >/dev/null 2>&1")
        }
    }

    public subscript(_ key: String) -> String { env[key] ?? "" }

    /// Lines of a ground-truth file (sorted).
    public func truth(_ file: String) throws -> [String] {
        try String(contentsOfFile: self["LAN_DIR"] + "/" + file, encoding: .utf8).split(separator: "\n")
            .map(String.init)
    }

    /// Address → MAC of every LAN address that answers (from `lan_arp4.txt` and `lan_nd6.txt`).
    public func macs() throws -> [String: String] {
        var out: [String: String] = [:]
        for line in try truth("lan_arp4.txt") + truth("lan_nd6.txt") {
            let parts = line.split(separator: ",")
            out[String(parts[0])] = String(parts[1])
        }
        return out
    }

    /// Runs xmap inside the scanner namespace.
    public func xmap(_ arguments: [String]) throws -> CommandResult {
        try Subprocess.run(
            "/usr/sbin/ip",
            ["netns", "exec", self["LAN_SCAN"]]
                + Subprocess.hermetic([Subprocess.xmapPath] + arguments))
    }

    /// Runs a shell command inside namespace `namespace`.
    public func run(in namespace: String, _ command: String) throws -> CommandResult {
        try Subprocess.run("/usr/sbin/ip", ["netns", "exec", namespace, "/bin/sh", "-c", command])
    }

    /// Starts recording the frames the scanner sends into the bridge (`bridge_capture.py` on its
    /// bridge port, inside the bridge namespace).
    public func startCapture(_ name: String = "capture") throws -> BridgeCapture {
        let out = self["LAN_DIR"] + "/\(name).txt", pidfile = self["LAN_DIR"] + "/\(name).pid"
        let command =
            "'\(self["LAN_PYTHON"])' '\(self["LAN_CAPTURE"])' \(self["LAN_SCAN_PORT"]) "
            + "\(self["LAN_SCAN_MAC"]) '\(out)' '\(pidfile)' </dev/null >/dev/null 2>&1 &"
        let r = try run(in: self["LAN_BR"], command)
        guard r.status == 0 else { throw LabError(message: "capture did not start: \(r.stderr)") }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: pidfile) { usleep(50_000) }
        let text = (try? String(contentsOfFile: pidfile, encoding: .utf8)) ?? ""
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LabError(message: "capture did not start (no pid file)")
        }
        return BridgeCapture(pid: pid, path: out)
    }
}

/// Frames the scanner sent into the bridge, one per line: destination MAC, EtherType, and for
/// IP and ARP the destination address and protocol, and TCP's flags
/// (`scripts/lan-lab/bridge_capture.py`).
public struct BridgeCapture: Sendable {
    /// The capture process (started by the test, stopped by `stop`).
    public let pid: Int32
    public let path: String

    /// One captured frame.
    public struct Frame: Sendable, Equatable {
        public let destinationMAC: String
        public let etherType: String
        public let address: String
        public let proto: String
        /// TCP flags in hex (`02` for a SYN), empty for other frames.
        public let tcpFlags: String
    }

    /// Stops the capture (SIGTERM to its own pid) and returns what it recorded.
    public func stop() throws -> [Frame] {
        usleep(200_000)  // frames still in flight through the bridge
        kill(pid, SIGTERM)
        for _ in 0..<50 where kill(pid, 0) == 0 { usleep(20_000) }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let f = line.split(separator: " ").map(String.init)
            return Frame(
                destinationMAC: f[0], etherType: f[1], address: f.count > 2 ? f[2] : "",
                proto: f.count > 3 ? f[3] : "", tcpFlags: f.count > 4 ? f[4] : "")
        }
    }
}
