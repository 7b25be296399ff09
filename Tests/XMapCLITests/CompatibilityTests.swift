import Foundation
import Testing
import XMapTestSupport

/// Behaviour that must match XMap 2.0.2 (issue: side-by-side run against XMap).
@Suite("XMap compatibility")
struct CompatibilityTests {
    static let dry = ["-d", "-q", "-R", "0", "-G", "11:22:33:44:55:66", "--source-mac", "66:55:44:33:22:11"]

    func packets(_ r: CommandResult) -> Int {
        r.stdout.components(separatedBy: String(repeating: "-", count: 54)).count - 1
    }

    @Test(
        "-P N with ICMP modules sends each target N times (it used to trap)",
        arguments: [
            ["-4", "-S", "192.0.2.1"], ["-6", "-x", "128", "-S", "2001:db8:ffff::1"],
            ["-6", "-x", "128", "-S", "2001:db8:ffff::1", "-M", "icmp_echo_gw"],
            ["-6", "-x", "128", "-S", "2001:db8:ffff::1", "-M", "icmp_echo_tmxd"]
        ])
    func indexWithoutPorts(_ args: [String]) throws {
        let target = args[0] == "-4" ? "198.51.100.0/30" : "2001:db8::/126"
        let r = try Subprocess.xmapIsolated(Self.dry + args + ["-e", "3", "-P", "3", target])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(packets(r) == 4 * 3)
    }

    @Test("negative numbers as separate arguments: valid seeds, XMap's messages for the rest")
    func negativeArguments() throws {
        let base = Self.dry + ["-4", "-S", "192.0.2.1", "198.51.100.0/31"]
        let seed = try Subprocess.xmapIsolated(base + ["-e", "-5"])
        #expect(seed.status == 0 && packets(seed) == 2, "\(seed.stderr)")
        let failures = try Subprocess.xmapIsolated(base + ["--max-sendto-failures", "-1"])
        #expect(failures.status == 0, "\(failures.stderr)")
        for (option, message) in [
            ("--probes", "invalid probe times: `--probes='"), ("--batch", "invalid batch number: `--batch='"),
            ("--retries", "invalid retry count: `--retries='"),
            ("-c", "invalid cooldown secs: `-c|--cooldown-secs='"),
            ("-n", "invalid max target number: `-n|--max-targets='"),
            ("-k", "invalid max packets number: `-k|--max-packets='")
        ] {
            let r = try Subprocess.xmapIsolated(base + [option, "-1"])
            #expect(r.status == 1 && r.stderrLines.count == 1 && r.stderr.contains(message), "\(option): \(r.stderr)")
        }
    }

    @Test("values XMap accepts: -n 0 (no limit), -P 0 (one index), --batch 0")
    func acceptedZeros() throws {
        for extra in [["-n", "0"], ["-P", "0"], ["--batch", "0"]] {
            let r = try Subprocess.xmapIsolated(Self.dry + ["-4", "-S", "192.0.2.1", "198.51.100.0/30"] + extra)
            #expect(r.status == 0 && packets(r) == 4, "\(extra): \(r.stderr)")
        }
    }

    /// The csv module's stdout note is there too: XMap initialises its output module in a dry run.
    @Test("a dry run logs XMap's INFO lines and ends with 'completed'; too many threads are dropped with a warning")
    func diagnostics() throws {
        let r = try Subprocess.xmapIsolated(
            Self.dry.filter { $0 != "-q" } + ["-4", "-S", "192.0.2.1", "-T", "4", "198.51.100.0/30"])
        #expect(r.status == 0)
        let messages = r.stderrLines.map { $0.split(separator: "]", maxSplits: 1).last.map(String.init) ?? "" }
        #expect(
            messages == [
                " xmap: too few targets relative to senders, dropping to one sender",
                " xmap: probe network: ipv4", " xmap: probe module: icmp_echo", " xmap: output module: csv",
                " xmap: iid module: low", " csv: no output file selected, will use stdout",
                " send: dryrun mode -- won't actually send packets", " xmap: completed"
            ],
            "\(r.stderr)")
    }

    @Test("-X dry runs print no Ethernet block")
    func ipLayerDryRun() throws {
        let r = try Subprocess.xmapIsolated(Self.dry + ["-X", "-4", "-S", "192.0.2.1", "198.51.100.0/31"])
        #expect(r.status == 0)
        #expect(!r.stdout.contains("Ethernet") && r.stdout.hasPrefix("saddr\nIPv4\n"))
    }

    @Test("--user-metadata: invalid JSON is fatal, valid JSON is written as an object")
    func userMetadata() throws {
        let base = Self.dry + ["-4", "-S", "192.0.2.1", "-m", "-", "198.51.100.0/31"]
        let bad = try Subprocess.xmapIsolated(base + ["--user-metadata", "{bad"])
        #expect(bad.status == 1 && bad.stderr.contains("unable to parse custom user metadata"))
        let good = try Subprocess.xmapIsolated(base + ["--user-metadata", "{\"team\":\"x/y\",\"n\":[1,2.5,{}]}"])
        #expect(good.status == 0)
        #expect(
            good.stdout.contains("\"user-metadata\": { \"team\": \"x\\/y\", \"n\": [ 1, 2.5, { } ] }"), "\(good.stdout)"
        )
    }

    @Test("listings and help as XMap prints them")
    func listings() throws {
        let modules = try Subprocess.xmapIsolated(["--list-probe-modules"])
        let v6 =
            "udp dnsx dnsa dnsae dnsan dnsane dnsane16 dnsai dnsaie dnsap dnsape dnsaf dnsafe tcp_syn icmp_echo "
            + "icmp_echo_gw icmp_echo_tmxd tcp_synack icmp_echo_time ntp upnp bacnet nd"
        let v4 =
            "udp dns dnsr dnsx dnsf dnsz dnss dnsv dnsa dnsae dnsan dnsane dnsane16 dnsai dnsaie dnsap dnsape dnsaf "
            + "dnsafe tcp_scan tcp_syn icmp_echo tcp_synack icmp_echo_time ntp upnp bacnet ipip arp"
        func lines(_ names: String) -> String { names.split(separator: " ").map { $0 + "\n" }.joined() }
        #expect(modules.stdout == "Probe-modules (IPv6):\n" + lines(v6) + "Probe-modules (IPv4):\n" + lines(v4))
        let fields6 = try Subprocess.xmapIsolated(["-6", "--list-output-fields"])
        #expect(fields6.stdout.contains("success            int: did probe module classify response as success"))
        let fields4 = try Subprocess.xmapIsolated(["-4", "--list-output-fields"])
        #expect(fields4.stdout.contains("success           bool: did probe module classify response as success"))
        let table = try Subprocess.xmapIsolated(["-4", "--probe-args=icmp-type-code-str"])
        #expect(table.status == 0)
        #expect(table.stderr.contains("althostaddr(6)\n                          alternate address(0)\n"))
        #expect(table.stderr.contains("other(1)\n                          unknown(0)\n"))
        let help = try Subprocess.xmapIsolated(["-M", "nosuch", "-h"])
        #expect(help.status == 1 && help.stderr.contains("nosuch"))
        let tcpHelp = try Subprocess.xmapIsolated(["-4", "-M", "tcp_syn", "-h"])
        #expect(tcpHelp.status == 0 && tcpHelp.stdout.contains("Probe-module (IPv4 tcp_syn) Help:"))
        #expect(tcpHelp.stdout.contains("Usage: xmap [OPTION]... [TARGETS]..."))
    }
}
