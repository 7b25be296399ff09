import XMapCore

/// XMap's names for ICMP and ICMPv6 types and codes (the `clas`, `desc` and `icmp_str` fields)
/// and its `--probe-args=icmp-type-code-str` table.
public enum ICMPStrings {
    /// Per type: its name and the names of its codes 0...n (a code above n is "unknown").
    static let v4: [(name: String, codes: [String])] = {
        var t: [(name: String, codes: [String])] = [
            ("echoreply", ["no code"]), ("other", ["unknown"]), ("other", ["unknown"]),
            (
                "unreach",
                [
                    "net unreachable", "host unreachable", "protocol unreachable", "port unreachable",
                    "fragments required", "source route failed", "dst net unknown", "dst host unknown",
                    "src host isolated", "dst net admin prohibited", "dst host admin prohibited",
                    "dst net unreachable tos", "dst host unreachable tos", "communication admin prohibited",
                    "host precedence violation", "precedence cutoff"
                ]
            ),
            ("srcquench", ["no code"]),
            ("redirect", ["net redirect", "host redirect", "net redirect tos", "host redirect tos"]),
            ("althostaddr", ["alternate address"]), ("other", ["unknown"]), ("echo", ["no code"]),
            (
                "rtradvert",
                ["router advertisement normal"] + Array(repeating: "unknown", count: 15) + ["not route common traffic"]
            ),
            ("rtrsolicit", ["no code"]),
            ("timexceed", ["transit time exceeded", "fragment reassembly time exceeded"]),
            ("paramprob", ["error at pointer", "option required", "bad length"])
        ]
        for name in ["tstamp", "tstampreply", "info", "inforeply", "mask", "maskreply"] {
            t.append((name, ["no code"]))
        }
        for _ in 19...29 { t.append(("other", ["unknown"])) }
        for name in [
            "traceroute", "dataconverr", "mobile-redirect", "ipv6-whereareyou", "ipv6-iamhere", "mobile-reg",
            "mobile-regreply", "dns", "dnsreply", "skip"
        ] {
            t.append((name, ["no code"]))
        }
        t.append(
            (
                "photuris",
                [
                    "bad spi", "authentication failed", "decompression failed", "decryption failed",
                    "need authentication", "need authorization"
                ]
            ))
        return t
    }()

    static let v6: [(name: String, codes: [String])] = [
        ("other", ["unknown"]),
        (
            "unreach",
            [
                "no route to dst", "communication admin prohibited", "beyond src addr scope", "addr unreach",
                "port unreach", "src addr policy failed", "route rejected", "src routing header error",
                "too long headers"
            ]
        ),
        ("packetobig", ["no code"]),
        ("timexceed", ["transit time exceeded", "fragment reassembly time exceeded"]),
        (
            "paramprob",
            [
                "header field error", "unknown next header", "unknown ipv6 option",
                "incomplete ipv6 header chain in 1st fragement", "sr upper-layer header error",
                "unknown next header at intermediate node", "header-ext too big", "header-ext chain too big",
                "header-ext too many", "header-ext option too many", "option goo big"
            ]
        )
    ]

    static func types(_ family: IPFamily) -> [(name: String, codes: [String])] { family == .v4 ? v4 : v6 }

    /// The `clas` string of an ICMP type ("other" beyond the table).
    public static func typeName(_ type: UInt8, family: IPFamily) -> String {
        let t = types(family)
        return Int(type) < t.count ? t[Int(type)].name : "other"
    }

    /// The `desc` string of an ICMP type and code ("unknown" beyond the table).
    public static func codeName(type: UInt8, code: UInt8, family: IPFamily) -> String {
        let t = types(family)
        guard Int(type) < t.count, Int(code) < t[Int(type)].codes.count else { return "unknown" }
        return t[Int(type)].codes[Int(code)]
    }

    /// XMap's `--probe-args=icmp-type-code-str` table (printed on stderr).
    public static func table(family: IPFamily) -> String {
        let line = String(repeating: "-", count: 54) + "\n"
        let header =
            family == .v4
            ? ("icmp-type-str(code)", "icmp-code-str(code)")
            : ("icmpv6-type-str(code)", "icmpv6-code-str(code)")
        func pad(_ s: String) -> String { s.count >= 25 ? s : s + String(repeating: " ", count: 25 - s.count) }
        var out = line
        for (type, entry) in types(family).enumerated() {
            out += pad(header.0) + " " + header.1 + "\n" + line + "\(entry.name)(\(type))\n"
            for (code, name) in entry.codes.enumerated() { out += pad("") + " \(name)(\(code))\n" }
            out += line
        }
        return out
    }
}
