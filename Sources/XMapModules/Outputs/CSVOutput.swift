import XMapCore

/// `csv`: a header line with the field names, then one line per result. Ints print in decimal,
/// bools as 0/1, binary as hex, null as an empty cell. Cells containing `,`, `"` or a line break
/// are quoted with inner quotes doubled (RFC 4180), so every line parses back.
public struct CSVOutput: OutputModule {
    public static let name = "csv"
    public static let supportsDynamicOutput = false
    public static let helpText = "Outputs one or more output fields as comma-separated values."
    let fieldNames: [String]

    public init(fieldNames: [String]) { self.fieldNames = fieldNames }

    public func header() -> [UInt8] { Array((fieldNames.joined(separator: ",") + "\n").utf8) }

    public func append(_ values: [FieldValue], to out: inout [UInt8]) {
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            switch v {
            case .null: break
            case .int(let n): appendDecimal(n, to: &out)
            case .bool(let b): out.append(b ? 49 : 48)
            case .binary(let bytes): appendHex(bytes, to: &out)
            case .address(let a): out.append(contentsOf: a.description.utf8)
            case .string(let s): CSVOutput.appendCell(s, to: &out)
            }
        }
        out.append(10)
    }

    static func appendCell(_ s: String, to out: inout [UInt8]) {
        let needsQuotes = s.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
        if !needsQuotes {
            out.append(contentsOf: s.utf8)
            return
        }
        out.append(34)
        for c in s.utf8 {
            if c == 34 { out.append(34) }
            out.append(c)
        }
        out.append(34)
    }
}
