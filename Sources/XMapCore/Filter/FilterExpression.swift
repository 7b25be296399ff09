/// An output filter (`-F`) such as `success = 1 && repeat = 0` or `clas = synack || ttl > 5`,
/// compiled against a record schema so evaluation reads values by slot.
///
/// The language is XMap's (numbers, bare-word strings, `= != < > <= >=`, `&& ||`, parentheses),
/// plus quoted strings (`clas = "echoreply"`, with `\"` and `\\` escapes), addresses and
/// prefixes compared with address fields (`saddr = 198.51.100.7`, `saddr != 2001:db8::/32`),
/// 64-bit numbers (no 32-bit wrap), and `==` for `=`.
public indirect enum FilterExpression: Sendable, Equatable {
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)
    case compareNumber(field: Int, op: FilterOperator, value: UInt64)
    case compareString(field: Int, op: FilterOperator, value: String)
    /// `field = prefix` holds when the field's address lies in the prefix (an address is a
    /// full-length prefix); `!=` when it does not.
    case compareAddress(field: Int, op: FilterOperator, value: IPPrefix)

    /// Evaluates the filter on one record.
    public func matches(_ record: Record) -> Bool {
        switch self {
        case .and(let a, let b): return a.matches(record) && b.matches(record)
        case .or(let a, let b): return a.matches(record) || b.matches(record)
        case .compareNumber(let f, let op, let v):
            guard let x = record[f].numeric else { return false }
            return op.apply(x, v)
        case .compareString(let f, let op, let v):
            guard let x = record[f].text else { return op == .notEqual }
            return op == .equal ? x == v : x != v
        case .compareAddress(let f, let op, let prefix):
            let address: IPAddress?
            switch record[f] {
            case .address(let a): address = a
            case .string(let s): address = IPAddress(s)
            default: address = nil
            }
            guard let a = address else { return op == .notEqual }
            return prefix.contains(a) == (op == .equal)
        }
    }

    /// The record slots the filter reads.
    public var slots: Set<Int> {
        switch self {
        case .and(let a, let b), .or(let a, let b): return a.slots.union(b.slots)
        case .compareNumber(let f, _, _), .compareString(let f, _, _), .compareAddress(let f, _, _): return [f]
        }
    }

    /// Parses and type-checks `text` against the fields of `schema`.
    /// - Throws: `XMapError` naming the offending token and its column.
    public static func parse(_ text: String, schema: RecordSchema) throws -> FilterExpression {
        var p = FilterParser(tokens: try FilterLexer.tokenize(text), text: text, schema: schema)
        let e = try p.parseOr()
        if let t = p.peek() { throw p.error("unexpected '\(t.text)'", at: t) }
        return e
    }
}

/// Comparison operators of the filter language.
public enum FilterOperator: String, Sendable {
    case equal = "=", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=", lessOrEqual = "<="

    func apply(_ a: UInt64, _ b: UInt64) -> Bool {
        switch self {
        case .equal: return a == b
        case .notEqual: return a != b
        case .greater: return a > b
        case .less: return a < b
        case .greaterOrEqual: return a >= b
        case .lessOrEqual: return a <= b
        }
    }
}

struct FilterToken: Equatable {
    enum Kind: Equatable { case identifier, number, string, address, op, and, or, open, close }
    let kind: Kind
    let text: String
    let column: Int
}

enum FilterLexer {
    static func tokenize(_ text: String) throws -> [FilterToken] {
        let u = Array(text.utf8)
        var i = 0
        var out: [FilterToken] = []
        func isIdentStart(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
        func isIdent(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 48 && c <= 57) || c == 95 || c == 45 }
        while i < u.count {
            let c = u[i]
            let col = i + 1
            if c == 32 || c == 9 || c == 10 || c == 13 { i += 1; continue }
            func two(_ s: String) -> Bool { i + 1 < u.count && String(decoding: u[i...(i + 1)], as: UTF8.self) == s }
            if two("&&") { out.append(FilterToken(kind: .and, text: "&&", column: col)); i += 2; continue }
            if two("||") { out.append(FilterToken(kind: .or, text: "||", column: col)); i += 2; continue }
            if two("!=") || two(">=") || two("<=") {
                out.append(FilterToken(kind: .op, text: String(decoding: u[i...(i + 1)], as: UTF8.self), column: col))
                i += 2
                continue
            }
            if two("==") { out.append(FilterToken(kind: .op, text: "=", column: col)); i += 2; continue }
            if c == 34 || c == 39 {
                // A quoted string: "…" or '…', with \" \' and \\ escapes.
                var bytes: [UInt8] = []
                var j = i + 1
                var closed = false
                while j < u.count {
                    if u[j] == 92 && j + 1 < u.count { bytes.append(u[j + 1]); j += 2; continue }
                    if u[j] == c { closed = true; break }
                    bytes.append(u[j])
                    j += 1
                }
                guard closed else { throw XMapError("invalid filter: unterminated string at column \(col)") }
                out.append(FilterToken(kind: .string, text: String(decoding: bytes, as: UTF8.self), column: col))
                i = j + 1
                continue
            }
            if let end = addressEnd(u, from: i) {
                out.append(FilterToken(kind: .address, text: String(decoding: u[i..<end], as: UTF8.self), column: col))
                i = end
                continue
            }
            switch c {
            case UInt8(ascii: "="), UInt8(ascii: ">"), UInt8(ascii: "<"):
                out.append(FilterToken(kind: .op, text: String(UnicodeScalar(c)), column: col)); i += 1
            case UInt8(ascii: "("): out.append(FilterToken(kind: .open, text: "(", column: col)); i += 1
            case UInt8(ascii: ")"): out.append(FilterToken(kind: .close, text: ")", column: col)); i += 1
            case 48...57:
                let s = i
                while i < u.count && u[i] >= 48 && u[i] <= 57 { i += 1 }
                if i < u.count && isIdent(u[i]) {
                    throw XMapError(
                        "invalid filter: bad number '\(String(decoding: u[s...i], as: UTF8.self))' at column \(col)")
                }
                out.append(FilterToken(kind: .number, text: String(decoding: u[s..<i], as: UTF8.self), column: col))
            default:
                guard isIdentStart(c) else {
                    throw XMapError(
                        "invalid filter: unexpected character '\(String(decoding: [c], as: UTF8.self))' at column "
                            + "\(col)"
                    )
                }
                let s = i
                while i < u.count && isIdent(u[i]) { i += 1 }
                out.append(FilterToken(kind: .identifier, text: String(decoding: u[s..<i], as: UTF8.self), column: col))
            }
        }
        return out
    }

    /// The end of an address or prefix literal starting at `i` (`198.51.100.7`, `10.0.0.0/8`,
    /// `2001:db8::/32`, `::1`), or nil when the text there is not one (a number, a name).
    static func addressEnd(_ u: [UInt8], from i: Int) -> Int? {
        func isAddressByte(_ c: UInt8) -> Bool {
            (c >= 48 && c <= 58) || c == 46 || c == 47 || ((c | 0x20) >= 97 && (c | 0x20) <= 102)
        }
        var j = i
        while j < u.count && isAddressByte(u[j]) { j += 1 }
        let run = u[i..<j]
        // An identifier keeps going with other letters, digits, '-' or '_' (e.g. `dad-x`).
        if j < u.count && ((u[j] | 0x20) >= 97 && (u[j] | 0x20) <= 122 || u[j] == 45 || u[j] == 95) { return nil }
        guard run.contains(58) || (run.contains(46) && u[i] >= 48 && u[i] <= 57) else { return nil }
        return j
    }
}

struct FilterParser {
    let tokens: [FilterToken]
    let text: String
    let schema: RecordSchema
    var pos = 0

    init(tokens: [FilterToken], text: String, schema: RecordSchema) {
        self.tokens = tokens
        self.text = text
        self.schema = schema
    }

    func peek() -> FilterToken? { pos < tokens.count ? tokens[pos] : nil }

    func error(_ msg: String, at t: FilterToken?) -> XMapError {
        XMapError("invalid filter '\(text)': \(msg)" + (t.map { " at column \($0.column)" } ?? " at end of input"))
    }

    mutating func parseOr() throws -> FilterExpression {
        var e = try parseAnd()
        while let t = peek(), t.kind == .or {
            pos += 1
            e = .or(e, try parseAnd())
        }
        return e
    }

    mutating func parseAnd() throws -> FilterExpression {
        var e = try parsePrimary()
        while let t = peek(), t.kind == .and {
            pos += 1
            e = .and(e, try parsePrimary())
        }
        return e
    }

    mutating func parsePrimary() throws -> FilterExpression {
        guard let t = peek() else { throw error("expected a comparison", at: nil) }
        if t.kind == .open {
            pos += 1
            let e = try parseOr()
            guard let c = peek(), c.kind == .close else { throw error("expected ')'", at: peek()) }
            pos += 1
            return e
        }
        guard t.kind == .identifier else { throw error("expected a field name, found '\(t.text)'", at: t) }
        pos += 1
        guard let index = schema.index(of: t.text) else {
            throw error("field '\(t.text)' does not exist", at: t)
        }
        guard let o = peek(), o.kind == .op, let op = FilterOperator(rawValue: o.text) else {
            throw error("expected an operator after '\(t.text)'", at: peek())
        }
        pos += 1
        guard let v = peek(), [.number, .identifier, .string, .address].contains(v.kind) else {
            throw error("expected a value after '\(o.text)'", at: peek())
        }
        pos += 1
        let type = schema.definition(at: index).type
        if v.kind == .address {
            guard type == .string else { throw error("field '\(t.text)' is not an address field", at: t) }
            guard op == .equal || op == .notEqual else {
                throw error("addresses can only be compared with = or !=", at: o)
            }
            let prefix: IPPrefix
            do { prefix = try IPPrefix.parse(v.text, family: schema.family) } catch let e as XMapError {
                throw error(e.message, at: v)
            }
            return .compareAddress(field: index, op: op, value: prefix)
        }
        if v.kind == .number {
            guard type == .int || type == .bool else { throw error("field '\(t.text)' is not of type 'int'", at: t) }
            guard let n = UInt64(v.text) else { throw error("number '\(v.text)' is too large", at: v) }
            return .compareNumber(field: index, op: op, value: n)
        }
        guard type == .string else { throw error("field '\(t.text)' is not of type 'string'", at: t) }
        guard op == .equal || op == .notEqual else { throw error("strings can only be compared with = or !=", at: o) }
        return .compareString(field: index, op: op, value: v.text)
    }
}
