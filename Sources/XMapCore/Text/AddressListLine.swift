/// One line of an `-I` address list: blank or a comment, an address of the scan's family, or
/// something else. The first whitespace-separated token counts; `#` starts a comment.
public enum AddressListLine: Equatable, Sendable {
    case blank
    case address(UInt128)
    /// The token that is not an address of the family.
    case invalid(String)

    /// Classifies `line` (its bytes, without the newline).
    public static func parse(_ line: UnsafeRawBufferPointer, family: IPFamily) -> AddressListLine {
        var a = 0, b = line.count
        while a < b && (line[a] == 32 || line[a] == 9) { a += 1 }
        while b > a && (line[b - 1] == 32 || line[b - 1] == 9) { b -= 1 }
        if a == b || line[a] == 35 { return .blank }
        var end = a
        while end < b && line[end] != 32 && line[end] != 9 && line[end] != 35 { end += 1 }
        let token = UnsafeRawBufferPointer(rebasing: line[a..<end])
        guard let v = AddressBytes.parse(token, family: family) else {
            return .invalid(String(decoding: token, as: UTF8.self))
        }
        return .address(v)
    }
}
