import XMapCore
import XMapModules

/// Targets and allow/block list entries: addresses, prefixes, ranges, host names, `len-maxlen`,
/// and port lists. The first byte picks the family and max-len.
enum TargetSpecFuzzing {
    static let target = FuzzTarget(
        name: "targets",
        summary: "target specs, ranges, prefixes, ports and source-port ranges"
    ) { data in
        guard let first = data.first else { return }
        let family: IPFamily = first & 1 == 0 ? .v4 : .v6
        let maxLen = Int(first >> 1) % (family.bits + 1)
        let text = UnsafeRawBufferPointer(rebasing: data[1...]).text
        if let spec = try? TargetSpec.parse(text, family: family, maxLen: maxLen), case .range(let a, let b) = spec {
            // Interval building is linear in the range's prefixes; keep each input small.
            if b.value &- a.value < 1 << 16 { _ = TargetSpec.intervals(from: a, to: b, maxLen: max(1, maxLen)) }
        }
        _ = try? PortList.parse(text)
        _ = try? SourcePortRange.parse(text)
        _ = try? IPPrefix.parse(text, family: family, defaultLength: maxLen)
    } seeds: {
        [
            "\u{0}198.51.100.0/24", "\u{41}2001:db8::/32", "\u{40}198.51.100.10-198.51.100.20",
            "\u{41}2001:db8::/32-64",
            "\u{40}scan-target.example/24", "\u{40}80,443,8080-8081", "\u{40}32768-61000"
        ].map { Array($0.utf8) }
    }
}

/// Output filter expressions against a TCP record.
enum FilterFuzzing {
    static let schema = RecordSchema(family: .v4, moduleFields: TCPSynProbe.Field.self)

    static let target = FuzzTarget(name: "filter", summary: "the output filter language (-F)") { data in
        guard let filter = try? FilterExpression.parse(data.text, schema: schema) else { return }
        _ = filter.matches(Record(schema: schema))
    } seeds: {
        [
            "success = 1 && repeat = 0", "clas = synack || (ttl > 5 && sport != 80)", "(((success = 1)))",
            "ttl >= 0 || ttl <= 9"
        ].map { Array($0.utf8) }
    }
}

/// Config files (`-C`).
enum ConfigFuzzing {
    static let target = FuzzTarget(name: "config", summary: "XMap config file syntax (-C)") { data in
        _ = try? ConfigFileSyntax.arguments(in: Array(data), path: "fuzz.conf")
    } seeds: {
        ["# comment\nipv4\nprobe-module tcp_syn\ntarget-port = \"80\"  # trailing\nrate 0\n", "x 32\nnotes 'a b'\n"]
            .map { Array($0.utf8) }
    }
}

/// `-I` list lines; the first byte picks the family.
enum ListLineFuzzing {
    static let target = FuzzTarget(name: "list", summary: "-I address list lines") { data in
        guard let first = data.first else { return }
        _ = AddressListLine.parse(UnsafeRawBufferPointer(rebasing: data[1...]), family: first & 1 == 0 ? .v4 : .v6)
    } seeds: {
        ["\u{0}198.51.100.7", "\u{1}2001:db8::1 # x", "\u{0}  # only a comment", "\u{1}::ffff:198.51.100.7/128"]
            .map { Array($0.utf8) }
    }
}

/// `--user-metadata` JSON.
enum JSONFuzzing {
    static let target = FuzzTarget(name: "json", summary: "JSON documents (--user-metadata)") { data in
        if let v = try? JSONValue(parsing: data.text) { _ = v.text }
    } seeds: {
        ["{\"a\": [1, 2.5e3, true, null, \"x\\u00e9\\ud83d\\ude00\"]}", "[]", "\"s\"", "-0.1"].map { Array($0.utf8) }
    }
}

/// UDP payload templates: parsed, then filled for one packet.
enum TemplateFuzzing {
    static let target = FuzzTarget(
        name: "template",
        summary: "UDP payload templates (--probe-args=template:)"
    ) { data in
        guard let t = try? UDPPayloadTemplate(Array(data)) else { return }
        let length = t.maximumLength(family: .v6)
        guard length <= 1 << 16 else { return }
        let out = UnsafeMutableRawPointer.allocate(byteCount: max(1, length), alignment: 8)
        defer { out.deallocate() }
        var random = AESRandom(seed: 1)
        _ = t.write(
            into: out, family: .v6, source: 1, destination: 2, sourcePort: 3, destinationPort: 4,
            random: &random)
    } seeds: {
        ["${SADDR} ${DADDR_N} ${RAND_DIGIT=4}${RAND_BYTE=2}", "GET / HTTP/1.1\r\n${NOPE}\r\n"].map { Array($0.utf8) }
    }
}
