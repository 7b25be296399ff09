import XMapCore

/// What ztee prints on stdout for each input line, decided by the first line:
/// - CSV (the first line has a comma and is the header): the value of the address column
///   (`saddr`, else `ip`) of each later row, one per line;
/// - JSON lines (the first line starts with `{`): the `saddr` (else `ip`) value of each record;
/// - raw (anything else, or `--raw`): every line as it is.
/// With `--success-only` (CSV and JSON), only rows whose success field is true or a non-zero number.
struct ZTeeRecords {
    /// The input format.
    enum Format: Equatable {
        case csv
        case json
        case raw
    }

    /// Why the input cannot be handled as asked.
    enum Problem: Error, Equatable {
        /// `--success-only` on raw input.
        case successNeedsRecords
        /// `--success-only` and the CSV header has no success column.
        case noSuccessColumn
        /// The CSV header has no saddr/ip column.
        case noAddressColumn
    }

    let format: Format
    let successOnly: Bool
    /// The CSV columns (0-based) of the address and of the success field.
    let addressColumn: Int?
    let successColumn: Int?
    /// Lines seen so far (for the header and for messages).
    private(set) var lineNumber = 0

    /// The address column names, in order of preference.
    static let addressNames = ["saddr", "ip"]
    static let successNames = ["success"]

    /// Reads the format (and, for CSV, the columns) from the first line.
    /// - Throws: `Problem` when `successOnly` cannot be honoured or the CSV has no address column.
    init(firstLine: ArraySlice<UInt8>, raw: Bool, successOnly: Bool) throws(Problem) {
        self.successOnly = successOnly
        if raw {
            format = .raw
        } else if firstLine.first == UInt8(ascii: "{") {
            format = .json
        } else if firstLine.contains(UInt8(ascii: ",")) {
            format = .csv
        } else {
            format = .raw
        }
        if format == .csv {
            let header = Self.fields(Self.content(firstLine))
            addressColumn = Self.column(header, Self.addressNames)
            successColumn = Self.column(header, Self.successNames)
        } else {
            addressColumn = nil
            successColumn = nil
        }
        if successOnly {
            guard format != .raw else { throw .successNeedsRecords }
            if format == .csv && successColumn == nil { throw .noSuccessColumn }
        }
        if format == .csv && addressColumn == nil { throw .noAddressColumn }
    }

    /// Appends what stdout gets for `line` (with its newline, if it has one) to `out`.
    /// - Returns: a warning about the line, if any.
    mutating func process(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) -> String? {
        lineNumber += 1
        switch format {
        case .raw:
            out += line
        case .csv:
            // The header is not a record.
            guard lineNumber > 1, let addressColumn else { return nil }
            let content = Self.content(line)
            if successOnly {
                guard let column = successColumn, let value = Self.field(content, column),
                    Self.isSuccess(value)
                else { return nil }
            }
            guard let address = Self.field(content, addressColumn) else { return nil }
            out += address
            out.append(10)
        case .json:
            let content = Self.content(line)
            if content.allSatisfy(InetAton.isSpace) { return nil }
            guard case .object(let members)? = try? JSONValue(parsing: String(decoding: content, as: UTF8.self))
            else { return "line \(lineNumber) is not a JSON object: not interpreted" }
            if successOnly {
                guard let success = members.first(where: { $0.key == "success" })?.value,
                    Self.isSuccess(success)
                else { return nil }
            }
            for name in Self.addressNames {
                guard let value = members.first(where: { $0.key == name })?.value else { continue }
                switch value {
                case .string(let s): out += Array(s.utf8)
                case .number(let n): out += Array(n.utf8)
                default: return nil
                }
                out.append(10)
                return nil
            }
        }
        return nil
    }

    // MARK: CSV

    /// The line without its newline.
    static func content(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.last == 10 ? line.dropLast() : line
    }

    /// The comma-separated fields of a line (no quoting, as ZMap's csv output needs none here).
    static func fields(_ content: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        content.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    }

    /// Field `index` of a row, or nil when the row has fewer fields.
    static func field(_ content: ArraySlice<UInt8>, _ index: Int) -> ArraySlice<UInt8>? {
        var start = content.startIndex
        for _ in 0..<index {
            guard let comma = content[start...].firstIndex(of: UInt8(ascii: ",")) else { return nil }
            start = comma + 1
        }
        let end = content[start...].firstIndex(of: UInt8(ascii: ",")) ?? content.endIndex
        return content[start..<end]
    }

    /// The header column named exactly one of `names`, else (as ZMap) the first column whose name
    /// starts with one of them (`ip_address`, `saddr_text`).
    static func column(_ header: [ArraySlice<UInt8>], _ names: [String]) -> Int? {
        let wanted = names.map { Array($0.utf8) }
        if let exact = header.firstIndex(where: { h in wanted.contains { h.elementsEqual($0) } }) {
            return exact
        }
        return header.firstIndex { h in wanted.contains { h.starts(with: $0) } }
    }

    /// ZMap's success test: `atoi(value) != 0`, or `value` is `true` in any case.
    static func isSuccess(_ value: ArraySlice<UInt8>) -> Bool {
        if atoi(value) != 0 { return true }
        return value.count == 4 && value.map { $0 | 0x20 }.elementsEqual("true".utf8)
    }

    /// C's `atoi`: leading white space, an optional sign, decimal digits, the rest ignored; the
    /// `long` result (saturated on overflow, as strtol) cut to 32 bits.
    static func atoi(_ value: ArraySlice<UInt8>) -> Int32 {
        var rest = value.drop(while: InetAton.isSpace)
        var negative = false
        if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        var magnitude: UInt64 = 0
        var overflow = false
        for c in rest {
            guard InetAton.isDigit(c) else { break }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(c - UInt8(ascii: "0")))
            if o1 || o2 { overflow = true; break }
            magnitude = s
        }
        let long: Int64
        if negative {
            long = overflow || magnitude > UInt64(Int64.max) + 1 ? Int64.min : Int64(truncatingIfNeeded: 0 &- magnitude)
        } else {
            long = overflow || magnitude > UInt64(Int64.max) ? Int64.max : Int64(magnitude)
        }
        return Int32(truncatingIfNeeded: long)
    }

    // MARK: JSON

    /// A JSON success value: `true`, a non-zero number, or a string passing the CSV test.
    static func isSuccess(_ value: JSONValue) -> Bool {
        switch value {
        case .bool(let b): return b
        case .number(let n): return (Double(n) ?? 0) != 0
        case .string(let s): return isSuccess(ArraySlice(Array(s.utf8)))
        default: return false
        }
    }
}
