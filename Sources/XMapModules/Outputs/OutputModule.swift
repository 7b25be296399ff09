import XMapCore

/// An output module turns result records into bytes. The engine owns the destination (file or
/// stdout) and writes what the module produces; modules never do I/O themselves.
public protocol OutputModule: Sendable {
    /// The `-O` name.
    static var name: String { get }
    /// Whether nested (repeated / record) fields can be written.
    static var supportsDynamicOutput: Bool { get }
    /// One paragraph for `--help`.
    static var helpText: String { get }

    /// Prepares for records with these field names, in this order.
    init(fieldNames: [String])

    /// Bytes written once before the first record (a CSV header, say), or empty.
    func header() -> [UInt8]

    /// Appends one record to `out`. `values[i]` belongs to `fieldNames[i]`.
    func append(_ values: [FieldValue], to out: inout [UInt8])
}

/// Every output module, in listing order.
public enum OutputModuleRegistry {
    public static let all: [any OutputModule.Type] = [CSVOutput.self, JSONOutput.self]

    /// The module named `name` (`default` means `csv`).
    public static func module(named name: String) -> (any OutputModule.Type)? {
        let n = name == "default" ? "csv" : name
        return all.first { $0.name == n }
    }

    public static var listing: String { "Output-modules:\n" + all.map { $0.name }.joined(separator: "\n") + "\n" }
}

/// Appends decimal text without going through String.
@inlinable func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
    if v == 0 { out.append(48); return }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes: UInt64.max has 20 digits
    var n = v, count = 0
    withUnsafeMutableBytes(of: &digits) { d in
        while n > 0 {
            d[count] = UInt8(n % 10) + 48
            n /= 10
            count += 1
        }
        while count > 0 {
            count -= 1
            out.append(d[count])
        }
    }
}

@usableFromInline let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// Appends lower-case hex of `bytes`.
@inlinable func appendHex(_ bytes: [UInt8], to out: inout [UInt8]) {
    for b in bytes {
        out.append(hexDigits[Int(b >> 4)])
        out.append(hexDigits[Int(b & 15)])
    }
}
