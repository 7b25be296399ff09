import Foundation
import Testing
import XMapTestSupport

extension LabScanTests {
    /// Least privilege on real scans: once set up, xmap runs as `nobody` with no capability,
    /// no_new_privs and its seccomp filter, and still finds exactly the ground truth; with only
    /// CAP_NET_RAW and CAP_NET_ADMIN as file capabilities an ordinary user can scan.
    @Suite("Least privilege")
    struct LeastPrivilege {
        /// `/proc/PID/status` of a scan while it runs, and the scan's result.
        /// Waits for the filter (or, with `settle`, a fixed 1.5 s into a scan that keeps root).
        static func statusDuringScan(
            _ lab: Lab, _ arguments: String,
            settle: Bool = false
        ) throws -> (status: [String: String], run: CommandResult) {
            let dir = lab["LAB_DIR"]
            let wait =
                settle
                ? "sleep 1.5"
                : """
                for i in $(seq 1 100); do
                    grep -q '^Seccomp:[[:space:]]*2' /proc/$p/status 2>/dev/null && break; sleep 0.05
                done
                """
            let r = try lab.inScan(
                """
                $XMAP \(arguments) -o \(dir)/out.csv 2>\(dir)/err.txt & p=$!
                \(wait)
                cat /proc/$p/status; wait $p; s=$?; cat \(dir)/err.txt >&2; exit $s
                """)
            var status: [String: String] = [:]
            for line in r.stdout.split(separator: "\n") {
                let kv = line.split(separator: ":", maxSplits: 1)
                if kv.count == 2 { status[String(kv[0])] = kv[1].trimmingCharacters(in: .whitespaces) }
            }
            return (status, r)
        }

        static func rows(_ path: String) throws -> [String] {
            Array(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init))
        }

        @Test(
            "started as root: nobody, no capability, no_new_privs, seccomp; exact results on every backend",
            arguments: ["packet", "afxdp"])
        func rootDropsEverything(_ backend: String) throws {
            if backend == "afxdp" && !Subprocess.hasAFXDP { return }
            let lab = try Lab()
            defer { lab.down() }
            for module in [["-M", "icmp_echo"], ["-M", "tcp_syn", "-p", "80"]] {
                let truth = module.count == 2 ? "live4.txt" : "tcp80_4.txt"
                let (status, run) = try Self.statusDuringScan(
                    lab, "-4 --backend \(backend) \(module.joined(separator: " ")) -R 80 -c 1 -q \(lab["LAB_TARGETS4"])"
                )
                #expect(run.status == 0, "\(run.stderr)")
                #expect(status["Uid"]?.split(separator: "\t").allSatisfy { $0 == "65534" } == true, "\(status)")
                #expect(status["Gid"]?.split(separator: "\t").allSatisfy { $0 == "65534" } == true, "\(status)")
                #expect(status["Groups"] == "", "\(status)")
                for set in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
                    #expect(status[set] == "0000000000000000", "\(set): \(status)")
                }
                #expect(status["NoNewPrivs"] == "1" && status["Seccomp"] == "2", "\(status)")
                #expect(try Self.rows(lab["LAB_DIR"] + "/out.csv").sorted() == lab.truth(truth).sorted())
            }
        }

        @Test("--no-drop-privileges and --user root keep root and every capability")
        func keepRoot() throws {
            let lab = try Lab()
            defer { lab.down() }
            for flag in ["--no-drop-privileges", "--user root"] {
                let (status, run) = try Self.statusDuringScan(
                    lab, "-4 \(flag) -R 80 -c 1 -q \(lab["LAB_TARGETS4"])",
                    settle: true)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(status["Uid"]?.hasPrefix("0") == true && status["Seccomp"] == "0", "\(status)")
                #expect(status["CapEff"] != "0000000000000000", "\(status)")
            }
        }

        @Test("an ordinary user with setcap cap_net_raw,cap_net_admin+ep scans, then holds no capability")
        func fileCapabilities() throws {
            let lab = try Lab()
            defer { lab.down() }
            // A copy of the binary that an ordinary user may run, with the two capabilities, in a
            // directory that user can reach (so under /tmp itself, not a private TMPDIR).
            let dir = "/tmp/xmap-caps-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o1777])
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let binary = dir + "/xmap"
            try FileManager.default.copyItem(atPath: Subprocess.xmapPath, toPath: binary)
            let setcap = try Subprocess.run("/usr/sbin/setcap", ["cap_net_raw,cap_net_admin+ep", binary])
            #expect(setcap.status == 0, "\(setcap.stderr)")
            let user = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"
            let r = try lab.inScan(
                """
                \(user) \(binary) -4 -R 80 -c 1 -q -o \(dir)/out.csv \(lab["LAB_TARGETS4"]) 2>\(dir)/err.txt & p=$!
                for i in $(seq 1 100); do
                    grep -q '^Seccomp:[[:space:]]*2' /proc/$p/status 2>/dev/null && break; sleep 0.05
                done
                grep -E '^(Uid|CapPrm|CapEff|NoNewPrivs|Seccomp):' /proc/$p/status; wait $p; s=$?; cat \(dir)/err.txt >&2
                exit $s
                """)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(
                r.stdout.contains("CapEff:\t0000000000000000") && r.stdout.contains("CapPrm:\t0000000000000000"),
                "\(r.stdout)")
            #expect(r.stdout.contains("NoNewPrivs:\t1") && r.stdout.contains("Seccomp:\t2"), "\(r.stdout)")
            #expect(try Self.rows(dir + "/out.csv").sorted() == lab.truth("live4.txt").sorted())
            // Without the capabilities the same user gets one clear line.
            let plain = dir + "/xmap-plain"
            try FileManager.default.copyItem(atPath: Subprocess.xmapPath, toPath: plain)
            let denied = try lab.inScan("\(user) \(plain) -4 -R 80 -c 1 -q \(lab["LAB_TARGETS4"])")
            #expect(
                denied.status == 1 && denied.stderrLines.count == 1 && denied.stderr.contains("CAP_NET_RAW"),
                "\(denied.stderr)")
        }
    }
}
