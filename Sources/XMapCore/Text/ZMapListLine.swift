/// One line of a ZMap allowlist or blocklist file (`-b`, `-w`), read as ZMap's list loader reads
/// it: everything from `#` on is a comment; the first word (at most 255 bytes; the rest of the
/// line is ignored) is `address[/length]` where the address is `inet_aton` text or a host name,
/// and the length is a base-10 number from 0 to 32 with an optional sign and anything after it
/// (`/24`, `/+24`, `/024`, `/24abc`). An IPv6 address or prefix is skipped.
public enum ZMapListLine: Equatable, Sendable {
    /// No word: a blank or comment line.
    case empty
    /// An IPv6 address or prefix, which ZMap's IPv4 lists skip (the word, for a debug message).
    case ipv6(String)
    /// An IPv4 prefix: the address (host order, host bits as written) and the prefix length.
    case prefix(UInt32, length: Int)
    /// A word that is not an address: a host name to resolve, and the prefix length.
    case name(String, length: Int)
    /// The text after `/` is not a prefix length (the text, for the message).
    case badLength(String)

    /// The longest word ZMap reads from a line (`sscanf("%255s")`).
    public static let maxWordLength = 255

    /// Parses one line (with or without its newline).
    public init<C: Collection>(_ line: C) where C.Element == UInt8 {
        let bytes = Array(line.prefix { $0 != UInt8(ascii: "#") })
        guard let start = bytes.firstIndex(where: { !InetAton.isSpace($0) }) else {
            self = .empty
            return
        }
        let word = Array(bytes[start...].prefix { !InetAton.isSpace($0) }.prefix(Self.maxWordLength))
        let slash = word.firstIndex(of: UInt8(ascii: "/"))
        let host = slash.map { Array(word[..<$0]) } ?? word
        let text = String(decoding: word, as: UTF8.self)
        if IPAddress(String(decoding: host, as: UTF8.self), family: .v6) != nil {
            self = .ipv6(text)
            return
        }
        var length = 32
        if let slash {
            let lengthText = word[(slash + 1)...]
            guard let n = Self.prefixLength(lengthText) else {
                self = .badLength(String(decoding: lengthText, as: UTF8.self))
                return
            }
            length = n
        }
        if let address = InetAton.parse(host) {
            self = .prefix(address, length: length)
        } else {
            self = .name(String(decoding: host, as: UTF8.self), length: length)
        }
    }

    /// `strtol(text, &end, 10)` accepted as ZMap does: at least one digit after an optional sign,
    /// anything after the digits ignored, the value from 0 to 32.
    static func prefixLength(_ text: ArraySlice<UInt8>) -> Int? {
        var i = text.startIndex
        var negative = false
        if i < text.endIndex && (text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-")) {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        var value = 0
        var digits = 0
        while i < text.endIndex && InetAton.isDigit(text[i]) {
            // Past 32 the exact value no longer matters (and cannot overflow).
            value = min(value * 10 + Int(text[i] - UInt8(ascii: "0")), 1000)
            digits += 1
            i += 1
        }
        guard digits > 0 else { return nil }
        if negative { value = -value }
        return (0...32).contains(value) ? value : nil
    }
}
