import Testing
import XMapCore
import XMapModules

/// `csv` and `json` write records through a field selection.
@Suite struct OutputModuleTests {
    enum Field: Int, ModuleFields {
        case n, ok, data, none, clas, success, answers
        var definition: FieldDefinition {
            switch self {
            case .n: FieldDefinition("n", .int, "")
            case .ok: FieldDefinition("ok", .bool, "")
            case .data: FieldDefinition("data", .binary, "")
            case .none: FieldDefinition("none", .string, "")
            case .clas: FieldDefinition("clas", .string, "")
            case .success: FieldDefinition("success", .bool, "")
            case .answers: FieldDefinition("answers", .repeated, "")
            }
        }
    }

    static let schema = RecordSchema(family: .v6, moduleFields: Field.self)

    func record() -> Record {
        var r = Record(schema: Self.schema)
        var bytes = [UInt8](repeating: 0, count: 40)
        bytes[0] = 0x60
        bytes[7] = 64
        let header = bytes.withUnsafeBytes { IPHeaderView(ReplyPacket($0), family: .v6)! }
        r.setIPFields(source: IPAddress("2001:db8::1")!.value, header: header)
        r[Field.n] = .int(18_446_744_073_709_551_615)
        r[Field.ok] = .bool(true)
        r[Field.data] = .binary([0, 0xAB])
        r[Field.clas] = .string("a,\"b\"/\n\u{1}")
        r[Field.success] = .bool(false)
        r[Field.answers] = .list([.object([FieldMember("name", .string("x")), FieldMember("ttl", .int(5))]), .list([])])
        return r
    }

    @Test func csv() throws {
        let o = CSVOutput(
            selection: try FieldSelection(["saddr", "n", "ok", "data", "none", "clas"], schema: Self.schema))
        #expect(o.header() == Array("saddr,n,ok,data,none,clas\n".utf8))
        var out: [UInt8] = []
        o.append(record(), to: &out)
        #expect(
            String(decoding: out, as: UTF8.self) == "2001:db8::1,18446744073709551615,1,00ab,,\"a,\"\"b\"\"/\n\u{1}\"\n"
        )
    }

    @Test func json() throws {
        let o = JSONOutput(
            selection: try FieldSelection(
                ["saddr", "success", "n", "data", "none", "clas", "answers"],
                schema: Self.schema))
        var out: [UInt8] = []
        o.append(record(), to: &out)
        #expect(
            String(decoding: out, as: UTF8.self)
                == "{ \"saddr\": \"2001:db8::1\", \"success\": false, \"n\": 18446744073709551615, \"data\": "
                + "\"00ab\", \"none\": null, \"clas\": \"a,\\\"b\\\"\\/\\n\\u0001\", \"answers\": [ { \"name\": "
                + "\"x\", \"ttl\": 5 }, [ ] ] }\n"
        )
    }

    @Test("selection: names as given, '*' is every field, unknown names are errors")
    func selection() throws {
        #expect(try FieldSelection(["*"], schema: Self.schema).names == Self.schema.fields.map(\.name))
        #expect(try FieldSelection(["clas", "saddr"], schema: Self.schema).slots == [3 + 4, 0])
        #expect(throws: XMapError("specified field (nosuch) not available in selected probe module")) {
            try FieldSelection(["nosuch"], schema: Self.schema)
        }
    }

    @Test("catalog: lookup, default and listing")
    func catalog() {
        #expect(OutputCatalog.module(named: "default")?.name == "csv")
        #expect(OutputCatalog.module(named: "json")?.supportsDynamicOutput == true)
        #expect(OutputCatalog.module(named: "xml") == nil)
        #expect(OutputCatalog.listing == "Output-modules:\ncsv\njson\nredis-csv\nredis-packed\n")
        #expect(OutputCatalog.module(named: "redis-csv")?.redisBatch == 1000)
        #expect(OutputCatalog.module(named: "redis-packed")?.redisBatch == 500)
        #expect(OutputCatalog.module(named: "csv")?.redisBatch == nil)
    }

    @Test("redis-csv: a CSV line without header or newline; redis-packed: saddr_raw's bytes in network order")
    func redis() throws {
        let csv = RedisCSVOutput(selection: try FieldSelection(["saddr", "clas", "n"], schema: Self.schema))
        #expect(csv.header().isEmpty)
        var out: [UInt8] = []
        csv.append(record(), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "2001:db8::1,\"a,\"\"b\"\"/\n\u{1}\",18446744073709551615")
        let packed6 = RedisPackedOutput(selection: try FieldSelection(["saddr_raw"], schema: Self.schema))
        out = []
        packed6.append(record(), to: &out)
        #expect(out == IPAddress("2001:db8::1")!.bytes)
        let schema4 = RecordSchema(family: .v4, moduleFields: Field.self)
        var r4 = Record(schema: schema4)
        var ip = [UInt8](repeating: 0, count: 20)
        ip[0] = 0x45; ip[3] = 20
        ip.replaceSubrange(12..<16, with: [198, 51, 100, 7])
        ip.withUnsafeBytes { b in
            let h = IPHeaderView(ReplyPacket(b), family: .v4)!
            r4.setIPFields(source: h.source, header: h)
        }
        let packed4 = RedisPackedOutput(selection: try FieldSelection(["saddr_raw"], schema: schema4))
        out = []
        packed4.append(r4, to: &out)
        #expect(out == [198, 51, 100, 7])
    }
}
