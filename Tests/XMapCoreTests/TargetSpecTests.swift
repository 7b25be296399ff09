import Testing
@testable import XMapCore

@Suite struct TargetSpecTests {
    private func prefix(_ text: String, _ length: Int) -> TargetSpec {
        .prefix(IPPrefix(address: IPAddress(text)!, length: length))
    }

    private func addr(_ text: String) -> IPAddress { IPAddress(text)! }

    /// Parsing fails with a one-line XMapError that quotes `token` and contains every `fragments`.
    private func expectError(
        _ token: String, family: IPFamily, maxLen: Int = 32, _ fragments: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            let spec = try TargetSpec.parse(token, family: family, maxLen: maxLen)
            Issue.record("'\(token)' parsed as \(spec)", sourceLocation: sourceLocation)
        } catch let e as XMapError {
            #expect(e.message.contains("'\(token)'"), "message: \(e.message)", sourceLocation: sourceLocation)
            #expect(!e.message.contains("\n") && !e.message.contains("\r"), sourceLocation: sourceLocation)
            for f in fragments {
                #expect(e.message.contains(f), "message: \(e.message)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    // MARK: accepted notations

    @Test func ipv4AddressesAndPrefixes() throws {
        #expect(try TargetSpec.parse("198.51.100.0/24", family: .v4, maxLen: 32) == prefix("198.51.100.0", 24))
        #expect(try TargetSpec.parse("198.51.100.7", family: .v4, maxLen: 32) == prefix("198.51.100.7", 32))
        #expect(try TargetSpec.parse("198.51.100.7", family: .v4, maxLen: 24) == prefix("198.51.100.7", 24))
        #expect(try TargetSpec.parse("198.51.100.7/32", family: .v4, maxLen: 8) == prefix("198.51.100.7", 32))
        #expect(try TargetSpec.parse("0.0.0.0/0", family: .v4, maxLen: 32) == prefix("0.0.0.0", 0))
        // A max-len beyond the family width is clamped.
        #expect(try TargetSpec.parse("198.51.100.7", family: .v4, maxLen: 64) == prefix("198.51.100.7", 32))
    }

    @Test func ipv6AddressesAndPrefixes() throws {
        #expect(try TargetSpec.parse("2001:db8::/32", family: .v6, maxLen: 64) == prefix("2001:db8::", 32))
        #expect(try TargetSpec.parse("2001:db8::1", family: .v6, maxLen: 32) == prefix("2001:db8::1", 32))
        #expect(try TargetSpec.parse("2001:db8::1", family: .v6, maxLen: 128) == prefix("2001:db8::1", 128))
        #expect(try TargetSpec.parse("2001:db8::1/128", family: .v6, maxLen: 32) == prefix("2001:db8::1", 128))
        #expect(try TargetSpec.parse("::/0", family: .v6, maxLen: 32) == prefix("::", 0))
        #expect(
            try TargetSpec.parse("::ffff:198.51.100.1", family: .v6, maxLen: 128) == prefix("::ffff:198.51.100.1", 128))
    }

    @Test func ranges() throws {
        #expect(
            try TargetSpec.parse("198.51.100.1-198.51.100.9", family: .v4, maxLen: 32)
                == .range(addr("198.51.100.1"), addr("198.51.100.9")))
        #expect(
            try TargetSpec.parse("198.51.100.1-198.51.100.1", family: .v4, maxLen: 32)
                == .range(addr("198.51.100.1"), addr("198.51.100.1")))
        #expect(
            try TargetSpec.parse("2001:db8::1-2001:db8::ff", family: .v6, maxLen: 128)
                == .range(addr("2001:db8::1"), addr("2001:db8::ff")))
        #expect(
            try TargetSpec.parse("2001:db8::-2001:db8:ffff::", family: .v6, maxLen: 32)
                == .range(addr("2001:db8::"), addr("2001:db8:ffff::")))
    }

    @Test func hostnames() throws {
        for family in [IPFamily.v4, .v6] {
            #expect(
                try TargetSpec.parse("example.com", family: family, maxLen: 32) == .hostname("example.com", length: nil)
            )
            #expect(
                try TargetSpec.parse("example.com/24", family: family, maxLen: 32)
                    == .hostname("example.com", length: 24))
            #expect(
                try TargetSpec.parse("example.com/0", family: family, maxLen: 32) == .hostname("example.com", length: 0)
            )
            #expect(
                try TargetSpec.parse("my-host.example", family: family, maxLen: 32)
                    == .hostname("my-host.example", length: nil))
            #expect(
                try TargetSpec.parse("a-b-c.x-y.example/16", family: family, maxLen: 32)
                    == .hostname("a-b-c.x-y.example", length: 16))
            #expect(
                try TargetSpec.parse("example.com.", family: family, maxLen: 32)
                    == .hostname("example.com.", length: nil))
            #expect(
                try TargetSpec.parse("example.com./20", family: family, maxLen: 32)
                    == .hostname("example.com.", length: 20))
            #expect(
                try TargetSpec.parse("localhost", family: family, maxLen: 32) == .hostname("localhost", length: nil))
            #expect(
                try TargetSpec.parse("1e100.net", family: family, maxLen: 32) == .hostname("1e100.net", length: nil))
            #expect(
                try TargetSpec.parse("host1.2.example", family: family, maxLen: 32)
                    == .hostname("host1.2.example", length: nil))
            #expect(
                try TargetSpec.parse("EXAMPLE.Com", family: family, maxLen: 32) == .hostname("EXAMPLE.Com", length: nil)
            )
        }
        #expect(try TargetSpec.parse("example.com/32", family: .v4, maxLen: 32) == .hostname("example.com", length: 32))
        #expect(
            try TargetSpec.parse("example.com/128", family: .v6, maxLen: 32) == .hostname("example.com", length: 128))
        // Length limits: 63-character labels, 253 characters in all.
        let label63 = String(repeating: "a", count: 63)
        #expect(
            try TargetSpec.parse("\(label63).example", family: .v4, maxLen: 32)
                == .hostname("\(label63).example", length: nil))
        let long =
            [String](repeating: label63, count: 3).joined(separator: ".") + "." + String(repeating: "b", count: 61)
        #expect(long.utf8.count == 253)
        #expect(try TargetSpec.parse(long, family: .v4, maxLen: 32) == .hostname(long, length: nil))
        #expect(try TargetSpec.parse(long + ".", family: .v4, maxLen: 32) == .hostname(long + ".", length: nil))
    }

    // MARK: rejected notations

    @Test func garbage() {
        for family in [IPFamily.v4, .v6] {
            for token in [
                "foo_bar", "foo bar", "", "-", "/", "/24", "*", "example..com", ".example.com", "..",
                ".", "-example.com", "example-.com", "a.-b.example", "b\u{FC}cher.example",
                "1.2.3.999", "1.2.3.4.5", "123", "0x7f000001", "0x7f.1", "1.2.3", "256.1.1.1",
                "01.2.3.4", "2001:db8::g", "2001:db8:::1", "fe80::1%eth0", "[2001:db8::1]",
                "1.2.3.4-1.2.3.5-1.2.3.6", "a.b-c-d.1"
            ] {
                expectError(token, family: family, token.isEmpty ? ["empty"] : [])
            }
        }
        expectError("foo_bar", family: .v4, ["invalid target 'foo_bar': not an address, prefix, range or hostname"])
    }

    @Test func hostnameLabelRules() {
        let label64 = String(repeating: "a", count: 64)
        expectError("\(label64).example", family: .v4)
        expectError("under_score.example", family: .v6)
        expectError("with space.example", family: .v4)
        expectError("empty..label", family: .v4)
        expectError("-leading.example", family: .v4)
        expectError("trailing-.example", family: .v4)
        expectError("example.com..", family: .v4)
        let label63 = String(repeating: "a", count: 63)
        let tooLong =
            [String](repeating: label63, count: 3).joined(separator: ".") + "." + String(repeating: "b", count: 62)
        #expect(tooLong.utf8.count == 254)
        expectError(tooLong, family: .v4)
    }

    @Test func badLengths() {
        expectError("198.51.100.0/33", family: .v4, ["'33'", "0-32"])
        expectError("198.51.100.0/-1", family: .v4, ["'-1'"])
        expectError("198.51.100.0/", family: .v4, ["''"])
        expectError("198.51.100.0/abc", family: .v4, ["'abc'"])
        expectError("198.51.100.0/24/8", family: .v4, ["'24/8'"])
        expectError("198.51.100.0/24-32", family: .v4, ["'24-32'"])
        expectError("2001:db8::/129", family: .v6, ["'129'", "0-128"])
        expectError("2001:db8::/+3", family: .v6, ["'+3'"])
        expectError("example.com/33", family: .v4, ["'33'", "0-32"])
        expectError("example.com/129", family: .v6, ["'129'", "0-128"])
        expectError("example.com/", family: .v6, ["''"])
        expectError("example.com/x", family: .v6, ["'x'"])
        expectError("example.com/99999999999999999999999", family: .v6, ["'99999999999999999999999'"])
        expectError("my-host.example/24-32", family: .v4, ["'24-32'"])
    }

    @Test func badRanges() {
        expectError(
            "198.51.100.9-198.51.100.1", family: .v4, ["invalid range '198.51.100.9-198.51.100.1': start is after end"])
        expectError("2001:db8::2-2001:db8::1", family: .v6, ["start is after end"])
        expectError("198.51.100.1-2001:db8::1", family: .v4, ["mixes IPv4 and IPv6"])
        expectError("2001:db8::1-198.51.100.1", family: .v6, ["mixes IPv6 and IPv4"])
        expectError("1.2.3.0/24-1.2.3.9", family: .v4, ["invalid range", "without /len"])
        expectError("1.2.3.0-1.2.3.9/32", family: .v4, ["invalid range"])
        expectError("2001:db8::/64-2001:db8::ff", family: .v6, ["invalid range"])
        expectError("1.2.3.4-", family: .v4, ["invalid range"])
        expectError("-1.2.3.4", family: .v4, ["invalid range"])
        expectError("1.2.3.4-foo.example", family: .v4, ["invalid range"])
        expectError("1.2.3.4-1.2.3.999", family: .v4, ["invalid range"])
    }

    @Test func otherFamily() {
        expectError("198.51.100.0/24", family: .v6, ["'198.51.100.0/24' is an IPv4 address, but this is an IPv6 scan"])
        expectError("198.51.100.7", family: .v6, ["is an IPv4 address"])
        expectError("2001:db8::/32", family: .v4, ["is an IPv6 address, but this is an IPv4 scan"])
        expectError("::ffff:198.51.100.1", family: .v4, ["is an IPv6 address"])
        expectError("198.51.100.1-198.51.100.9", family: .v6, ["is an IPv4 address range, but this is an IPv6 scan"])
        expectError("2001:db8::1-2001:db8::2", family: .v4, ["is an IPv6 address range, but this is an IPv4 scan"])
    }

    @Test func controlCharactersStayOnOneLine() throws {
        for token in ["example.com\n", "1.2.3.4\n", "1.2.3.4/2\n4", "a\rb", "x\u{2028}y", "\t", "198.51.100.1-\n"] {
            do {
                _ = try TargetSpec.parse(token, family: .v4, maxLen: 32)
                Issue.record("'\(token)' parsed")
            } catch let e as XMapError {
                #expect(!e.message.contains("\n") && !e.message.contains("\r") && !e.message.contains("\u{2028}"))
                #expect(e.message.contains("\\u{"))
            }
        }
    }

    // MARK: range intervals

    @Test func ipv4RangeIntervals() {
        #expect(
            TargetSpec.intervals(from: addr("198.51.100.1"), to: addr("198.51.100.9"), maxLen: 32)
                == 0xC633_6401...0xC633_6409)
        #expect(
            TargetSpec.intervals(from: addr("198.51.100.7"), to: addr("198.51.100.7"), maxLen: 32)
                == 0xC633_6407...0xC633_6407)
        #expect(
            TargetSpec.intervals(from: addr("0.0.0.0"), to: addr("255.255.255.255"), maxLen: 32)
                == 0...0xFFFF_FFFF)
        // Coarser max-len: every prefix touched by the range.
        #expect(
            TargetSpec.intervals(from: addr("198.51.100.250"), to: addr("198.51.102.3"), maxLen: 24)
                == 0xC6_3364...0xC6_3366)
        #expect(TargetSpec.intervals(from: addr("10.0.0.0"), to: addr("11.0.0.0"), maxLen: 0) == 0...0)
    }

    @Test func ipv6RangeIntervals() {
        // maxLen 64: the top 64 bits of each end.
        #expect(
            TargetSpec.intervals(from: addr("2001:db8::1"), to: addr("2001:db8::ffff"), maxLen: 64)
                == 0x2001_0DB8_0000_0000...0x2001_0DB8_0000_0000)
        #expect(
            TargetSpec.intervals(from: addr("2001:db8:0:1::"), to: addr("2001:db8:0:3:ffff::"), maxLen: 64)
                == 0x2001_0DB8_0000_0001...0x2001_0DB8_0000_0003)
        // maxLen 128: the addresses themselves.
        let a = addr("2001:db8::1"), b = addr("2001:db8::ff")
        #expect(TargetSpec.intervals(from: a, to: b, maxLen: 128) == a.value...b.value)
        #expect(
            TargetSpec.intervals(from: addr("::"), to: addr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), maxLen: 128)
                == 0...UInt128.max)
        #expect(TargetSpec.intervals(from: addr("::1"), to: addr("::2"), maxLen: 0) == 0...0)
        // maxLen 32 agrees with TargetSpaceBuilder on a range that is exactly one prefix.
        #expect(
            TargetSpec.intervals(
                from: addr("2001:db8::"), to: addr("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"), maxLen: 32)
                == TargetSpaceBuilder.interval(of: IPPrefix(address: addr("2001:db8::"), length: 32), maxLen: 32))
    }

    @Test func parsedRangeFeedsIntervals() throws {
        guard case let .range(a, b) = try TargetSpec.parse("198.51.100.10-198.51.100.20", family: .v4, maxLen: 32)
        else {
            Issue.record("not a range"); return
        }
        let r = TargetSpec.intervals(from: a, to: b, maxLen: 32)
        #expect(r.count == 11)
    }
}
