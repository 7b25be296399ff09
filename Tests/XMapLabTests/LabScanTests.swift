import Foundation
import Testing
import XMapTestSupport

/// Real scans of the namespace lab, compared with its ground truth. Root only: the lab needs
/// network namespaces. Every packet stays inside the lab's two namespaces.
@Suite("Lab scans", .serialized, .enabled(if: Subprocess.isRoot, "needs root to create network namespaces"))
struct LabScanTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let family: String
        let module: [String]
        let truth: String
        var testDescription: String { "\(family) \(module.joined(separator: " "))" }
    }

    static let cases = [
        Case(family: "-6", module: ["-M", "icmp_echo"], truth: "live6.txt"),
        Case(family: "-4", module: ["-M", "icmp_echo"], truth: "live4.txt"),
        Case(family: "-6", module: ["-M", "tcp_syn", "-p", "80"], truth: "tcp80_6.txt"),
        Case(family: "-4", module: ["-M", "tcp_syn", "-p", "80"], truth: "tcp80_4.txt"),
        Case(family: "-6", module: ["-M", "udp", "-p", "5353"], truth: "udp5353_6.txt"),
        Case(family: "-4", module: ["-M", "udp", "-p", "5353"], truth: "udp5353_4.txt")
    ]

    /// Results of a CSV output (header dropped).
    func rows(_ csv: String) -> [String] {
        Array(csv.split(separator: "\n").map(String.init).dropFirst())
    }

    @Test("results equal the lab's ground truth exactly, with no -G/-S", arguments: cases)
    func scanMatchesGroundTruth(_ c: Case) throws {
        let lab = try Lab()
        defer { lab.down() }
        let targets = c.family == "-4" ? lab["LAB_TARGETS4"] : lab["LAB_TARGETS6"]
        let maxLen = c.family == "-4" ? "32" : "128"
        let r = try lab.xmap([c.family, "-x", maxLen] + c.module + ["-R", "20000", "-c", "1", "-q", targets])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.hasPrefix("saddr\n"))
        let got = rows(r.stdout)
        #expect(Set(got).count == got.count, "duplicates in output")
        let truth = try lab.truth(c.truth).sorted()
        #expect(got.sorted() == truth)
        #expect(got.count == 68)
    }

    @Test("TCP: RSTs from closed ports are validated but filtered; -F '' shows them")
    func closedPortsAndFilter() throws {
        let lab = try Lab()
        defer { lab.down() }
        let r = try lab.xmap([
            "-4", "-M", "tcp_syn", "-p", "81", "-R", "20000", "-c", "1", "-q",
            "-f", "saddr,sport,clas,success,repeat", "-F", "", lab["LAB_TARGETS4"]
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let got = rows(r.stdout)
        #expect(got.count == 68)
        #expect(got.allSatisfy { $0.hasSuffix(",81,rst,0,0") })
        let d = try lab.xmap(["-4", "-M", "tcp_syn", "-p", "81", "-R", "20000", "-c", "1", "-q", lab["LAB_TARGETS4"]])
        #expect(rows(d.stdout).isEmpty)
    }

    @Test("multiple ports: every <address, port> answer once, in one permutation")
    func multiPort() throws {
        let lab = try Lab()
        defer { lab.down() }
        let r = try lab.xmap([
            "-4", "-M", "tcp_syn", "-p", "79-81", "-R", "20000", "-c", "1", "-q",
            "-f", "saddr,sport", "-F", "", lab["LAB_TARGETS4"]
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let got = rows(r.stdout)
        let live = try lab.truth("live4.txt")
        #expect(got.sorted() == live.flatMap { a in ["79", "80", "81"].map { "\(a),\($0)" } }.sorted())
    }

    @Test("forged replies (wrong ack, unprobed sources) are ignored and counted")
    func forgedRepliesIgnored() throws {
        let lab = try Lab()
        defer { lab.down() }
        // A forger in the target network sends SYN-ACKs that look like answers but carry a wrong
        // acknowledgement number, including from addresses that are not live.
        let forger = """
            import socket, struct, random, time
            def csum(b):
                if len(b) % 2: b += b'\\0'
                s = sum(struct.unpack('!%dH' % (len(b)//2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
                return ~s & 0xffff
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
            end = time.time() + 2.5
            while time.time() < end:
                for last in (200, 201, 5, 77):
                    src = socket.inet_aton('198.51.100.%d' % last); dst = socket.inet_aton('192.0.2.1')
                    sport, dport = 80, random.randint(32768, 61000)
                    tcp = struct.pack('!HHIIBBHHH', sport, dport, random.getrandbits(32), random.getrandbits(32), 5 << 4, 0x12, 65535, 0, 0)
                    c = csum(src + dst + struct.pack('!BBH', 0, 6, 20) + tcp)
                    tcp = tcp[:16] + struct.pack('!H', c) + tcp[18:]
                    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 40, 1, 0, 64, 6, 0, src, dst)
                    s.sendto(ip + tcp, ('192.0.2.1', 0))
                time.sleep(0.005)
            """
        let script = lab["LAB_DIR"] + "/forger.py"
        try forger.write(toFile: script, atomically: true, encoding: .utf8)
        _ = try lab.inNet("python3 \(script) >/dev/null 2>&1 &")
        let r = try lab.xmap(["-4", "-M", "tcp_syn", "-p", "80", "-R", "200", "-c", "2", "-q", lab["LAB_TARGETS4"]])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let got = rows(r.stdout)
        let truth = try lab.truth("tcp80_4.txt").sorted()
        #expect(got.sorted() == truth)
        #expect(!got.contains("198.51.100.200"))
        // The completion line reports how many invalid replies were ignored.
        let line = r.stderrLines.first { $0.contains("completed") } ?? ""
        let part = line.components(separatedBy: ", ").first { $0.hasSuffix("invalid replies ignored") } ?? ""
        let ignored = Int(part.split(separator: " ").first ?? "")
        #expect((ignored ?? 0) > 10, "completion line: \(line)")
    }

    @Test("10% packet loss: every reply found is genuine and most hosts are found")
    func lossyNetwork() throws {
        let lab = try Lab(loss: 10)
        defer { lab.down() }
        let r = try lab.xmap(["-6", "-x", "128", "-M", "icmp_echo", "-R", "20000", "-c", "1", "-q", lab["LAB_TARGETS6"]]
        )
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let got = rows(r.stdout)
        let truth = Set(try lab.truth("live6.txt"))
        #expect(got.allSatisfy { truth.contains($0) })
        #expect(got.count >= 40 && got.count <= 68)
    }

    @Test("-I list: exactly the live addresses of the list answer")
    func listFile() throws {
        let lab = try Lab()
        defer { lab.down() }
        let live = try lab.truth("live6.txt")
        let dead = (0x40..<0x60).map { "2001:db8:1::\(String($0, radix: 16))" }.filter { !live.contains($0) }
        let list = Array(live.prefix(20)) + dead
        let path = lab["LAB_DIR"] + "/list.txt"
        try list.shuffled().joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try lab.xmap(["-6", "-I", path, "-R", "20000", "-c", "1", "-q"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(rows(r.stdout).sorted() == Array(live.prefix(20)).sorted())
    }

    @Test("-u writes XMap's status CSV, -L a timestamped log, --cores pins without changing results")
    func statusFileLogDirectoryAndCores() throws {
        let lab = try Lab()
        defer { lab.down() }
        let dir = lab["LAB_DIR"]
        let r = try lab.xmap([
            "-4", "-M", "icmp_echo", "-R", "20000", "-c", "2", "-q", "--cores", "0",
            "-u", dir + "/status.csv", "-L", dir, lab["LAB_TARGETS4"]
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(rows(r.stdout).sorted() == (try lab.truth("live4.txt")).sorted())
        let status = try String(contentsOfFile: dir + "/status.csv", encoding: .utf8).split(separator: "\n")
        #expect(status.first?.hasPrefix("real-time,time-elapsed,time-remaining,percent-complete,hit-rate,") == true)
        #expect(status.count >= 2, "a 2 s cooldown gives at least one row")
        for row in status.dropFirst() {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            #expect(cells.count == 23, "\(row)")
            #expect(cells.count == 23 && UInt64(cells[6]) == 256, "sent-total: \(row)")
        }
        let logs = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.hasPrefix("xmap-") && $0.hasSuffix(".log")
        }
        #expect(logs.count == 1)
        let log = try String(contentsOfFile: dir + "/" + (logs.first ?? ""), encoding: .utf8)
        #expect(log.contains("[INFO] xmap: completed"))
        #expect(!r.stderr.contains("[INFO]"), "with -L the log goes to the file, not stderr")
    }

    @Test("--min-hitrate aborts a scan whose hit rate stays low for 5 s after the warm-up")
    func minHitrateAborts() throws {
        let lab = try Lab()
        defer { lab.down() }
        // 68 of 256 hosts answer, each probed 3 times: a hit rate of about 9 %, below 50 %.
        // Sending takes about 25 s; the monitor aborts after 5 s of warm-up plus a 5 s window.
        let started = Date()
        let r = try lab.xmap([
            "-4", "-M", "icmp_echo", "-R", "30", "--probes", "3", "-c", "1", "-q",
            "--min-hitrate", "50", lab["LAB_TARGETS4"]
        ])
        let seconds = Date().timeIntervalSince(started)
        #expect(r.status == 1)
        // The count is the monitor's own: 5, or more when a tick came late on a loaded machine.
        let abort = r.stderr.components(separatedBy: "[FATAL] monitor: hitrate below 50 for ").dropFirst().first ?? ""
        let window = Int(abort.prefix { $0.isNumber }) ?? 0
        #expect(window >= 5 && abort.dropFirst("\(window)".count).hasPrefix(" seconds. aborting scan."), "\(r.stderr)")
        #expect(seconds < 20, "aborted after \(seconds) s")
        #expect(!rows(r.stdout).isEmpty, "results received before the abort are still written")
    }

    @Test("udp: a closed port gives ICMP port unreachable for the probed address (-F '')")
    func udpClosedPort() throws {
        let lab = try Lab()
        defer { lab.down() }
        let r = try lab.xmap([
            "-6", "-x", "128", "-M", "udp", "-p", "5354", "-R", "20000", "-c", "1", "-q", "-F", "",
            "-f", "saddr,success,clas,sport,icmp_str", lab["LAB_TARGETS6"]
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let got = rows(r.stdout)
        #expect(got.count == 68)
        #expect(got.allSatisfy { $0.hasSuffix(",0,unreach,5354,port unreach") })
        #expect(Set(got.map { String($0.split(separator: ",")[0]) }) == Set(try lab.truth("live6.txt")))
    }

    @Test(
        "-X/--iplayer: bare IP packets over the lab's tun link (and over Ethernet) find exactly the live hosts",
        arguments: [
            (["-4", "-M", "icmp_echo"], "live4.txt", true),
            (["-6", "-x", "128", "-M", "udp", "-p", "5353"], "udp5353_6.txt", true),
            (["-6", "-x", "128", "-M", "tcp_syn", "-p", "80"], "tcp80_6.txt", false)
        ])
    func ipLayer(_ args: [String], truth: String, tun: Bool) throws {
        let lab = try Lab()
        defer { lab.down() }
        let v4 = args[0] == "-4"
        if tun && lab["LAB_TUN"].isEmpty {
            Issue.record("the lab has no tun link (is /dev/net/tun available?)")
            return
        }
        let interface = tun ? ["-i", lab["LAB_TUN"]] : []
        let r = try lab.xmap(
            args + ["-X"] + interface + [
                "-R", "20000", "-c", "1", "-q",
                v4 ? lab["LAB_TARGETS4"] : lab["LAB_TARGETS6"]
            ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(rows(r.stdout).sorted() == (try lab.truth(truth)).sorted())
    }

    @Test("icmp_echo_gw: an unreachable prefix yields its router once, as a success")
    func peripheryRouter() throws {
        let lab = try Lab()
        defer { lab.down() }
        let r = try lab.xmap([
            "-6", "-x", "128", "-M", "icmp_echo_gw", "-R", "20000", "-c", "1", "-q",
            "-f", "outersaddr,success,clas,desc", "2001:db8:2::/120"
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(rows(r.stdout) == [lab["LAB_GW6"] + ",1,unreach,no route to dst"])
    }

    @Test(
        "SIGINT: the first stops sending and collects replies through the cooldown; the second stops at once; results and metadata are written, exit 130"
    )
    func interrupt() throws {
        let lab = try Lab()
        defer { lab.down() }
        let dir = lab["LAB_DIR"]
        // 256 targets at 50 pps take 5 s; interrupt once the first status row shows the scan
        // running (the handler is installed when sending starts).
        let waitForScan = "until [ \"$(wc -l < $S 2>/dev/null)\" -ge 2 ]; do sleep 0.1; done"
        let once = try lab.inScan(
            """
            S=\(dir)/st1.csv
            $XMAP -4 -R 50 -c 1 -q -u $S -m \(dir)/meta1.json -o \(dir)/out1.csv \(lab["LAB_TARGETS4"]) & p=$!
            \(waitForScan); kill -INT $p; wait $p
            """)
        #expect(once.status == 130, "\(once.stderr)")
        #expect(once.stderr.contains("interrupted: sending stopped"))
        let meta = try String(contentsOfFile: dir + "/meta1.json", encoding: .utf8)
        #expect(meta.contains("\"interrupted\": true"))
        let sent = Int(meta.split(separator: "\"packets_sent\": ")[1].prefix { $0.isNumber }) ?? 0
        #expect(sent > 20 && sent < 200, "packets sent before the interrupt: \(sent)")
        let results = rows(try String(contentsOfFile: dir + "/out1.csv", encoding: .utf8))
        let live = Set(try lab.truth("live4.txt"))
        #expect(!results.isEmpty && results.allSatisfy(live.contains))

        // With a long cooldown, a second interrupt ends the scan right away.
        let started = Date()
        let twice = try lab.inScan(
            """
            S=\(dir)/st2.csv
            $XMAP -4 -R 50 -c 30 -q -u $S -o \(dir)/out2.csv \(lab["LAB_TARGETS4"]) & p=$!
            \(waitForScan); kill -INT $p; sleep 0.5; kill -INT $p; wait $p
            """)
        #expect(twice.status == 130, "\(twice.stderr)")
        #expect(twice.stderr.contains("interrupted: stopping now"))
        #expect(Date().timeIntervalSince(started) < 15)
    }

    @Test("tcp_scan: SYN-ACK answered with FIN-ACK, the peer's FIN-ACK with ACK; connections end closed")
    func tcpScanClosesConnections() throws {
        let lab = try Lab()
        defer { lab.down() }
        // As with any raw-socket scanner, the scanner's own kernel would reset the connections
        // first; drop its RSTs so the exchange runs as on a host with that rule.
        _ = try lab.inScan(
            "printf 'table inet xmaplabtest {\\n chain out {\\n  type filter hook output priority 0;\\n  tcp flags "
                + "rst drop\\n }\\n}\\n' | nft -f -"
        )
        let r = try lab.xmap([
            "-4", "-M", "tcp_scan", "-p", "80", "-R", "20000", "-c", "2", "-q", "-F", "success = 1",
            "-f", "saddr,clas", "198.51.100.0/30"
        ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let got = Set(rows(r.stdout))
        let hosts = ["198.51.100.0", "198.51.100.1", "198.51.100.2", "198.51.100.3"]
        let expected = Set(hosts.flatMap { ["\($0),synack", "\($0),finack"] })
        // The peer acknowledges our FIN with its own FIN-ACK when its application closes within
        // the delayed-ACK time; when the application is slower (a loaded machine), the kernel
        // first sends a bare ACK, which tcp_scan reports as `ack`. Both are correct exchanges.
        #expect(got.isSuperset(of: expected), "\(got.sorted())")
        #expect(got.subtracting(expected).isSubset(of: Set(hosts.map { "\($0),ack" })), "\(got.sorted())")
        let sockets = try lab.inNet("ss -Htan state all '( sport = :80 )' | grep -vc LISTEN")
        #expect(sockets.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "left over: \(sockets.stdout)")
    }
}

extension LabScanTests {
    @Test(
        "--backend afxdp: exactly the live hosts, at full speed and rate-limited, with one and two TX queues",
        .enabled(
            if: Subprocess.hasAFXDP,
            "this kernel has no AF_XDP sockets (CONFIG_XDP_SOCKETS): --backend afxdp not tested"),
        arguments: cases.filter { !$0.module.contains("udp") })
    func afxdpBackend(_ c: Case) throws {
        let lab = try Lab(queues: 2)
        defer { lab.down() }
        let targets = c.family == "-4" ? lab["LAB_TARGETS4"] : lab["LAB_TARGETS6"]
        let maxLen = c.family == "-4" ? "32" : "128"
        let truth = try lab.truth(c.truth).sorted()
        let meta = lab["LAB_DIR"] + "/afxdp-meta.json"
        // -R 0 sends the whole space in a few batches of 64: copy mode takes at most 32 packets
        // per wake-up, so this is where packets left in the TX ring would show.
        for extra in [["-R", "0"], ["-R", "20000"], ["-R", "0", "-T", "2"], ["-R", "0", "--batch", "256"]] {
            let r = try lab.xmap(
                [c.family, "-x", maxLen] + c.module + ["--backend", "afxdp", "-c", "1", "-q", "-m", meta] + extra + [
                    targets
                ])
            #expect(r.status == 0, "\(extra): \(r.stderr)")
            #expect(
                r.stderr.contains("AF_XDP on \(lab["LAB_IFACE"]), ") && r.stderr.contains("copy mode"), "\(r.stderr)")
            if extra.contains("-T") { #expect(r.stderr.contains("2 queues"), "\(r.stderr)") }
            let got = rows(r.stdout)
            #expect(got.sorted() == truth, "\(extra): \(got.count) results, \(truth.count) live hosts")
            let m = try String(contentsOfFile: meta, encoding: .utf8)
            #expect(m.contains("\"backend\": \"afxdp\""))
            #expect(m.contains("\"packets_sent\": 256,"), "\(extra): packets_sent")
        }
        // -T 3 on the lab's two-queue veth: capped to two threads, with a warning.
        let three = try lab.xmap(
            [c.family, "-x", maxLen] + c.module + [
                "--backend", "afxdp", "-T", "3", "-n", "8", "-R", "1000", "-c", "0",
                "-q", targets
            ])
        #expect(
            three.status == 0 && three.stderr.contains("-T 3 capped to 2, the number of TX queues"), "\(three.stderr)")
    }
}

extension LabScanTests {
    @Test(
        "--netmap-wait-ping: the gateway ignores pings for 3 s; the scan waits for its echo reply, then finds every live host",
        arguments: ["-4", "-6"])
    func waitPing(_ family: String) throws {
        let lab = try Lab()
        defer { lab.down() }
        let v6 = family == "-6"
        // The target network's router drops echo requests to itself for three seconds.
        let rule = v6 ? "icmpv6 type echo-request drop" : "icmp type echo-request drop"
        let set = try lab.inNet(
            "nft add table inet waitping && nft add chain inet waitping in '{ type filter hook input priority 0; }' "
                + "&& nft add rule inet waitping in \(rule)"
        )
        try #require(set.status == 0, "\(set.stderr)")
        _ = try lab.inNet("(sleep 3; nft delete table inet waitping) >/dev/null 2>&1 &")
        let start = Date()
        let r = try lab.xmap([
            family, "-x", v6 ? "128" : "32", "-M", "icmp_echo", "--netmap-wait-ping", lab[v6 ? "LAB_GW6" : "LAB_GW4"],
            "-R", "20000", "-c", "1", "-q", lab[v6 ? "LAB_TARGETS6" : "LAB_TARGETS4"]
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Date().timeIntervalSince(start) >= 2.5)
        #expect(
            r.stderr.contains("echo reply from \(lab[v6 ? "LAB_GW6" : "LAB_GW4"]): starting the scan"), "\(r.stderr)")
        #expect(rows(r.stdout).sorted() == (try lab.truth(v6 ? "live6.txt" : "live4.txt")).sorted())
    }
}
