/// JSON text as json-c writes it in its spaced style (XMap's output and metadata):
/// `{ "key": value, … }`, `[ a, b ]`, empty containers as `{ }` and `[ ]`.
public enum JSONText {
    /// A string literal with json-c's escaping (`/` becomes `\/`, controls `\u00XX`).
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
                out.append(contentsOf: [92, 117, 48, 48])  // \u00
                out.append(hexDigit(c >> 4))
                out.append(hexDigit(c & 15))
            default: out.append(c)
            }
        }
        out.append(34)
    }

    /// `s` as a JSON string literal.
    public static func quoted(_ s: String) -> String {
        var b: [UInt8] = []
        appendString(s, to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    /// Opens a container (`{` or `[`) element `index`: `{ ` / `[ ` before the first, `, ` after.
    @inlinable public static func appendSeparator(_ index: Int, to out: inout [UInt8]) {
        if index == 0 { out.append(32) } else { out.append(contentsOf: [44, 32]) }
    }

    static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 48 + v : 87 + v }
}
