import Foundation
import Testing
import XMapTestSupport

extension LabScanTests {
    /// ZMap's modules and names against the lab: results equal the ground truth, and parsed
    /// fields equal what the target sent.
    @Suite("ZMap modules")
    struct ZMapModules {
        /// CSV rows (header dropped), split into cells.
        static func rows(_ csv: String) -> [[String]] {
            csv.split(separator: "\n").dropFirst().map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
        }

        @Test(
            "tcp_synscan with each OS layout: the lab's SYN-ACKs carry the options the SYN asked for, and tcpopt_* report them"
        )
        func synOptions() throws {
            let lab = try Lab()
            defer { lab.down() }
            let fields = "saddr,classification,tcpopt_mss,tcpopt_wscale,tcpopt_sack_perm,tcpopt_ts_val,tcpopt_ts_ecr"
            for (family, layouts) in [
                ("-4", ["windows", "linux", "bsd", "smallest-probes", ""]), ("-6", ["windows", "linux"])
            ] {
                let v6 = family == "-6"
                for layout in layouts {
                    let start = Int(Date().timeIntervalSince1970)
                    var args = [
                        family, "-x", v6 ? "128" : "32", "-M", "tcp_synscan", "-p", "80", "-R", "20000", "-c", "1",
                        "-q",
                        "-f", fields, lab[v6 ? "LAB_TARGETS6" : "LAB_TARGETS4"]
                    ]
                    if !layout.isEmpty { args.insert("--probe-args=\(layout)", at: 3) }
                    let r = try lab.xmap(args)
                    let end = Int(Date().timeIntervalSince1970)
                    #expect(r.status == 0, "\(r.stderr)")
                    let rows = Self.rows(r.stdout)
                    #expect(r.stdout.hasPrefix(fields + "\n"))
                    #expect(
                        rows.map { $0[0] }.sorted() == (try lab.truth(v6 ? "tcp80_6.txt" : "tcp80_4.txt")), "\(layout)")
                    // Linux answers with MSS (MTU 1500 less headers), and echoes the options it was offered.
                    let mss = v6 ? "1440" : "1460"
                    let sack = ["windows", "linux", "bsd"].contains(layout)
                    let timestamps = ["linux", "bsd"].contains(layout)
                    for row in rows {
                        #expect(row[1] == "synack" && row[2] == mss, "\(layout): \(row)")
                        #expect(row[4] == (sack ? "1" : ""), "\(layout): \(row)")
                        // Window scale: a power of two when offered, absent otherwise.
                        if layout.isEmpty || layout == "smallest-probes" {
                            #expect(row[3] == "", "\(layout): \(row)")
                        } else {
                            let ws = UInt64(row[3]) ?? 0
                            #expect(ws > 0 && ws & (ws - 1) == 0, "\(layout): \(row)")
                        }
                        if timestamps {
                            // The echoed TSecr is our TSval: the scan's start time in seconds.
                            let ecr = Int(row[6]) ?? 0
                            #expect((start...end).contains(ecr) && !row[5].isEmpty, "\(layout): \(row)")
                        } else {
                            #expect(row[5] == "" && row[6] == "", "\(layout): \(row)")
                        }
                    }
                }
            }
        }

        @Test("tcp_synackscan: every live host answers the unsolicited SYN-ACK with a RST, on open and closed ports")
        func synack() throws {
            let lab = try Lab()
            defer { lab.down() }
            for (family, port) in [("-4", "80"), ("-4", "81"), ("-6", "443")] {
                let v6 = family == "-6"
                let r = try lab.xmap([
                    family, "-x", v6 ? "128" : "32", "-M", "tcp_synackscan", "-p", port, "-R", "20000", "-c", "1",
                    "-q", "-f", "saddr,classification,success,sport", lab[v6 ? "LAB_TARGETS6" : "LAB_TARGETS4"]
                ])
                #expect(r.status == 0, "\(r.stderr)")
                let rows = Self.rows(r.stdout)
                #expect(rows.map { $0[0] }.sorted() == (try lab.truth(v6 ? "live6.txt" : "live4.txt")))
                #expect(rows.allSatisfy { $0[1...] == ["rst", "1", port] }, "\(rows.prefix(3))")
            }
        }

        @Test(
            "icmp_echo_time: every live host, with a round-trip time from the echoed timestamp", arguments: ["-4", "-6"]
        )
        func echoTime(_ family: String) throws {
            let lab = try Lab()
            defer { lab.down() }
            let v6 = family == "-6"
            let r = try lab.xmap([
                family, "-x", v6 ? "128" : "32", "-M", "icmp_echo_time", "-R", "20000", "-c", "1", "-q", "-O", "json",
                "-f", "saddr,classification,success,sent_timestamp_ts,recv_timestamp_ts,rtt_us,dst_raw",
                lab[v6 ? "LAB_TARGETS6" : "LAB_TARGETS4"]
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let rs = try r.stdout.split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
            #expect(
                rs.compactMap { $0["saddr"] as? String }.sorted() == (try lab.truth(v6 ? "live6.txt" : "live4.txt")))
            for res in rs {
                #expect(res["classification"] as? String == "echoreply" && res["success"] as? Int == 1)
                let rtt = try #require(res["rtt_us"] as? Int, "\(res)")
                #expect(rtt >= 0 && rtt < 2_000_000, "\(res)")
                let sent = try #require(res["sent_timestamp_ts"] as? Int),
                    recv = try #require(res["recv_timestamp_ts"] as? Int)
                #expect(recv - sent <= 2)
                // dst_raw is the address the probe went to.
                let addr = try #require(res["saddr"] as? String)
                if v6 {
                    var buf = [UInt8](repeating: 0, count: 16)
                    _ = inet_pton(AF_INET6, addr, &buf)
                    #expect(res["dst_raw"] as? String == buf.map { String(format: "%02x", $0) }.joined())
                } else {
                    var a = in_addr()
                    _ = inet_pton(AF_INET, addr, &a)
                    #expect(res["dst_raw"] as? Int == Int(a.s_addr))
                }
            }
        }
    }
}

extension LabScanTests.ZMapModules {
    /// The lab's services log: per port, per address, the fields the reply carried.
    static func sent(_ lab: Lab) throws -> [Int: [String: [String: String]]] {
        let text = try String(contentsOfFile: lab["LAB_DIR"] + "/services.log", encoding: .utf8)
        var out: [Int: [String: [String: String]]] = [:]
        for line in text.split(separator: "\n") {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let port = try #require(o["port"] as? Int), addr = try #require(o["addr"] as? String)
            out[port, default: [:]][addr] = try #require(o["fields"] as? [String: String])
        }
        return out
    }

    /// Runs a CSV scan and returns its rows keyed by `saddr` (the first field), each a map from
    /// field name to cell.
    static func scan(
        _ lab: Lab, _ family: String, _ module: [String], fields: [String]
    ) throws -> [String: [String: String]] {
        let v6 = family == "-6"
        let r = try lab.xmap(
            [family, "-x", v6 ? "128" : "32"] + module + [
                "-R", "20000", "-c", "1", "-q", "-F", "",
                "-f", (["saddr"] + fields).joined(separator: ","), lab[v6 ? "LAB_TARGETS6" : "LAB_TARGETS4"]
            ])
        #expect(r.status == 0, "\(r.stderr)")
        var out: [String: [String: String]] = [:]
        for line in r.stdout.split(separator: "\n").dropFirst() {
            let cells = try CSVLine.split(String(line))
            #expect(cells.count == fields.count + 1, "\(line)")
            #expect(out[cells[0]] == nil, "duplicate result for \(cells[0])")
            out[cells[0]] = Dictionary(uniqueKeysWithValues: zip(fields, cells.dropFirst()))
        }
        return out
    }

    @Test(
        "ntp, upnp and bacnet over IPv4 and IPv6: every live address answers, and each parsed field is what the responder sent"
    )
    func udpServices() throws {
        let lab = try Lab()
        defer { lab.down() }
        let ntpFields = [
            "LI_VN_MODE", "stratum", "poll", "precision", "root_delay", "root_dispersion",
            "reference_clock_identifier", "reference_timestamp", "originate_timestamp", "receive_timestamp",
            "transmit_timestamp"
        ]
        let upnpFields = ["server", "location", "usn", "st", "ext", "cache_control", "date"]
        for family in ["-4", "-6"] {
            let truth = try lab.truth(family == "-4" ? "live4.txt" : "live6.txt")
            let ntp = try Self.scan(
                lab, family, ["-M", "ntp", "-p", "123"], fields: ["classification", "success", "sport"] + ntpFields)
            let upnp = try Self.scan(
                lab, family, ["-M", "upnp", "-p", "1900"], fields: ["classification", "success"] + upnpFields)
            let bacnet = try Self.scan(
                lab, family, ["-M", "bacnet", "-p", "47808"], fields: ["classification", "success", "udp_payload"])
            let sent = try Self.sent(lab)
            for (name, results, port, fields, clas) in [
                ("ntp", ntp, 123, ntpFields, "ntp"), ("upnp", upnp, 1900, upnpFields, "upnp"),
                ("bacnet", bacnet, 47808, ["udp_payload"], "bacnet")
            ] {
                #expect(results.keys.sorted() == truth, "\(name) \(family)")
                for (addr, row) in results {
                    #expect(row["classification"] == clas && row["success"] == "1", "\(name) \(addr): \(row)")
                    let replied = try #require(sent[port]?[addr], "\(name): no reply logged for \(addr)")
                    for f in fields {
                        #expect(row[f] == replied[f], "\(name) \(addr) \(f): \(row[f] ?? "-") vs \(replied[f] ?? "-")")
                    }
                }
            }
        }
    }

    @Test("ipip: hosts that decapsulate send the inner datagram back, the others answer protocol unreachable")
    func ipip() throws {
        let lab = try Lab()
        defer { lab.down() }
        let rows = try Self.scan(
            lab, "-4", ["-M", "ipip", "-p", "80", "--probe-args=text:xmap-ipip"],
            fields: ["classification", "success", "sport", "dport", "icmp_unreach_str", "data"])
        let decap = rows.filter { $0.value["classification"] == "udp" }
        let unreach = rows.filter { $0.value["classification"] == "icmp-unreach" }
        #expect(decap.keys.sorted() == (try lab.truth("ipip4_decap.txt")))
        #expect(unreach.keys.sorted() == (try lab.truth("ipip4_unreach.txt")))
        #expect(decap.count + unreach.count == rows.count && rows.count == 68)
        let payload = Array("xmap-ipip".utf8).map { String(format: "%02x", $0) }.joined()
        #expect(decap.values.allSatisfy { $0["success"] == "1" && $0["dport"] == "80" && $0["data"] == payload })
        #expect(unreach.values.allSatisfy { $0["success"] == "0" && $0["icmp_unreach_str"] == "protocol unreachable" })
    }
}

extension LabScanTests.ZMapModules {
    @Test("examples/udp-probes: the DNS, NTP and SNMP payloads get real answers (BIND, the lab's NTP, Debian's snmpd)")
    func payloadLibrary() throws {
        let lab = try Lab()
        defer { lab.down() }
        try #require(!lab["LAB_SNMP"].isEmpty, "the lab has no SNMP agent (install snmpd)")
        try #require(!lab["LAB_DNS"].isEmpty, "the lab has no DNS server (install bind9)")
        let dir = Subprocess.packageRoot + "/examples/udp-probes"
        let rows = try Self.scanRows(
            lab, "-4", ["-M", "udp", "-p", "53,123,161", "--probe-args=dir:\(dir)"],
            fields: ["sport", "classification", "data"], filter: "classification = udp")
        func answered(_ port: String) -> [String: String] {
            Dictionary(uniqueKeysWithValues: rows.filter { $0[1] == port }.map { ($0[0], $0[3]) })
        }
        let live = try lab.truth("live4.txt")
        // SNMP: a GetResponse (0xa2) for sysDescr.0 with the agent's description, to our request ID.
        let snmp = answered("161")
        #expect(snmp.keys.sorted() == live)
        let descr = Array("xmaplab snmpd".utf8).map { String(format: "%02x", $0) }.joined()
        let request = try #require(FileManager.default.contents(atPath: dir + "/161.pkt")).map {
            String(format: "%02x", $0)
        }.joined()
        // The request ID: the first INTEGER after the GetRequest tag (a0 LEN 02 LEN ID).
        let pdu = try #require(request.range(of: "a0"))
        let idLength =
            Int(
                request[request.index(pdu.upperBound, offsetBy: 4)..<request.index(pdu.upperBound, offsetBy: 6)],
                radix: 16) ?? 0
        let requestID = String(
            request[
                request.index(pdu.upperBound, offsetBy: 2)..<request.index(pdu.upperBound, offsetBy: 6 + 2 * idLength)])
        for (addr, data) in snmp {
            #expect(data.contains("a2") && data.hasSuffix(descr), "\(addr): \(data)")
            // OID 1.3.6.1.2.1.1.1.0
            #expect(data.contains("06082b06010201010100"), "\(addr): no sysDescr.0 in \(data)")
            #expect(data.contains(requestID), "\(addr): not our request ID in \(data)")
        }
        // DNS: every address BIND serves answers (a response, QR set, to our ID); the others are closed.
        let dns = answered("53")
        let servers = try ["noerror", "refused", "nxdomain"].flatMap { try lab.truth("dns4_\($0).txt") }.sorted()
        #expect(dns.keys.sorted() == servers)
        let id = try #require(FileManager.default.contents(atPath: dir + "/53.pkt")).prefix(2).map {
            String(format: "%02x", $0)
        }.joined()
        #expect(
            dns.values.allSatisfy { $0.hasPrefix(id) && (UInt8($0.dropFirst(4).prefix(2), radix: 16) ?? 0) & 0x80 != 0 }
        )
        // NTP: a server reply (mode 4) from every live address.
        let ntp = answered("123")
        #expect(ntp.keys.sorted() == live)
        #expect(ntp.values.allSatisfy { $0.count == 96 && (UInt8($0.prefix(2), radix: 16) ?? 0) & 7 == 4 })
    }

    /// Rows of a CSV scan (saddr first), with an output filter.
    static func scanRows(
        _ lab: Lab, _ family: String, _ module: [String], fields: [String], filter: String
    ) throws -> [[String]] {
        let v6 = family == "-6"
        let r = try lab.xmap(
            [family, "-x", v6 ? "128" : "32"] + module + [
                "-R", "20000", "-c", "1", "-q", "-F", filter,
                "-f", (["saddr"] + fields).joined(separator: ","), lab[v6 ? "LAB_TARGETS6" : "LAB_TARGETS4"]
            ])
        #expect(r.status == 0, "\(r.stderr)")
        return try r.stdout.split(separator: "\n").dropFirst().map { try CSVLine.split(String($0)) }
    }
}
