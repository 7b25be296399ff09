import Foundation
import Testing
import XMapTestSupport

@Suite("Config file, log file and metadata")
struct ConfigAndMetadataTests {
    let network = ["-q", "-e", "1", "-S", "192.0.2.1", "-G", "00:00:5e:00:53:01", "--source-mac", "00:00:5e:00:53:02"]

    func temp(_ name: String) -> String {
        NSTemporaryDirectory() + "xmap-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }

    @Test("config file options apply and the command line overrides them")
    func configFile() throws {
        let conf = temp("xmap.conf")
        try "# comment\nipv4\nprobe-module tcp_syn\ntarget-port = \"80\"  # trailing comment\nrate 0\n"
            .write(toFile: conf, atomically: true, encoding: .utf8)
        defer { unlink(conf) }
        let r = try Subprocess.xmapIsolated(["-C", conf, "-d", "-p", "443", "198.51.100.0/31"] + network)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\tProtocol(1B)\t\t: 6"))
        #expect(r.stdout.contains("\tDestination Port(2B)\t: 443"))
        #expect(!r.stdout.contains("\tDestination Port(2B)\t: 80\n"))
    }

    @Test(
        "bad config files give one clear line",
        arguments: [
            ("bogus-option 1\n", "bogus-option"), ("rate \"10\n", "malformed"), ("rate 10 20\n", "malformed")
        ])
    func badConfig(text: String, fragment: String) throws {
        let conf = temp("bad.conf")
        try text.write(toFile: conf, atomically: true, encoding: .utf8)
        defer { unlink(conf) }
        let r = try Subprocess.xmapIsolated(["-C", conf, "-4", "198.51.100.0/31"])
        #expect(r.status == 1)
        #expect(r.stderrLines.count == 1 && r.stderr.contains(fragment), "\(r.stderr)")
        let missing = try Subprocess.xmapIsolated(["-C", "/nonexistent/xmap.conf"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/xmap.conf"))
    }

    @Test("metadata file and log file are written")
    func metadataAndLog() throws {
        let meta = temp("meta.json"), log = temp("log.txt")
        defer { unlink(meta); unlink(log) }
        let r = try Subprocess.xmapIsolated(
            [
                "-4", "-d", "-R", "0", "-m", meta, "-l", log, "-v", "4", "--notes", "hi",
                "198.51.100.0/30"
            ] + network)
        #expect(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: meta))
        let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(obj?["packets_sent"] as? Int == 4)
        #expect(obj?["seed"] as? Int == 1)
        #expect(obj?["probe_module"] as? String == "icmp_echo")
        #expect(obj?["notes"] as? String == "hi")
        #expect(FileManager.default.fileExists(atPath: log))
    }

    /// XMap 2.0.2's metadata keys in the order it writes them (reference §7.3). The app-success
    /// pair appears only for modules that have `app_success`.
    static let xmapKeys = [
        "local_hostname", "full_hostname", "ipv46_flag", "max_probe_len", "max_probe_port_len", "max_port_index_len",
        "max_probe_port_index_len", "target_port_num", "target_port_bits", "target_ports", "target_index_num",
        "target_index_bits", "source_port_first", "source_port_last", "max_targets", "max_packets", "max_runtime",
        "max_results", "est_elements", "output_results", "iface", "rate", "bandwidth", "batch", "probes", "retires",
        "iid_num", "cooldown_secs", "senders", "pin_cores", "seed", "seed_provided", "generator", "hitrate",
        "shard_num",
        "total_shards", "min_hitrate", "max_sendto_failures", "syslog", "filter_duplicates", "filter_unsuccessful",
        "pcap_recv", "pcap_drop", "pcap_ifdrop", "ip_fragments", "blocklist_total_allowed_ip",
        "blocklist_total_not_allowed_ip", "blocklist_total_allowed_ip_port_actual", "blocklist_total_allowed_ip_port",
        "blocklist_total_not_allowed_ip_port", "blocklist_total_allowed_ip_port_index_actual",
        "blocklist_total_allowed_ip_port_index", "blocklist_total_not_allowed_ip_port_index", "validation_passed",
        "validation_failed", "validation_again", "first_scanned_prefix", "first_scanned", "send_to_failures",
        "packets_sent", "packets_tried", "hosts_scanned", "success_total", "success_unique", "app_success_total",
        "app_success_unique", "success_cooldown_total", "success_cooldown_unique", "failure_total", "probe_module",
        "output_module", "iid_module", "send_start_time", "send_end_time", "recv_start_time", "recv_end_time",
        "output_filter", "log_file", "log_directory", "cli_cidr_destinations", "probe_args", "probe_ttl", "output_args",
        "iid_args", "gateway_mac", "gateway_ip", "source_mac", "source_ips", "iplayer", "output_filename",
        "blocklist_filename", "allowlist_filename", "list_of_ips_filename", "list_of_ip_count", "list_of_ip_port_count",
        "list_of_ip_port_count_index", "ignore_blacklist_error", "ignore_filelist_error", "config_filename",
        "status_updates_file", "metadata_filename", "dryrun", "quiet", "log_level", "user-metadata", "notes",
        "blocklisted_networks", "allowlisted_networks"
    ]

    /// The keys of a one-line JSON object, in order (JSONSerialization loses the order).
    static func keys(_ json: String) -> [String] {
        var keys: [String] = [], depth = 0, inString = false, escaped = false, current = "", afterKey = false
        for c in json {
            if inString {
                if escaped { escaped = false; current.append(c); continue }
                if c == "\\" { escaped = true; continue }
                if c == "\"" { inString = false; if depth == 1 && !afterKey { keys.append(current) }; continue }
                current.append(c)
                continue
            }
            switch c {
            case "\"": inString = true; current = ""
            case "{", "[": depth += 1; afterKey = false
            case "}", "]": depth -= 1
            case ":": afterKey = true
            case ",": if depth == 1 { afterKey = false }
            default: break
            }
        }
        return keys
    }

    @Test("metadata: every XMap key, in XMap's order and types, then xmap's own keys")
    func metadataKeys() throws {
        let meta = temp("meta.json"), conf = temp("x.conf"), block = temp("block.txt"), allow = temp("allow.txt")
        let status = temp("status.csv"), log = temp("log")
        defer { for f in [meta, conf, block, allow, status, log] { unlink(f) } }
        try "rate 0\n".write(toFile: conf, atomically: true, encoding: .utf8)
        try "198.51.100.4/30\n".write(toFile: block, atomically: true, encoding: .utf8)
        try "198.51.100.0/28\n".write(toFile: allow, atomically: true, encoding: .utf8)
        // Every option behind an optional XMap key, a DNS module for app_success.
        let r = try Subprocess.xmapIsolated(
            [
                "-4", "-d", "-C", conf, "-m", meta, "-M", "dnsa", "-p", "53",
                "--probe-args=raw:recurse:text:A,example.test", "-F", "success = 1",
                "-O", "json", "--output-args", "x", "-U", "low", "--iid-args", "x",
                "-b", block, "-w", allow, "-u", status, "-l", log, "--notes", "n",
                "--user-metadata", "{\"a\": [1]}", "198.51.100.0/30"
            ] + network)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: meta, encoding: .utf8)
        let keys = Self.keys(text)
        // XMap's keys first, in XMap's order, none missing (list_of_ips_filename needs -I, log_directory -L).
        let xmap = Self.xmapKeys.filter { $0 != "list_of_ips_filename" && $0 != "log_directory" }
        #expect(Array(keys.prefix(xmap.count)) == xmap)
        // Then xmap's own, none of them XMap's.
        let own = Array(keys.dropFirst(xmap.count))
        #expect(
            own.first == "retries" && own.contains("backend") && own.contains("results_lost")
                && own.contains("interrupted"))
        #expect(Set(own).isDisjoint(with: Self.xmapKeys))
        // JSON types as XMap writes them.
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        for k in ["generator", "rate", "bandwidth", "blocklist_total_allowed_ip", "send_start_time", "first_scanned"] {
            #expect(obj[k] is String, "\(k)")
        }
        #expect(obj["retires"] as? Int == 1 && obj["retries"] as? Int == 1)
        #expect(obj["hitrate"] is Double || obj["hitrate"] is Int)
        #expect((obj["user-metadata"] as? [String: Any])?["a"] as? [Int] == [1])
        #expect(obj["blocklisted_networks"] as? [String] == ["198.51.100.4/30", "0.0.0.0/32"])
        #expect(obj["allowlisted_networks"] as? [String] == ["198.51.100.0/28", "198.51.100.0/30"])
        #expect(obj["cli_cidr_destinations"] as? [String] == ["198.51.100.0/30"])
        #expect(obj["blocklist_total_allowed_ip"] as? String == "12")
        #expect(obj["packets_sent"] as? Int == 12 && obj["packets_tried"] as? Int == 12)
        #expect(obj["filter_duplicates"] as? Bool == false && obj["syslog"] as? Bool == true)
        #expect((obj["send_start_time"] as? String)?.count == 24)
    }
}

extension ConfigAndMetadataTests {
    /// Runs a dry run with its syslog going to a listener (a private /dev with /dev/log bound to
    /// the listener's socket, in a mount namespace of its own) and returns what arrived.
    func syslogLines(_ extra: [String]) throws -> [String] {
        let dir = temp("syslog")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let listener = """
            import socket, sys, time
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1] + "/log")
            s.settimeout(0.3); out = open(sys.argv[1] + "/got", "wb"); end = time.time() + 8
            open(sys.argv[1] + "/ready", "w").close()
            while time.time() < end and not __import__("os").path.exists(sys.argv[1] + "/stop"):
                try: out.write(s.recv(65536) + b"\\n"); out.flush()
                except socket.timeout: pass
            """
        try listener.write(toFile: dir + "/listener.py", atomically: true, encoding: .utf8)
        let args =
            (["-4", "-d", "-S", "192.0.2.1", "-G", "00:00:5e:00:53:01", "-i", "lo", "-q", "198.51.100.0/30"] + extra)
            .map { "'\($0)'" }.joined(separator: " ")
        let script = """
            python3 \(dir)/listener.py \(dir) & pid=$!
            for i in $(seq 100); do [ -e \(dir)/ready ] && break; sleep 0.05; done
            unshare -m sh -c 'mount -t tmpfs none /dev && : > /dev/log && mount --bind \(dir)/log /dev/log && \
                { [ ! -d /etc/xmap ] || mount -t tmpfs none /etc/xmap; } && exec \(Subprocess.xmapPath) \(args)' >/dev/null 2>&1
            status=$?
            sleep 0.3; touch \(dir)/stop; wait $pid; exit $status
            """
        let r = try Subprocess.shell(script)
        #expect(r.status == 0, "\(r.stderr)")
        let got = (try? String(contentsOfFile: dir + "/got", encoding: .utf8)) ?? ""
        return got.split(separator: "\n").map(String.init)
    }

    @Test(
        "syslog: on by default, the scan's start and end lines at XMap's priorities; --disable-syslog sends nothing",
        .enabled(if: Subprocess.isRoot, "needs root for a mount namespace"))
    func syslog() throws {
        let lines = try syslogLines([])
        // <14> is facility user, priority info; the ident is xmap.
        #expect(
            lines.contains { $0.hasPrefix("<14>") && $0.contains("xmap: xmap: probe module: icmp_echo") },
            "got: \(lines)")
        #expect(lines.contains { $0.hasPrefix("<14>") && $0.contains("xmap: xmap: completed") }, "\(lines)")
        #expect(try syslogLines(["--disable-syslog"]).isEmpty)
    }
}
