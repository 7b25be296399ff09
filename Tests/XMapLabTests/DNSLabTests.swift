import Foundation
import Testing
import XMapTestSupport

extension LabScanTests {
    /// The DNS modules against a real DNS server (BIND) in the lab: every address answers as the
    /// lab's ground truth says, and the parsed answers are what `dig` prints for the same question.
    @Suite("DNS")
    struct DNS {
        /// One JSON result per line.
        static func results(_ stdout: String) throws -> [[String: Any]] {
            try stdout.split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
        }

        /// The lab, with its DNS server.
        static func lab() throws -> Lab {
            let lab = try Lab()
            try #require(!lab["LAB_DNS"].isEmpty, "the lab has no DNS server (bind9 and bind9-utils must be installed)")
            return lab
        }

        /// Addresses of results whose `key` is `value`.
        static func addresses(_ rs: [[String: Any]], where key: String, is value: Int) -> [String] {
            rs.filter { ($0[key] as? Int) == value }.compactMap { $0["saddr"] as? String }.sorted()
        }

        struct Case: CustomTestStringConvertible, Sendable {
            let family: Int
            let module: String
            var testDescription: String { "\(module) over IPv\(family)" }
        }

        static let scans = [
            Case(family: 4, module: "dns"), Case(family: 4, module: "dnsx"), Case(family: 4, module: "dnsa"),
            Case(family: 6, module: "dnsx"), Case(family: 6, module: "dnsa")
        ]

        @Test(
            "every address answers as the ground truth says: NOERROR, REFUSED, NXDOMAIN or ICMP unreachable",
            arguments: scans)
        func groundTruth(_ c: Case) throws {
            let lab = try Self.lab()
            defer { lab.down() }
            let v6 = c.family == 6
            let question = v6 ? "AAAA,www.example.test" : "A,www.example.test"
            let args = c.module == "dns" ? question : "raw:recurse:text:\(question)"
            var command = [
                "-\(c.family)", "-M", c.module, "-O", "json", "-p", "53", "-R", "5000", "-c", "2", "-q", "-F", "",
                "-f", "saddr,clas,success,app_success,dns_rcode,dns_answers", "--probe-args=\(args)",
                lab[v6 ? "LAB_TARGETS6" : "LAB_TARGETS4"]
            ]
            if v6 { command.insert(contentsOf: ["-x", "128"], at: 1) }
            let r = try lab.xmap(command)
            #expect(r.status == 0, "\(r.stderr)")
            let rs = try Self.results(r.stdout)
            let f = "dns\(c.family)_"
            #expect(Self.addresses(rs, where: "dns_rcode", is: 0) == (try lab.truth(f + "noerror.txt")))
            #expect(Self.addresses(rs, where: "dns_rcode", is: 5) == (try lab.truth(f + "refused.txt")))
            #expect(Self.addresses(rs, where: "dns_rcode", is: 3) == (try lab.truth(f + "nxdomain.txt")))
            let unreachable = rs.filter { $0["clas"] as? String == "unreach" }.compactMap { $0["saddr"] as? String }
                .sorted()
            #expect(unreachable == (try lab.truth(f + "unreach.txt")))
            #expect(rs.count == unreachable.count + 64)
            // Each NOERROR answer holds the zone's record.
            for result in rs where result["dns_rcode"] as? Int == 0 {
                let answers = result["dns_answers"] as? [[String: Any]] ?? []
                #expect(answers.map { $0["rdata"] as? String } == [v6 ? "2001:db8::80" : "192.0.2.80"], "\(result)")
                #expect(result["app_success"] as? Bool == true)
            }
        }

        /// `dig`'s answer section for a question, as (owner, TTL, type, RDATA) with final dots
        /// removed from names (xmap prints names without them).
        static func dig(
            _ lab: Lab, server: String, _ name: String, _ type: String, dnssec: Bool = false
        ) throws -> [[String]] {
            let r = try lab.inScan(
                "dig +norecurse +time=2 +tries=2 +noall +answer \(dnssec ? "+dnssec" : "") @\(server) \(name) \(type)")
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.split(separator: "\n").map { line in
                // owner TTL class type rdata...
                let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).map(String.init)
                let rdata = fields.dropFirst(4).map {
                    $0.hasSuffix(".") && !$0.hasPrefix("\"") ? String($0.dropLast()) : $0
                }
                return [String(fields[0].dropLast()), fields[1], fields[3], rdata.joined(separator: " ")]
            }
        }

        /// The answer section of an xmap result, in the same form; TXT as dig quotes it, base64
        /// and hex without dig's line breaks.
        static func answers(_ result: [String: Any]) -> [[String]] {
            (result["dns_answers"] as? [[String: Any]] ?? []).map { a in
                let type = a["type_str"] as? String ?? ""
                var rdata = a["rdata"] as? String ?? ""
                if type == "TXT", let strings = (a["rdata_fields"] as? [String: Any])?["strings"] as? [String] {
                    rdata = strings.map { "\"\($0)\"" }.joined(separator: " ")
                }
                return [a["name"] as? String ?? "", String(a["ttl"] as? Int ?? -1), type, rdata]
            }
        }

        /// dig splits long base64 and hex into words; compare them joined.
        static func normalized(_ rows: [[String]]) -> [[String]] {
            let joined: [[String]] = rows.map { (r: [String]) -> [String] in
                guard r[2] == "RRSIG" || r[2] == "DNSKEY" || r[2] == "DS" else { return r }
                let words: [String] = r[3].split(separator: " ").map(String.init)
                let fixed = r[2] == "RRSIG" ? 8 : 3
                let head: [String] = Array(words.prefix(fixed))
                let tail: String = words.dropFirst(fixed).joined()
                return [r[0], r[1], r[2], (head + [tail]).joined(separator: " ")]
            }
            return joined.sorted { $0.joined() < $1.joined() }
        }

        @Test("dnsa with eight questions (-P 8): each parsed answer equals what dig prints", arguments: [4, 6])
        func answersEqualDig(_ family: Int) throws {
            let lab = try Self.lab()
            defer { lab.down() }
            let questions = [
                ("www.example.test", "A"), ("www.example.test", "AAAA"), ("multi.example.test", "TXT"),
                ("example.test", "MX"), ("example.test", "NS"), ("example.test", "SOA"),
                ("_sip._udp.example.test", "SRV"), ("example.test", "CAA")
            ]
            let spec = questions.map { "\($0.1),\($0.0)" }.joined(separator: ";")
            let target = family == 4 ? "198.51.100.9" : "2001:db8:1::9"
            var command = [
                "-\(family)", "-M", "dnsa", "-O", "json", "-p", "53", "-R", "1000", "-c", "1", "-q", "-P", "8",
                "-f", "saddr,dns_questions,dns_answers", "--probe-args=raw:recurse:text:\(spec)", target
            ]
            if family == 6 { command.insert(contentsOf: ["-x", "128"], at: 1) }
            let r = try lab.xmap(command)
            #expect(r.status == 0, "\(r.stderr)")
            let rs = try Self.results(r.stdout)
            #expect(rs.count == questions.count)
            for (name, type) in questions {
                let result = try #require(
                    rs.first { r in
                        let q = (r["dns_questions"] as? [[String: Any]])?.first
                        return q?["name"] as? String == name && q?["qtype_str"] as? String == type
                    }, "no result for \(type) \(name)")
                let expected = try Self.dig(lab, server: target, name, type)
                #expect(!expected.isEmpty)
                #expect(Self.normalized(Self.answers(result)) == Self.normalized(expected), "\(type) \(name)")
            }
        }

        @Test("dnss: the DO bit brings RRSIGs, decoded as dig prints them")
        func dnssec() throws {
            let lab = try Self.lab()
            defer { lab.down() }
            let r = try lab.xmap([
                "-4", "-M", "dnss", "-O", "json", "-p", "53", "-R", "1000", "-c", "1", "-q", "-f", "saddr,dns_answers",
                "--probe-args=raw:no-recurse:text:A,www.example.test", "198.51.100.0/27"
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let rs = try Self.results(r.stdout)
            #expect(rs.map { $0["saddr"] as? String ?? "" }.sorted() == (try lab.truth("dns4_noerror.txt")))
            let expected = Self.normalized(
                try Self.dig(lab, server: "198.51.100.3", "www.example.test", "A", dnssec: true))
            #expect(expected.contains { $0[2] == "RRSIG" })
            for result in rs { #expect(Self.normalized(Self.answers(result)) == expected) }
        }

        @Test("dnsv: version.bind in class CHAOS from every DNS address")
        func version() throws {
            let lab = try Self.lab()
            defer { lab.down() }
            let r = try lab.xmap([
                "-4", "-M", "dnsv", "-O", "json", "-p", "53", "-R", "5000", "-c", "2", "-q", "-f", "saddr,dns_answers",
                "--probe-args=raw:no-recurse:text:TXT,version.bind", lab["LAB_TARGETS4"]
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let rs = try Self.results(r.stdout)
            let dnsAddresses = try
                (lab.truth("dns4_noerror.txt") + lab.truth("dns4_refused.txt") + lab.truth("dns4_nxdomain.txt"))
                .sorted()
            #expect(rs.compactMap { $0["saddr"] as? String }.sorted() == dnsAddresses)
            for result in rs {
                #expect(Self.answers(result) == [["version.bind", "0", "TXT", "\"xmap-lab\""]])
                #expect((result["dns_answers"] as? [[String: Any]])?.first?["class"] as? Int == 3)
            }
        }

        @Test("dnsr: a referral is followed by a non-recursive NS query, once per resolver")
        func referrals() throws {
            let lab = try Self.lab()
            defer { lab.down() }
            let meta = lab["LAB_DIR"] + "/dnsr-meta.json"
            let r = try lab.xmap([
                "-4", "-M", "dnsr", "-O", "json", "-p", "53", "-R", "5000", "-c", "2", "-q", "-F", "",
                "-f", "saddr,dns_rcode,app_success,repeat,dns_questions,dns_authorities", "-m", meta,
                "--probe-args=raw:recurse:text:A,host.sub.example.test", "198.51.100.0/26"
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let rs = try Self.results(r.stdout)
            func asked(_ type: String) -> [[String: Any]] {
                rs.filter { (($0["dns_questions"] as? [[String: Any]])?.first?["qtype_str"] as? String) == type }
            }
            let noerror = try lab.truth("dns4_noerror.txt")
            // The referral (A question), then the answer to the NS query, from each authoritative address.
            #expect(Self.addresses(asked("A"), where: "dns_rcode", is: 0) == noerror)
            #expect(Self.addresses(asked("NS"), where: "dns_rcode", is: 0) == noerror)
            for result in asked("NS") + asked("A") where result["dns_rcode"] as? Int == 0 {
                let ns = (result["dns_authorities"] as? [[String: Any]])?.compactMap { $0["rdata"] as? String }
                #expect(ns == ["ns.sub.example.test"])
            }
            #expect(Self.addresses(rs, where: "dns_rcode", is: 5) == (try lab.truth("dns4_refused.txt")))
            let nx = rs.filter { $0["dns_rcode"] as? Int == 3 }
            #expect(nx.compactMap { $0["saddr"] as? String }.sorted() == (try lab.truth("dns4_nxdomain.txt")))
            #expect(nx.allSatisfy { $0["app_success"] as? Bool == true })  // NXDOMAIN counts for dnsr
            let metadata = try String(contentsOfFile: meta, encoding: .utf8)
            #expect(metadata.contains("\"validation_again\": \(noerror.count),"), "\(metadata)")
        }

        @Test("spoofed modules: each scanned address is the source of a query to the -S resolver", arguments: [4, 6])
        func spoofed(_ family: Int) throws {
            let lab = try Self.lab()
            defer { lab.down() }
            let targets = family == 4 ? "203.0.113.0/28" : "2001:db8:3::/124"
            var command = [
                "-\(family)", "-M", family == 4 ? "dnsf" : "dnsaf", "-O", "json", "-p", "53", "-R", "1000", "-c", "1",
                "-S", lab[family == 4 ? "LAB_DNS_SERVER4" : "LAB_DNS_SERVER6"],
                "--probe-args=raw:recurse:text:A,www.example.test", targets
            ]
            if family == 6 { command.insert(contentsOf: ["-x", "128"], at: 1) }
            let r = try lab.xmap(command)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("[WARN]") && r.stderr.contains("spoofed source"))
            #expect(r.stdout.isEmpty)  // the answers go to the scanned addresses
            // BIND's query log names each client: the scanned addresses.
            let log = try String(contentsOfFile: lab["LAB_DIR"] + "/dns-queries.log", encoding: .utf8)
            let clients = Set(
                log.split(separator: "\n").compactMap { line -> String? in
                    guard line.contains("query: www.example.test IN A"),
                        let at = line.split(separator: " ").dropFirst(2).first,
                        let hash = at.lastIndex(of: "#")
                    else { return nil }
                    return String(at[..<hash])
                })
            let expected: [String] =
                family == 4
                ? (0..<16).map { "203.0.113.\($0)" } : (0..<16).map { "2001:db8:3::" + String($0, radix: 16) }
            #expect(clients == Set(expected.map { $0 == "2001:db8:3::0" ? "2001:db8:3::" : $0 }), "\(log)")
        }
    }
}
