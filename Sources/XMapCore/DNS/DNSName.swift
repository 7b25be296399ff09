/// Domain names in DNS wire format: encoding a name typed by a user, and reading a possibly
/// compressed name out of a message that came from the network.
public enum DNSName {
    /// The longest name on the wire (RFC 1035 §2.3.4), length bytes and final zero included.
    public static let maximumWireLength = 255
    /// The longest label.
    public static let maximumLabelLength = 63
    /// The most compression pointers one name may follow. Every pointer must also point before
    /// the label run that contains it, so a loop is impossible anyway; this bounds the work.
    public static let maximumPointers = 64

    /// The wire form of `text` (`www.example.com` or `www.example.com.`; `""` and `.` are the
    /// root). Throws for an empty label (`a..b`), a label over 63 bytes or a name over 255.
    public static func encode(_ text: String) throws -> [UInt8] {
        let bytes = Array(text.utf8)
        if bytes.isEmpty || bytes == [UInt8(ascii: ".")] { return [0] }
        var body = bytes[...]
        if body.last == UInt8(ascii: ".") { body = body.dropLast() }
        var wire: [UInt8] = []
        wire.reserveCapacity(body.count + 2)
        for label in body.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty else { throw XMapError("invalid DNS name '\(text)': empty label") }
            guard label.count <= maximumLabelLength else {
                throw XMapError("invalid DNS name '\(text)': a label is longer than \(maximumLabelLength) bytes")
            }
            wire.append(UInt8(label.count))
            wire.append(contentsOf: label)
        }
        wire.append(0)
        guard wire.count <= maximumWireLength else {
            throw XMapError("invalid DNS name '\(text)': longer than \(maximumWireLength) bytes on the wire")
        }
        return wire
    }

    /// A name read from a message.
    public struct Read: Sendable, Equatable {
        /// The name in presentation form, without the final dot (`""` for the root).
        public var text: String
        /// Where the bytes after the name start (after its final zero or its first pointer).
        public var end: Int

        public init(text: String, end: Int) {
            self.text = text
            self.end = end
        }
    }

    /// Reads the name at `offset` in `message` (the whole DNS message, for compression
    /// pointers). Nil when the name runs past the message, a pointer does not point backwards,
    /// it uses a reserved label type, or it is longer than 255 bytes.
    public static func read(_ message: UnsafeRawBufferPointer, at offset: Int) -> Read? {
        var text: [UInt8] = []
        var position = offset
        var runStart = offset
        var end: Int? = nil
        var wireLength = 0
        var pointers = 0
        while true {
            guard position >= 0, position < message.count else { return nil }
            let length = Int(message[position])
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    guard wireLength + 1 <= maximumWireLength else { return nil }
                    return Read(text: String(decoding: text, as: UTF8.self), end: end ?? position + 1)
                }
                guard position + 1 + length <= message.count else { return nil }
                wireLength += 1 + length
                guard wireLength + 1 <= maximumWireLength else { return nil }
                if !text.isEmpty { text.append(UInt8(ascii: ".")) }
                for i in 0..<length { appendEscaped(message[position + 1 + i], to: &text) }
                position += 1 + length
            case 0xC0:
                guard position + 1 < message.count else { return nil }
                let target = (length & 0x3F) << 8 | Int(message[position + 1])
                if end == nil { end = position + 2 }
                pointers += 1
                guard pointers <= maximumPointers, target < runStart else { return nil }
                runStart = target
                position = target
            default:
                return nil  // 0x40 and 0x80: extended and reserved label types
            }
        }
    }

    /// The wire bytes of the name at `offset` up to (not including) its final zero or first
    /// pointer, and where they end; for repeat keys. Nil when they run past the message.
    public static func uncompressedPrefix(_ message: UnsafeRawBufferPointer, at offset: Int) -> Range<Int>? {
        var position = offset
        while position >= 0, position < message.count {
            let length = Int(message[position])
            if length == 0 || length & 0xC0 != 0 { return offset..<position }
            position += 1 + length
        }
        return nil
    }

    /// Appends one label byte in presentation form (as dig prints names): letters, digits and
    /// most punctuation as they are; `.`, `\`, `"`, `(`, `)`, `;`, `@` and `$` escaped with a
    /// backslash; anything else as `\DDD` (decimal).
    static func appendEscaped(_ byte: UInt8, to text: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: ";"), UInt8(ascii: "@"), UInt8(ascii: "$"):
            text.append(UInt8(ascii: "\\"))
            text.append(byte)
        case 0x21...0x7E:
            text.append(byte)
        default:
            text.append(UInt8(ascii: "\\"))
            text.append(UInt8(ascii: "0") + byte / 100)
            text.append(UInt8(ascii: "0") + byte / 10 % 10)
            text.append(UInt8(ascii: "0") + byte % 10)
        }
    }
}
