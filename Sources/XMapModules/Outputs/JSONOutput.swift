import XMapCore

/// `json`: one object per line in json-c's spaced style (`{ "saddr": "192.0.2.1", "success": 1 }`).
public struct JSONOutput: OutputModule {
    public static let name = "json"
    public static let supportsDynamicOutput = true
    public static let helpText = "Outputs one or more output fields in JSON format, one object per line."
    let keys: [[UInt8]]

    public init(fieldNames: [String]) {
        keys = fieldNames.map { name in
            var k: [UInt8] = []
            JSONOutput.appendString(name, to: &k)
            return k
        }
    }

    public func header() -> [UInt8] { [] }

    public func append(_ values: [FieldValue], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, v) in values.enumerated() {
            out.append(contentsOf: i == 0 ? [32] : [44, 32])
            out.append(contentsOf: keys[i])
            out.append(contentsOf: [58, 32])
            switch v {
            case .null: out.append(contentsOf: "null".utf8)
            case .int(let n):
                // json-c prints uint64 through int64.
                if n > UInt64(Int64.max) { out.append(contentsOf: String(Int64(bitPattern: n)).utf8) } else { appendDecimal(n, to: &out) }
            case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
            case .binary(let bytes):
                out.append(34)
                appendHex(bytes, to: &out)
                out.append(34)
            case .address(let a): JSONOutput.appendString(a.description, to: &out)
            case .string(let s): JSONOutput.appendString(s, to: &out)
            }
        }
        out.append(contentsOf: values.isEmpty ? [125, 10] : [32, 125, 10])
    }

    /// A JSON string literal with json-c's escaping (`/` becomes `\/`, controls `\u00XX`).
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(34)
        for c in s.utf8 {
            switch c {
            case 34: out.append(contentsOf: [92, 34])
            case 92: out.append(contentsOf: [92, 92])
            case 47: out.append(contentsOf: [92, 47])
            case 8: out.append(contentsOf: [92, 98])
            case 12: out.append(contentsOf: [92, 102])
            case 10: out.append(contentsOf: [92, 110])
            case 13: out.append(contentsOf: [92, 114])
            case 9: out.append(contentsOf: [92, 116])
            case 0..<32:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(c >> 4)])
                out.append(hexDigits[Int(c & 15)])
            default: out.append(c)
            }
        }
        out.append(34)
    }
}
