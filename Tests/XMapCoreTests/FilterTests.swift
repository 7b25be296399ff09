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
        #expect(try FilterExpression.parse("ttl <= 5", schema: fields).matches(record(success: true, repeated: false, clas: "", ttl: 5)))
        #expect(try FilterExpression.parse("clas != rst", schema: fields).matches(record(success: true, repeated: false, clas: "x", ttl: 5)))
    }

    @Test("malformed filters give one clear error", arguments: [
        ("success == 1", "'=='"), ("nosuch = 1", "field 'nosuch' does not exist"), ("success = 1 &&", "end of input"),
        ("(success = 1", "expected ')'"), ("clas = 1", "not of type 'int'"), ("ttl = abc", "not of type 'string'"),
        ("success = 1 success", "unexpected 'success'"), ("ttl = 99999999999999999999", "too large"),
        ("saddr = 10.0.0.1", "unexpected character '.'"), ("ttl > 5 $", "unexpected character '$'"),
    ])
    func errors(text: String, fragment: String) {
        #expect {
            try FilterExpression.parse(text, schema: fields)
        } throws: { e in
            let m = (e as? XMapError)?.message ?? ""
            return m.contains(fragment) && !m.contains("\n")
        }
    }
}
