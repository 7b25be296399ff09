import Testing
@testable import XMapCore

/// ZMap's field names for XMap's fields (and the reverse), and ZMap's raw address fields.
@Suite struct FieldAliasTests {
    enum XMapStyle: Int, ModuleFields {
        case success, clas, icmpString
        var definition: FieldDefinition {
            switch self {
            case .success: FieldDefinition("success", .bool, "")
            case .clas: FieldDefinition("clas", .string, "")
            case .icmpString: FieldDefinition("icmp_str", .string, "")
            }
        }
    }

    enum ZMapStyle: Int, ModuleFields {
        case classification, success
        var definition: FieldDefinition {
            switch self {
            case .classification: FieldDefinition("classification", .string, "")
            case .success: FieldDefinition("success", .bool, "")
            }
        }
    }

    @Test("either name selects the field; the output keeps the name asked for; * lists neither alias nor raw fields")
    func selection() throws {
        let schema = RecordSchema(family: .v4, moduleFields: XMapStyle.self)
        let sel = try FieldSelection(["classification", "icmp_unreach_str", "saddr_raw", "ttl"], schema: schema)
        #expect(sel.names == ["classification", "icmp_unreach_str", "saddr_raw", "ttl"])
        #expect(sel.slots[0] == schema.index(of: "clas") && sel.slots[1] == schema.index(of: "icmp_str"))
        let all = try FieldSelection(["*"], schema: schema)
        #expect(!all.names.contains("saddr_raw") && !all.names.contains("classification"))
        let z = RecordSchema(family: .v6, moduleFields: ZMapStyle.self)
        #expect(z.index(of: "clas") == z.index(of: "classification"))
        #expect(z.index(of: "ttl") == z.index(of: "hlim"))
        #expect(throws: XMapError.self) { try FieldSelection(["icmp_unreach"], schema: z) }
    }

    @Test("filters take ZMap's names")
    func filters() throws {
        let schema = RecordSchema(family: .v4, moduleFields: XMapStyle.self)
        var r = Record(schema: schema)
        r[XMapStyle.clas] = .string("synack")
        r[XMapStyle.success] = .bool(true)
        #expect(try FilterExpression.parse("classification = synack && success = 1", schema: schema).matches(r))
        #expect(try !FilterExpression.parse("classification != synack", schema: schema).matches(r))
        #expect(throws: XMapError.self) { try FilterExpression.parse("saddr_raw = synack", schema: schema) }
    }

    @Test("saddr_raw and daddr_raw: ZMap's integer over IPv4 (wire bytes read little-endian), 16 bytes over IPv6")
    func rawAddresses() throws {
        // 198.51.100.5 -> 192.0.2.1, TTL 60, ID 0x1234.
        let v4: [UInt8] = [0x45, 0, 0, 20, 0x12, 0x34, 0, 0, 60, 6, 0, 0, 198, 51, 100, 5, 192, 0, 2, 1]
        let schema = RecordSchema(family: .v4, moduleFields: XMapStyle.self)
        var r = Record(schema: schema)
        v4.withUnsafeBytes { b in
            let h = IPHeaderView(ReplyPacket(b), family: .v4)!
            r.setIPFields(source: h.source, header: h)
        }
        #expect(r[schema.index(of: "saddr_raw")!] == .int(0x0564_33C6))
        #expect(r[schema.index(of: "daddr_raw")!] == .int(0x0102_00C0))
        #expect(try FilterExpression.parse("saddr_raw = 90452934", schema: schema).matches(r))
        var v6 = [UInt8](repeating: 0, count: 40)
        v6[0] = 0x60; v6[6] = 6; v6[7] = 60
        let s6 = IPAddress("2001:db8:1::5")!.bytes, d6 = IPAddress("2001:db8:ffff::1")!.bytes
        v6.replaceSubrange(8..<24, with: s6)
        v6.replaceSubrange(24..<40, with: d6)
        let schema6 = RecordSchema(family: .v6, moduleFields: XMapStyle.self)
        var r6 = Record(schema: schema6)
        v6.withUnsafeBytes { b in
            let h = IPHeaderView(ReplyPacket(b), family: .v6)!
            r6.setIPFields(source: h.source, header: h)
        }
        #expect(r6[schema6.index(of: "saddr_raw")!] == .binary(s6))
        #expect(r6[schema6.index(of: "daddr_raw")!] == .binary(d6))
    }
}
