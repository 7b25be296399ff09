import PropertyBased
import Testing
@testable import XMapCore

@Suite struct FilterTests {
    enum Field: Int, ModuleFields {
        case success, clas
        var definition: FieldDefinition {
            switch self {
            case .success: FieldDefinition("success", .bool, "")
            case .clas: FieldDefinition("clas", .string, "")
            }
        }
    }

    /// saddr, daddr, ipid, ttl, success, clas, repeat, cooldown, timestamps.
    let fields = RecordSchema(family: .v4, moduleFields: Field.self)

    func record(success: Bool, repeated: Bool, clas: String, ttl: UInt8) -> Record {
        var bytes = [UInt8](repeating: 0, count: 20)
        bytes[0] = 0x45
        bytes[3] = 20
        bytes[8] = ttl
        let header = bytes.withUnsafeBytes { IPHeaderView(ReplyPacket($0), family: .v4)! }
        var r = Record(schema: fields)
        r.setIPFields(source: 0xC000_0201, header: header)
        r[Field.success] = .bool(success)
        r[Field.clas] = .string(clas)
        r[SystemField.repeat] = .bool(repeated)
        return r
    }

    @Test func defaultFilter() throws {
        let f = try FilterExpression.parse("success = 1 && repeat = 0", schema: fields)
        #expect(f.matches(record(success: true, repeated: false, clas: "synack", ttl: 64)))
        #expect(!f.matches(record(success: true, repeated: true, clas: "synack", ttl: 64)))
        #expect(!f.matches(record(success: false, repeated: false, clas: "rst", ttl: 64)))
    }

    @Test func precedenceAndStrings() throws {
        let f = try FilterExpression.parse("clas = rst || clas = synack && ttl > 100", schema: fields)
        #expect(f.matches(record(success: false, repeated: false, clas: "rst", ttl: 1)))
        #expect(!f.matches(record(success: true, repeated: false, clas: "synack", ttl: 64)))
        #expect(f.matches(record(success: true, repeated: false, clas: "synack", ttl: 128)))
        let g = try FilterExpression.parse("(clas = rst || clas = synack) && ttl >= 64", schema: fields)
        #expect(g.matches(record(success: true, repeated: false, clas: "synack", ttl: 64)))
        #expect(!g.matches(record(success: true, repeated: false, clas: "synack", ttl: 63)))
        #expect(
            try FilterExpression.parse("ttl <= 5", schema: fields).matches(
                record(success: true, repeated: false, clas: "", ttl: 5)))
        #expect(
            try FilterExpression.parse("clas != rst", schema: fields).matches(
                record(success: true, repeated: false, clas: "x", ttl: 5)))
    }

    @Test("xmap's additions: quoted strings, addresses and prefixes, 64-bit numbers, ==")
    func additions() throws {
        let r = record(success: true, repeated: false, clas: "echo reply", ttl: 64)  // saddr 192.0.2.1
        func matches(_ text: String) throws -> Bool { try FilterExpression.parse(text, schema: fields).matches(r) }
        #expect(try matches("clas = \"echo reply\""))
        #expect(try matches("clas == 'echo reply' && success == 1"))
        #expect(try !matches("clas = \"echo\""))
        #expect(try matches("clas != \"a\\\"b\""))
        #expect(try matches("saddr = 192.0.2.1") && matches("saddr = 192.0.2.0/24") && matches("saddr = 0.0.0.0/0"))
        #expect(
            try !matches("saddr = 192.0.2.2") && !matches("saddr = 198.51.100.0/24")
                && matches("saddr != 198.51.100.0/24"))
        #expect(try matches("daddr = 0.0.0.0"))
        // 64-bit numbers compare without a 32-bit wrap (XMap's 4294967296 is 0).
        #expect(
            try !matches("ttl = 4294967360") && matches("ttl < 4294967296") && matches("ttl <= 18446744073709551615"))
        // IPv6.
        let v6 = RecordSchema(family: .v6, moduleFields: Field.self)
        var r6 = Record(schema: v6)
        r6[0] = .address(IPAddress("2001:db8:1::5")!)
        #expect(try FilterExpression.parse("saddr = 2001:db8::/32", schema: v6).matches(r6))
        #expect(try FilterExpression.parse("saddr = 2001:db8:1::5 && saddr != ::1", schema: v6).matches(r6))
        #expect(try !FilterExpression.parse("saddr = fe80::/10", schema: v6).matches(r6))
        // Names that merely start like hex stay names.
        #expect(
            try FilterExpression.parse("clas = dead-beef", schema: fields)
                == .compareString(field: 5, op: .equal, value: "dead-beef"))
    }

    @Test(
        "malformed filters give one clear error",
        arguments: [
            ("nosuch = 1", "field 'nosuch' does not exist"), ("success = 1 &&", "end of input"),
            ("(success = 1", "expected ')'"), ("clas = 1", "not of type 'int'"), ("ttl = abc", "not of type 'string'"),
            ("success = 1 success", "unexpected 'success'"), ("ttl = 99999999999999999999", "too large"),
            ("ttl > 5 $", "unexpected character '$' at column 9"), ("clas = \"open", "unterminated string at column 8"),
            ("saddr = 2001:db8::1", "IPv6 address, but this is an IPv4 scan"),
            ("saddr > 10.0.0.1", "only be compared with = or !="),
            ("ttl = 10.0.0.1", "field 'ttl' is not an address field at column 1"),
            ("saddr = 10.0.0.0/33", "prefix length"),
            ("saddr = 10.0.0.300", "at column 9")
        ])
    func errors(text: String, fragment: String) {
        #expect {
            try FilterExpression.parse(text, schema: fields)
        } throws: { e in
            let m = (e as? XMapError)?.message ?? ""
            return m.contains(fragment) && !m.contains("\n")
        }
    }

    /// A random filter over `success`, `ttl`, `clas` and `saddr`, as text and as a reference
    /// evaluator written independently of the parser.
    static func randomFilter(_ rng: inout SplitMix64, depth: Int) -> (String, (Bool, UInt64, String, UInt32) -> Bool) {
        if depth == 0 || rng.next() % 3 == 0 {
            switch rng.next() % 4 {
            case 0:
                let v = rng.next() % 2
                let eq = rng.next() % 2 == 0
                return ("success \(eq ? "=" : "!=") \(v)", { s, _, _, _ in ((s ? 1 : 0) == v) == eq })
            case 1:
                let ops = ["=", "==", "!=", "<", ">", "<=", ">="]
                let op = ops[Int(rng.next() % UInt64(ops.count))]
                let v = rng.next() % 3 == 0 ? rng.next() : rng.next() % 300
                return (
                    "ttl \(op) \(v)",
                    { _, t, _, _ in
                        switch op {
                        case "=", "==": return t == v
                        case "!=": return t != v
                        case "<": return t < v
                        case ">": return t > v
                        case "<=": return t <= v
                        default: return t >= v
                        }
                    }
                )
            case 2:
                let names = ["synack", "rst", "echo reply", "a\"b"]
                let n = names[Int(rng.next() % UInt64(names.count))]
                let eq = rng.next() % 2 == 0
                let literal =
                    n.contains(" ") || n.contains("\"")
                    ? "\"" + n.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : n
                return ("clas \(eq ? "=" : "!=") \(literal)", { _, _, c, _ in (c == n) == eq })
            default:
                let len = Int(rng.next() % 33)
                let a = UInt32(truncatingIfNeeded: rng.next()) & (len == 0 ? 0 : ~UInt32(0) << (32 - len))
                let eq = rng.next() % 2 == 0
                let text = "\(a >> 24).\((a >> 16) & 255).\((a >> 8) & 255).\(a & 255)/\(len)"
                return (
                    "saddr \(eq ? "=" : "!=") \(text)",
                    { _, _, _, s in
                        let m: UInt32 = len == 0 ? 0 : ~UInt32(0) << (32 - len)
                        return (s & m == a) == eq
                    }
                )
            }
        }
        let (l, lf) = randomFilter(&rng, depth: depth - 1), (r, rf) = randomFilter(&rng, depth: depth - 1)
        if rng.next() % 2 == 0 {
            return ("(\(l) && \(r))", { lf($0, $1, $2, $3) && rf($0, $1, $2, $3) })
        }
        return ("(\(l) || \(r))", { lf($0, $1, $2, $3) || rf($0, $1, $2, $3) })
    }

    @Test("property: random filters evaluate as an independent reference does")
    func randomFilters() async {
        let schema = fields
        await propertyCheck(count: 300, input: Gen<UInt64>.value()) { seed in
            var rng = SplitMix64(seed: seed)
            let (text, reference) = Self.randomFilter(&rng, depth: 4)
            guard let f = try? FilterExpression.parse(text, schema: schema) else {
                Issue.record("did not parse: \(text)")
                return
            }
            for _ in 0..<8 {
                let success = rng.next() % 2 == 0
                let ttl = rng.next() % 4 == 0 ? 255 : rng.next() % 300
                let clas = ["synack", "rst", "echo reply", "a\"b", "x"][Int(rng.next() % 5)]
                let saddr = UInt32(truncatingIfNeeded: rng.next())
                var r = Record(schema: schema)
                r[0] = .address(IPAddress(family: .v4, value: UInt128(saddr)))
                r[3] = .int(ttl)
                r[Field.success] = .bool(success)
                r[Field.clas] = .string(clas)
                #expect(
                    f.matches(r) == reference(success, ttl, clas, saddr),
                    "\(text) on \(success) \(ttl) \(clas) \(saddr)")
            }
        }
    }
}
