import XMapCore

/// `json`: one object per line in json-c's spaced style (`{ "saddr": "192.0.2.1", "success": 1 }`),
/// nested lists as `[ … ]` and objects as `{ … }`, as XMap prints them.
public struct JSONOutput: OutputModule {
    public static let name = "json"
    public static let supportsDynamicOutput = true
    public static let helpText = "Outputs one or more output fields in JSON format, one object per line."
    let selection: FieldSelection
    /// Each selected field's key, already quoted.
    let keys: [[UInt8]]

    public init(selection: FieldSelection) {
        self.selection = selection
        keys = selection.names.map { name in
            var k: [UInt8] = []
            JSONOutput.appendString(name, to: &k)
            return k
        }
    }

    public func header() -> [UInt8] { [] }

    public func append(_ record: Record, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, slot) in selection.slots.enumerated() {
            JSONText.appendSeparator(i, to: &out)
            out.append(contentsOf: keys[i])
            out.append(contentsOf: [58, 32])
            Self.appendValue(record[slot], to: &out)
        }
        out.append(contentsOf: selection.slots.isEmpty ? [125, 10] : [32, 125, 10])
    }

    /// One value in json-c's spaced style.
    public static func appendValue(_ v: FieldValue, to out: inout [UInt8]) {
        switch v {
        case .null: out.append(contentsOf: "null".utf8)
        case .int(let n):
            // Unsigned, always: json-c (XMap, ZMap) prints values over 2^63 through int64, as
            // negative numbers (every NTP timestamp would be one).
            appendDecimal(n, to: &out)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .binary(let bytes):
            out.append(34)
            appendHex(bytes, to: &out)
            out.append(34)
        case .address(let a): appendString(a.description, to: &out)
        case .string(let s): appendString(s, to: &out)
        case .list(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                JSONText.appendSeparator(i, to: &out)
                appendValue(item, to: &out)
            }
            out.append(contentsOf: [32, UInt8(ascii: "]")])
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                JSONText.appendSeparator(i, to: &out)
                appendString(m.name, to: &out)
                out.append(contentsOf: [58, 32])
                appendValue(m.value, to: &out)
            }
            out.append(contentsOf: [32, UInt8(ascii: "}")])
        }
    }

    /// A JSON string literal with json-c's escaping.
    public static func appendString(_ s: String, to out: inout [UInt8]) { JSONText.appendString(s, to: &out) }
}
