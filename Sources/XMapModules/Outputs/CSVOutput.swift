import XMapCore

/// `csv`: a header line with the field names, then one line per result. Ints print in decimal,
/// bools as 0/1, binary as hex, null as an empty cell, nested values as their JSON text. Cells
/// containing `,`, `"` or a line break are quoted with inner quotes doubled (RFC 4180), so every
/// line parses back.
public struct CSVOutput: OutputModule {
    public static let name = "csv"
    public static let supportsDynamicOutput = false
    public static let helpText = "Outputs one or more output fields as comma-separated values."
    let selection: FieldSelection

    public init(selection: FieldSelection) { self.selection = selection }

    public func header() -> [UInt8] { Array((selection.names.joined(separator: ",") + "\n").utf8) }

    public func append(_ record: Record, to out: inout [UInt8]) {
        for (i, slot) in selection.slots.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            switch record[slot] {
            case .null: break
            case .int(let n): appendDecimal(n, to: &out)
            case .bool(let b): out.append(b ? 49 : 48)
            case .binary(let bytes): appendHex(bytes, to: &out)
            case .address(let a): out.append(contentsOf: a.description.utf8)
            case .string(let s): CSVOutput.appendCell(s, to: &out)
            case let nested:
                var json: [UInt8] = []
                JSONOutput.appendValue(nested, to: &json)
                CSVOutput.appendCell(String(decoding: json, as: UTF8.self), to: &out)
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
