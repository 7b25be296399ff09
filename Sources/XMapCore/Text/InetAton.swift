/// IPv4 address text as glibc's `inet_aton` reads it, which is what ZMap's list tools accept:
/// one to four parts separated by dots, each part decimal, octal (leading `0`) or hexadecimal
/// (`0x`), the last part filling the remaining bytes (`1.2.3` = 1.2.0.3, `10` = 0.0.0.10,
/// `0x7f.1` = 127.0.0.1). Every part must start with a digit. The address may be followed by
/// white space (space, tab, newline, vertical tab, form feed, carriage return) and then anything.
public enum InetAton {
    /// The address (host order, the first byte most significant), or nil when `text` is not one.
    @inlinable
    public static func parse<C: Collection>(_ text: C) -> UInt32? where C.Element == UInt8 {
        var high: UInt32 = 0  // the parts before the last, one byte each, from the top
        var parts: UInt32 = 0
        var i = text.startIndex
        while true {
            guard i != text.endIndex, isDigit(text[i]) else { return nil }
            guard let (value, next) = number(text, from: i) else { return nil }
            i = next
            if i != text.endIndex && text[i] == UInt8(ascii: ".") {
                // Three dots at most; every part before the last is one byte.
                guard parts < 3, value <= 0xFF else { return nil }
                high |= value << (24 - 8 * parts)
                parts += 1
                i = text.index(after: i)
                continue
            }
            if i != text.endIndex && !isSpace(text[i]) { return nil }
            // The last part fills the bytes the others left: 32, 24, 16 or 8 bits.
            guard UInt64(value) >> (32 - 8 * UInt64(parts)) == 0 else { return nil }
            return high | value
        }
    }

    /// One part, as `strtoul(…, 0)` reads it from a digit: `0x` + hex digits, `0` + octal digits,
    /// or decimal. Returns nil when it exceeds 32 bits; stops at the first byte that is not a
    /// digit of its base (so `0x` reads as `0` followed by `x`, and `08` as `0` followed by `8`).
    @inlinable
    static func number<C: Collection>(_ text: C, from start: C.Index) -> (UInt32, C.Index)? where C.Element == UInt8 {
        var i = start
        var base: UInt64 = 10
        if text[i] == UInt8(ascii: "0") {
            base = 8
            let x = text.index(after: i)
            if x != text.endIndex && (text[x] | 0x20) == UInt8(ascii: "x") {
                let first = text.index(after: x)
                if first != text.endIndex && digitValue(text[first], base: 16) != nil {
                    base = 16
                    i = first
                }
            }
        }
        var value: UInt64 = 0
        while i != text.endIndex, let d = digitValue(text[i], base: base) {
            value = value * base + d
            guard value <= 0xFFFF_FFFF else { return nil }
            i = text.index(after: i)
        }
        return (UInt32(value), i)
    }

    @inlinable
    static func digitValue(_ c: UInt8, base: UInt64) -> UInt64? {
        let d: UInt64
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt64(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt64(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt64(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
        return d < base ? d : nil
    }

    /// An ASCII decimal digit.
    @inlinable public static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// C's `isspace` in the C locale.
    @inlinable public static func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
}
