import Foundation
import Testing
import XMapCore
import XMapTestSupport

/// Scans of a switched LAN (`scripts/lan-lab.sh`): on-link targets resolved first and probed at
/// their own MACs (checked by a capture on the bridge), mixed with routed targets, the `arp` and
/// `nd` modules, `rtt_us` over a path with a known delay, and `fingerprint`. Root only; every
/// packet stays inside the lab's namespaces.
@Suite("LAN lab", .serialized, .enabled(if: Subprocess.isRoot, "needs root to create network namespaces"))
struct LANLabTests {
    /// Results of a CSV output (header dropped).
    static func rows(_ csv: String) -> [String] { Array(csv.split(separator: "\n").map(String.init).dropFirst()) }

    struct Family: CustomTestStringConvertible, Sendable {
        let flag: String
        var testDescription: String { flag == "-4" ? "IPv4" : "IPv6" }
        var v4: Bool { flag == "-4" }
        /// `-x 128` for IPv6, so each target is one address.
        var args: [String] { v4 ? ["-4"] : ["-6", "-x", "128"] }
        func lan(_ lab: LANLab) -> String { lab[v4 ? "LAN_TARGETS4" : "LAN_TARGETS6"] }
        func routed(_ lab: LANLab) -> String { lab[v4 ? "LAN_ROUTED4" : "LAN_ROUTED6"] }
        var suffix: String { v4 ? "4" : "6" }
        var ipType: String { v4 ? "0800" : "86dd" }
    }

    static let families = [Family(flag: "-4"), Family(flag: "-6")]

    /// Checks the TCP probes in `frames`: each went to its target's own MAC (on the LAN) or to the
    /// gateway's (elsewhere), exactly once per probed address, and none to a LAN address that did
    /// not answer. Returns the addresses probed.
    static func checkProbes(
        _ frames: [BridgeCapture.Frame], _ f: Family, lab: LANLab, lanAlive: Set<String>,
        routed: Set<String>
    ) throws -> [String] {
        let macs = try lab.macs()
        // The SYNs (the scanner's kernel answers SYN-ACKs with RSTs of its own).
        let probes = frames.filter { $0.etherType == f.ipType && $0.proto == "6" && $0.tcpFlags == "02" }
        for p in probes {
            if let mac = macs[p.address] {
                #expect(p.destinationMAC == mac, "probe to \(p.address) went to \(p.destinationMAC), not \(mac)")
            } else {
                #expect(routed.contains(p.address), "probe to \(p.address), which is neither live nor routed")
                #expect(
                    p.destinationMAC == lab["LAN_GW_MAC"],
                    "routed probe to \(p.address) went to \(p.destinationMAC)")
            }
        }
        let addresses = probes.map(\.address)
        #expect(Set(addresses).count == addresses.count, "an address was probed twice")
        #expect(Set(addresses).isSuperset(of: lanAlive), "live LAN hosts without a probe")
        return addresses
    }

    @Test("a LAN scan finds exactly the live hosts, each probe sent to the host's own MAC", arguments: families)
    func lanScan(_ f: Family) throws {
        let lab = try LANLab()
        defer { lab.down() }
        let capture = try lab.startCapture()
        let r = try lab.xmap(
            f.args + [
                "-M", "tcp_syn", "-p", "80", "-R", "5000", "-c", "1", "-q", "-F", "",
                "-f", "saddr,clas", f.lan(lab)
            ])
        let frames = try capture.stop()
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let got = Self.rows(r.stdout)
        #expect(Set(got).count == got.count, "duplicates in output")
        // Every live address answers: a SYN-ACK where :80 is open, a RST elsewhere (h4, the gateway).
        let live = Set(try lab.truth("lan\(f.suffix).txt")).subtracting(f.v4 ? [] : ["2001:db8:0:1::"])
        let open = Set(try lab.truth("lan_tcp80_\(f.suffix).txt"))
        #expect(Set(got) == Set(live.map { "\($0),\(open.contains($0) ? "synack" : "rst")" }))
        #expect(open.count == 9 && live.count == 12)
        let distinctMACs = Set(try lab.macs().values)
        #expect(distinctMACs.count >= 7, "five hosts, the delayed host and the gateway have their own MACs")
        let probed = try Self.checkProbes(frames, f, lab: lab, lanAlive: live, routed: [])
        #expect(probed.count <= live.count + 1, "only answering addresses get probes: \(probed.count)")
        // The neighbour stage asked about every target, as broadcast ARP or to solicited-node groups.
        let requests = frames.filter {
            f.v4 ? $0.etherType == "0806" : $0.proto == "58" && $0.address.hasPrefix("ff02::1:ff")
        }
        #expect(requests.count >= 256)
        #expect(
            requests.allSatisfy {
                f.v4 ? $0.destinationMAC == "ff:ff:ff:ff:ff:ff" : $0.destinationMAC.hasPrefix("33:33:ff")
            })
        #expect(r.stderr.contains("on-link targets answered"), "\(r.stderr)")
    }

    @Test("a mixed scan of LAN and routed targets is exact; routed probes go to the gateway", arguments: families)
    func mixedScan(_ f: Family) throws {
        let lab = try LANLab()
        defer { lab.down() }
        let capture = try lab.startCapture()
        let r = try lab.xmap(
            f.args + [
                "-M", "tcp_syn", "-p", "80", "-R", "5000", "-c", "1", "-q",
                f.lan(lab), f.routed(lab)
            ])
        let frames = try capture.stop()
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let got = Self.rows(r.stdout)
        let routed = try lab.truth("routed\(f.suffix).txt")
        let expected = try lab.truth("lan_tcp80_\(f.suffix).txt") + routed
        #expect(got.sorted() == expected.sorted())
        #expect(got.count == 9 + 68)
        let first = IPAddress(f.v4 ? "198.51.100.0" : "2001:db8:1::")!
        let routedTargets = Set(
            (0..<256).map {
                IPAddress(family: first.family, value: first.value + UInt128($0)).description
            })
        let live = Set(try lab.truth("lan\(f.suffix).txt")).subtracting(f.v4 ? [] : ["2001:db8:0:1::"])
        let probed = try Self.checkProbes(frames, f, lab: lab, lanAlive: live, routed: routedTargets)
        #expect(Set(probed).isSuperset(of: routedTargets), "every routed target is probed through the gateway")
    }

    @Test("tcp_scan closes its connections to on-link hosts at their own MACs")
    func tcpScan() throws {
        let lab = try LANLab()
        defer { lab.down() }
        let capture = try lab.startCapture()
        let r = try lab.xmap([
            "-4", "-M", "tcp_scan", "-p", "80", "-R", "5000", "-c", "2", "-q", "-F", "clas = synack",
            "-f", "saddr", lab["LAN_TARGETS4"]
        ])
        let frames = try capture.stop()
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(Self.rows(r.stdout).sorted() == (try lab.truth("lan_tcp80_4.txt")))
        let macs = try lab.macs()
        let finAcks = frames.filter { $0.etherType == "0800" && $0.proto == "6" && $0.tcpFlags == "11" }
        #expect(Set(finAcks.map(\.address)) == Set(try lab.truth("lan_tcp80_4.txt")))
        for f in finAcks {
            #expect(f.destinationMAC == macs[f.address], "FIN-ACK to \(f.address) at \(f.destinationMAC)")
        }
    }

    @Test("arp and nd results equal the lab's truth; a dry run says what is on-link and sends nothing")
    func arpAndND() throws {
        let lab = try LANLab()
        defer { lab.down() }
        let arp = try lab.xmap([
            "-4", "-M", "arp", "-R", "5000", "-c", "1", "-q", "-f", "saddr,smac",
            lab["LAN_TARGETS4"]
        ])
        #expect(arp.status == 0, "stderr: \(arp.stderr)")
        #expect(Self.rows(arp.stdout).sorted() == (try lab.truth("lan_arp4.txt")))
        let nd = try lab.xmap([
            "-6", "-x", "128", "-M", "nd", "-R", "5000", "-c", "1", "-q", "-f", "saddr,smac",
            lab["LAN_TARGETS6"]
        ])
        #expect(nd.status == 0, "stderr: \(nd.stderr)")
        #expect(Self.rows(nd.stdout).sorted() == (try lab.truth("lan_nd6.txt")).sorted())
        // The other fields: every result a success; h5's MAC is a vendor's; the gateway is a router.
        let fields = try lab.xmap([
            "-6", "-x", "128", "-M", "nd", "-R", "5000", "-c", "1", "-q",
            "-f", "saddr,smac_local,router,clas,success", lab["LAN_TARGETS6"]
        ])
        let rows = Set(Self.rows(fields.stdout))
        #expect(rows.contains("2001:db8:0:1::15,0,0,advert,1") && rows.contains("2001:db8:0:1::fe,1,1,advert,1"))
        // A dry run: one line about the on-link targets, and no frame of ARP or TCP on the wire.
        let capture = try lab.startCapture("dryrun")
        let dry = try lab.xmap([
            "-4", "-M", "tcp_syn", "-p", "80", "-d", "-R", "5000", lab["LAN_TARGETS4"],
            lab["LAN_ROUTED4"]
        ])
        let frames = try capture.stop()
        #expect(dry.status == 0)
        let line = "[INFO] onlink: 256 targets are on the link of eth0 (192.0.2.0/24)"
        #expect(dry.stderrLines.filter { $0.contains(line) }.count == 1, "\(dry.stderr)")
        #expect(frames.filter { $0.etherType == "0806" || $0.proto == "6" }.isEmpty, "a dry run sent \(frames)")
    }

    @Test(
        "rtt_us of the delayed host is within 10% of its added delay (sequence stamp and echoed timestamp)",
        arguments: [["-4"], ["-6", "-x", "128", "--probe-args=linux"]])
    func roundTrip(_ args: [String]) throws {
        let lab = try LANLab(delayMilliseconds: 200)
        defer { lab.down() }
        let v4 = args[0] == "-4"
        let delayed = lab[v4 ? "LAN_DELAYED4" : "LAN_DELAYED6"]
        let near = v4 ? "192.0.2.11" : "2001:db8:0:1::11"
        // Three probes per host, the fastest answer counts: a busy machine can only add delay.
        let r = try lab.xmap(
            args + [
                "-M", "tcp_syn", "-p", "80", "--probes", "3", "-R", "1000", "-c", "2", "-q",
                "-F", "success = 1", "-f", "saddr,rtt_us", delayed, near,
                v4 ? "198.51.100.5" : "2001:db8:1::5"
            ])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        var rtt: [String: Double] = [:]
        for row in Self.rows(r.stdout) {
            let cells = row.split(separator: ",")
            guard cells.count == 2, let us = Double(cells[1]) else { continue }
            rtt[String(cells[0])] = min(rtt[String(cells[0])] ?? us, us)
        }
        #expect(rtt.count == 3, "answers from each of three hosts: \(r.stdout)")
        let delay = Double(lab["LAN_DELAY_MS"])! * 1000
        let measured = try #require(rtt[delayed], "no rtt_us for \(delayed): \(r.stdout)")
        let error = abs(measured - delay) / delay
        print(
            "rtt_us \(args.joined(separator: " ")): \(delayed) \(Int(measured)) µs for a \(Int(delay)) µs delay "
                + "(\(String(format: "%.2f", error * 100))% off); \(near) \(rtt[near].map { Int($0) } ?? -1) µs")
        #expect(error < 0.10, "rtt_us \(measured) for a \(delay) µs delay")
        #expect((rtt[near] ?? .infinity) < delay * 0.10, "an undelayed host: \(rtt[near] ?? -1) µs")
    }

    @Test("fingerprints of the Linux responder are identical across scans and change with its TCP settings")
    func fingerprints() throws {
        let lab = try LANLab()
        defer { lab.down() }
        func scan() throws -> [String: String] {
            let r = try lab.xmap([
                "-4", "-M", "tcp_syn", "-p", "80", "--probe-args=linux", "-R", "5000", "-c", "1",
                "-q", "-f", "saddr,fingerprint", lab["LAN_ROUTED4"]
            ])
            #expect(r.status == 0, "stderr: \(r.stderr)")
            var out: [String: String] = [:]
            for row in Self.rows(r.stdout) {
                let cells = row.split(separator: ",", maxSplits: 1)
                out[String(cells[0])] = String(cells[1])
            }
            return out
        }
        let first = try scan(), second = try scan()
        #expect(first.count == 68 && first == second)
        #expect(Set(first.values).count == 1, "one responder, one fingerprint: \(Set(first.values))")
        let fingerprint = first.values.first ?? ""
        #expect(fingerprint.contains(":mss,sok,ts,nop,ws:"), "\(fingerprint)")
        let off = try lab.run(in: lab["LAN_NET"], "echo 0 > /proc/sys/net/ipv4/tcp_window_scaling")
        #expect(off.status == 0, "\(off.stderr)")
        let third = try scan()
        #expect(third.count == 68)
        #expect(Set(third.values).count == 1 && third.values.first != fingerprint, "\(Set(third.values))")
        #expect(third.values.first?.contains(",*:mss,sok,ts:") == true, "no window scale: \(third.values.first ?? "")")
        print("fingerprint: \(fingerprint); with tcp_window_scaling=0: \(third.values.first ?? "")")
    }
}
