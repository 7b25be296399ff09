import Foundation
import Testing
import XMapTestSupport

/// `--dryrun` prints every packet in XMap's format; with XMap's seed the order is XMap's.
@Suite("Dry run")
struct DryRunTests {
    static let network = ["-G", "11:22:33:44:55:66", "--source-mac", "66:55:44:33:22:11", "-R", "0", "-q"]

    /// Destination addresses of the packets in dry-run output, in order.
    func destinations(_ out: String, label: String) -> [String] {
        out.split(separator: "\n").compactMap { line in
            let l = String(line)
            guard l.hasPrefix("\t\(label)") else { return nil }
            return l.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
        }
    }

    @Test("seed 42 reproduces XMap 2.0.2's recorded send order")
    func xmapOrder() throws {
        let r = try Subprocess.xmapIsolated(
            [
                "-d", "-4", "-x", "32", "-S", "192.0.2.1", "-e", "42", "-M", "tcp_syn",
                "-p", "80", "198.51.100.0/24"
            ] + Self.network)
        #expect(r.status == 0, "\(r.stderr)")
        let dst = destinations(r.stdout, label: "Destination(4B)")
        #expect(dst.count == 256)
        let expectedFirst = ["198.51.100.25", "198.51.100.153", "198.51.100.239", "198.51.100.96", "198.51.100.20"]
        #expect(Array(dst.prefix(5)) == expectedFirst)
        #expect(dst.last == "198.51.100.217")
        #expect(Set(dst).count == 256)
        #expect(r.stdout.hasPrefix("saddr\nEthernet\n"))
    }

    @Test("packet blocks use XMap's field names and separators")
    func format() throws {
        let r = try Subprocess.xmapIsolated(
            [
                "-d", "-6", "-x", "128", "-S", "2001:db8:ffff::1", "-e", "1",
                "2001:db8:1::/127"
            ] + Self.network)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for expected in [
            "Ethernet", "\tType(2B)\t\t: 0x86dd", "IPv6", "\tPayload Length(2B)\t: 16", "\tNext Header(1B)\t\t: 58",
            "\tHop Limit(1B)\t\t: 255", "\tSource(16B)\t\t: 2001:db8:ffff::1", "ICMPv6", "\tType(1B)\t\t: 128",
            String(repeating: "-", count: 54)
        ] {
            #expect(lines.contains(expected), "missing line \(expected)")
        }
        // 2001:db8:1::/127 has two addresses, but :: of the prefix space is fine here (not all-zero).
        #expect(destinations(r.stdout, label: "Destination(16B)").sorted() == ["2001:db8:1::", "2001:db8:1::1"])
        #expect(lines.contains { $0.hasPrefix("\tIdentifier(2B)\t\t: n:") })
    }

    @Test("shards of a seeded scan are disjoint and together give the whole scan")
    func shardsUnion() throws {
        var all: [String] = []
        for shard in 0..<3 {
            let r = try Subprocess.xmapIsolated(
                [
                    "-d", "-4", "-S", "192.0.2.1", "-e", "7", "--shards", "3", "--shard", "\(shard)",
                    "-T", "2", "198.51.100.0/25"
                ] + Self.network)
            #expect(r.status == 0, "\(r.stderr)")
            all += destinations(r.stdout, label: "Destination(4B)")
        }
        #expect(all.count == 128)
        #expect(Set(all).count == 128)
    }

    @Test("limits: -n caps targets, --probes multiplies packets")
    func limits() throws {
        let r = try Subprocess.xmapIsolated(
            [
                "-d", "-4", "-S", "192.0.2.1", "-e", "7", "-n", "10", "--probes", "2",
                "-M", "tcp_syn", "-p", "80", "198.51.100.0/24"
            ] + Self.network)
        #expect(r.status == 0, "\(r.stderr)")
        let dst = destinations(r.stdout, label: "Destination(4B)")
        #expect(dst.count == 20)
        #expect(Set(dst).count == 10)
    }

    @Test("ZMap spellings: --target-ports, --no-header-row, --fast-dryrun's binary records")
    func zmapOptions() throws {
        let base =
            [
                "-d", "-4", "-S", "192.0.2.1", "-e", "7", "-M", "tcp_syn", "--target-ports", "443", "-n", "5",
                "198.51.100.0/24"
            ] + Self.network
        let plain = try Subprocess.xmapIsolated(base)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.hasPrefix("saddr\n"))
        #expect(destinations(plain.stdout, label: "Destination Port(2B)") == Array(repeating: "443", count: 5))
        let bare = try Subprocess.xmapIsolated(base + ["--no-header-row"])
        #expect(!bare.stdout.hasPrefix("saddr") && bare.stdout.hasPrefix("Ethernet"))
        let isolate = Subprocess.isRoot ? "/usr/bin/unshare -n " : ""
        let fast = try Subprocess.shell(
            isolate + Subprocess.hermeticPrefix + "'\(Subprocess.xmapPath)' "
                + (base.dropFirst() + ["--fast-dryrun"]).map { "'\($0)'" }.joined(separator: " ")
                + " | od -An -v -tx1")
        #expect(fast.status == 0, "\(fast.stderr)")
        let bytes = fast.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt8($0, radix: 16) }
        #expect(bytes.count == 5 * 6)
        let dsts = destinations(plain.stdout, label: "Destination(4B)")
        for i in 0..<min(5, bytes.count / 6) {
            let r = bytes[(6 * i)..<(6 * i + 6)].map { Int($0) }
            #expect("\(r[0]).\(r[1]).\(r[2]).\(r[3])" == dsts[i])
            #expect(r[4] << 8 | r[5] == 443)
        }
    }

    @Test(
        "-n N%: a percentage of 2^max-len × ports (ZMap's 2^32 × ports for IPv4), truncated as ZMap",
        arguments: [
            (["-4", "-n", "0.000001%", "198.51.100.0/24"], 42),  // 42.9 → 42
            (["-4", "-n", "0.000001%", "-M", "tcp_syn", "-p", "80,443", "198.51.100.0/24"], 85),
            (["-6", "-x", "24", "-n", "0.0001%", "2001:d00::/16"], 16)
        ])  // 2^24 · 1e-6 = 16.8
    func percentLimit(args: [String], expected: Int) throws {
        let source = args[0] == "-4" ? "192.0.2.1" : "2001:db8:ffff::1"
        let r = try Subprocess.xmapIsolated(["-d", "-S", source, "-e", "7"] + args + Self.network)
        #expect(r.status == 0, "\(r.stderr)")
        let label = args[0] == "-4" ? "Destination(4B)" : "Destination(16B)"
        #expect(destinations(r.stdout, label: label).count == expected)
    }
}

@Suite("Max-len and IIDs in the dry run")
struct MaxLenDryRunTests {
    func destinations(_ args: [String]) throws -> [String] {
        let r = try Subprocess.xmapIsolated(
            [
                "-d", "-q", "-R", "0", "-e", "3", "-G", "00:00:5e:00:53:01",
                "--source-mac", "00:00:5e:00:53:02", "-S", "2001:db8:ffff::1"
            ] + args)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").filter { $0.hasPrefix("\tDestination(16B)") }
            .map { String($0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)) }
    }

    @Test("-x 64 probes ::1 in every /64 (the default low IID)")
    func low() throws {
        #expect(
            try destinations(["-x", "64", "2001:db8::/62"]).sorted()
                == ["2001:db8:0:1::1", "2001:db8:0:2::1", "2001:db8:0:3::1", "2001:db8::1"])
        #expect(try destinations(["2001:db8::/62-64"]).count == 4)
    }

    @Test("IID modules and --iid-num fill the host part")
    func iids() throws {
        #expect(try destinations(["-x", "64", "-U", "full", "2001:db8::/64"]) == ["2001:db8::ffff:ffff:ffff:ffff"])
        #expect(try destinations(["-x", "64", "-U", "zero", "2001:db8:1::/64"]) == ["2001:db8:1::"])
        #expect(
            try destinations(["-x", "64", "-U", "set", "--iid-args", "::abcd:1234", "2001:db8::/64"]) == [
                "2001:db8::abcd:1234"
            ])
        #expect(
            try destinations(["-x", "64", "--iid-num", "3", "2001:db8::/64"]) == [
                "2001:db8::1", "2001:db8::2", "2001:db8::3"
            ])
    }
}

/// A dry run sends nothing at all: without -G it reads the gateway's MAC from the neighbour
/// table if it is there, and otherwise prints zeros, rather than resolving it on the network.
@Suite("Dry run sends nothing")
struct DryRunSilenceTests {
    @Test(
        "no ARP or neighbour solicitation for an unresolved gateway",
        .enabled(if: Subprocess.isRoot, "needs root to make a namespace with a veth link"))
    func noSolicitation() throws {
        // nftables counts what resolving the gateways would send: ARP, neighbour solicitations for
        // the gateway and the datagram to the discard port (not the kernel's own duplicate address
        // detection for the link-local address, MLD or router solicitations).
        let script = """
            set -e
            ip link set lo up
            ip link add xdry0 type veth peer name xdry1
            ip link set xdry1 up
            ip addr add 192.0.2.2/24 dev xdry0
            ip -6 addr add 2001:db8:d::2/64 dev xdry0 nodad
            ip link set xdry0 up
            ip route add default via 192.0.2.1
            ip -6 route add default via 2001:db8:d::1
            nft -f - <<'NFT'
            table arp xdry {
              counter sent {}
              chain out { type filter hook output priority 0; arp daddr ip 192.0.2.1 counter name "sent"; }
            }
            table inet xdry {
              counter sent {}
              chain out { type filter hook output priority 0; icmpv6 type nd-neighbor-solicit ip6 daddr { ff02::1:ff00:1, 2001:db8:d::1 } counter name "sent"; udp dport 9 counter name "sent"; }
            }
            NFT
            "$1" -d -4 -n 1 -q 198.51.100.0/24 > /dev/null
            "$1" -d -6 -n 1 -q 2001:db8:1::/64 -x 64 > /dev/null
            nft list counter arp xdry sent | grep -o 'packets [0-9]*'
            nft list counter inet xdry sent | grep -o 'packets [0-9]*'
            """
        let r = try Subprocess.run(
            "/usr/bin/unshare",
            ["-n"]
                + Subprocess.hermetic([
                    "/bin/sh", "-c", script, "sh",
                    Subprocess.xmapPath
                ]), timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "packets 0\npackets 0\n", "\(r.stdout) \(r.stderr)")
    }
}
