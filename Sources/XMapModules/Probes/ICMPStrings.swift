import XMapCore

/// XMap's names for ICMP and ICMPv6 types and codes (the `clas` and `desc` fields).
public enum ICMPStrings {
    static let v4Types = ["echoreply", "other", "other", "unreach", "srcquench", "redirect", "althostaddr", "other",
                          "echo", "rtradvert", "rtrsolicit", "timexceed", "paramprob", "tstamp", "tstampreply",
                          "info", "inforeply", "mask", "maskreply"] + Array(repeating: "other", count: 11)
        + ["traceroute", "dataconverr", "mobile-redirect", "ipv6-whereareyou", "ipv6-iamhere", "mobile-reg",
           "mobile-regreply", "dns", "dnsreply", "skip", "photuris"]
    static let v6Types = ["other", "unreach", "packetobig", "timexceed", "paramprob"]

    static let v4Unreach = ["net unreachable", "host unreachable", "protocol unreachable", "port unreachable",
                            "fragments required", "source route failed", "dst net unknown", "dst host unknown",
                            "src host isolated", "dst net admin prohibited", "dst host admin prohibited",
                            "dst net unreachable tos", "dst host unreachable tos", "communication admin prohibited",
                            "host precedence violation", "precedence cutoff"]
    static let v4Redirect = ["net redirect", "host redirect", "net redirect tos", "host redirect tos"]
    static let timeExceeded = ["transit time exceeded", "fragment reassembly time exceeded"]
    static let v4ParamProb = ["error at pointer", "option required", "bad length"]
    static let photuris = ["bad spi", "authentication failed", "decompression failed", "decryption failed",
                           "need authentication", "need authorization"]
    static let v6Unreach = ["no route to dst", "communication admin prohibited", "beyond src addr scope", "addr unreach",
                            "port unreach", "src addr policy failed", "route rejected", "src routing header error",
                            "too long headers"]
    static let v6ParamProb = ["header field error", "unknown next header", "unknown ipv6 option",
                              "incomplete ipv6 header chain in 1st fragement", "sr upper-layer header error",
                              "unknown next header at intermediate node", "header-ext too big",
                              "header-ext chain too big", "header-ext too many", "header-ext option too many",
                              "option goo big"]

    /// The `clas` string of an ICMP type.
    public static func typeName(_ type: UInt8, family: IPFamily) -> String {
        let table = family == .v4 ? v4Types : v6Types
        return Int(type) < table.count ? table[Int(type)] : "other"
    }

    /// The `desc` string of an ICMP type and code.
    public static func codeName(type: UInt8, code: UInt8, family: IPFamily) -> String {
        func pick(_ t: [String]) -> String { Int(code) < t.count ? t[Int(code)] : "unknown" }
        if family == .v4 {
            switch type {
            case 3: return pick(v4Unreach)
            case 5: return pick(v4Redirect)
            case 11: return pick(timeExceeded)
            case 12: return pick(v4ParamProb)
            case 9: return code == 0 ? "router advertisement normal" : code == 16 ? "not route common traffic" : "unknown"
            case 40: return pick(photuris)
            default: return "no code"
            }
        }
        switch type {
        case 1: return pick(v6Unreach)
        case 2: return "no code"
        case 3: return pick(timeExceeded)
        case 4: return pick(v6ParamProb)
        default: return "no code"
        }
    }

    /// The `--probe-args=icmp-type-code-str` table: every type with a name and its codes.
    public static func table(family: IPFamily) -> String {
        var out = "ICMP\(family == .v6 ? "v6" : "") type/code strings:\n"
        let types = family == .v4 ? v4Types.count : v6Types.count
        for type in 0..<types {
            let t = UInt8(type)
            let name = typeName(t, family: family)
            if name == "other" { continue }
            var code: UInt8 = 0
            repeat {
                let c = codeName(type: t, code: code, family: family)
                if c == "unknown" { break }
                out += "\(type)\t\(code)\t\(name)\t\(c)\n"
                code += 1
            } while code < 32 && codeName(type: t, code: 0, family: family) != "no code"
        }
        return out
    }
}
