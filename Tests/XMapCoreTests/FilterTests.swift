import Testing
@testable import XMapCore

@Suite struct FilterTests {
    let fields = [FieldDefinition("saddr", .string, ""), FieldDefinition("success", .bool, ""),
                  FieldDefinition("repeat", .bool, ""), FieldDefinition("clas", .string, ""),
                  FieldDefinition("ttl", .int, "")]

    func record(success: Bool, repeated: Bool, clas: String, ttl: UInt64) -> [FieldValue] {
        [.string("192.0.2.1"), .bool(success), .bool(repeated), .string(clas), .int(ttl)]
    }

    @Test func defaultFilter() throws {
        let f = try FilterExpression.parse("success = 1 && repeat = 0", fields: fields)
        #expect(f.matches(record(success: true, repeated: false, clas: "synack", ttl: 64)))
        #expect(!f.matches(record(success: true, repeated: true, clas: "synack", ttl: 64)))
        #expect(!f.matches(record(success: false, repeated: false, clas: "rst", ttl: 64)))
    }

    @Test func precedenceAndStrings() throws {
        let f = try FilterExpression.parse("clas = rst || clas = synack && ttl > 100", fields: fields)
        #expect(f.matches(record(success: false, repeated: false, clas: "rst", ttl: 1)))
        #expect(!f.matches(record(success: true, repeated: false, clas: "synack", ttl: 64)))
        #expect(f.matches(record(success: true, repeated: false, clas: "synack", ttl: 128)))
        let g = try FilterExpression.parse("(clas = rst || clas = synack) && ttl >= 64", fields: fields)
        #expect(g.matches(record(success: true, repeated: false, clas: "synack", ttl: 64)))
        #expect(!g.matches(record(success: true, repeated: false, clas: "synack", ttl: 63)))
        #expect(try FilterExpression.parse("ttl <= 5", fields: fields).matches(record(success: true, repeated: false, clas: "", ttl: 5)))
        #expect(try FilterExpression.parse("clas != rst", fields: fields).matches(record(success: true, repeated: false, clas: "x", ttl: 5)))
    }

    @Test("malformed filters give one clear error", arguments: [
        ("success == 1", "'=='"), ("nosuch = 1", "field 'nosuch' does not exist"), ("success = 1 &&", "end of input"),
        ("(success = 1", "expected ')'"), ("clas = 1", "not of type 'int'"), ("ttl = abc", "not of type 'string'"),
        ("success = 1 success", "unexpected 'success'"), ("ttl = 99999999999999999999", "too large"),
        ("saddr = 10.0.0.1", "unexpected character '.'"), ("ttl > 5 $", "unexpected character '$'"),
    ])
    func errors(text: String, fragment: String) {
        #expect {
            try FilterExpression.parse(text, fields: fields)
        } throws: { e in
            let m = (e as? XMapError)?.message ?? ""
            return m.contains(fragment) && !m.contains("\n")
        }
    }
}
