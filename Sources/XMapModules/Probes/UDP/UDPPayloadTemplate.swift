import XMapCore

/// XMap's UDP payload template (`--probe-args=template:/path`): literal text with `${FIELD}` and
/// `${FIELD=n}` placeholders that are filled per packet. Unknown names stay literal text.
///
/// Fields: `SADDR`, `DADDR`, `SPORT`, `DPORT` (text) and `SADDR_N`, `DADDR_N`, `SPORT_N`,
/// `DPORT_N` (network byte order), and `RAND_BYTE=n`, `RAND_DIGIT=n`, `RAND_ALPHA=n`,
/// `RAND_ALPHANUM=n` (n random characters, drawn as XMap draws them from the thread's AES stream).
/// Unlike XMap, `DPORT` is the destination port.
public struct UDPPayloadTemplate: Sendable {
    public enum Part: Sendable, Equatable {
        case literal([UInt8])
        case sourceText, destinationText, sourceBytes, destinationBytes
        case sourcePortText, destinationPortText, sourcePortBytes, destinationPortBytes
        case randomBytes(Int), randomDigits(Int), randomAlpha(Int), randomAlphanumeric(Int)
    }

    public let parts: [Part]

    /// The `template-fields` help text, as XMap prints it on stderr.
    public static func fieldHelp(family: IPFamily) -> String {
        let v = "\(family)"
        let fields: [(String, String)] = [
            ("SADDR_N", "Source \(v) address in network byte order"),
            ("SADDR", "Source \(v) address in dotted-quad format"),
            ("DADDR_N", "Destination \(v) address in network byte order"),
            ("DADDR", "Destination \(v) address in dotted-quad format"),
            ("SPORT_N", "UDP source port in netowrk byte order"), ("SPORT", "UDP source port in ascii format"),
            ("DPORT_N", "UDP destination port in network byte order"),
            ("DPORT", "UDP destination port in ascii format"),
            ("RAND_BYTE", "Random bytes from 0-255"), ("RAND_DIGIT", "Random digits from 0-9"),
            ("RAND_ALPHA", "Random mixed-case letters (a-z)"),
            ("RAND_ALPHANUM", "Random mixed-case letters (a-z) and numbers")
        ]
        let line = String(repeating: "-", count: 54) + "\n"
        func row(_ name: String, _ text: String) -> String {
            (name.count >= 15 ? name : name + String(repeating: " ", count: 15 - name.count)) + ": " + text + "\n"
        }
        return "List of allowed UDP template fields\n" + line + row("Name", "Description") + line
            + fields.map(row).joined() + line
            + "Example:\n    Specify the field at ${}, e.g., ${SADDR}, ${RAND_DIGIT=9}\n"
    }

    /// Parses template text. Throws for a random field without a valid length.
    public init(_ text: [UInt8]) throws {
        var parts: [Part] = []
        var literal: [UInt8] = []
        var i = 0
        while i < text.count {
            if text[i] == UInt8(ascii: "$"), i + 1 < text.count, text[i + 1] == UInt8(ascii: "{"),
                let close = text[(i + 2)...].firstIndex(of: UInt8(ascii: "}"))
            {
                let body = String(decoding: text[(i + 2)..<close], as: UTF8.self)
                if let part = try Self.field(body) {
                    if !literal.isEmpty { parts.append(.literal(literal)); literal = [] }
                    parts.append(part)
                } else {
                    literal.append(contentsOf: text[i...close])
                }
                i = close + 1
            } else {
                literal.append(text[i])
                i += 1
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    static func field(_ body: String) throws -> Part? {
        let pieces = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(pieces[0])
        func count() throws -> Int {
            guard pieces.count == 2, let n = Int(pieces[1]), n > 0, n <= 1472 else {
                throw XMapError("UDP payload template field ${\(body)} needs a length, e.g. ${\(name)=8}")
            }
            return n
        }
        switch name {
        case "SADDR": return .sourceText
        case "DADDR": return .destinationText
        case "SADDR_N": return .sourceBytes
        case "DADDR_N": return .destinationBytes
        case "SPORT": return .sourcePortText
        case "DPORT": return .destinationPortText
        case "SPORT_N": return .sourcePortBytes
        case "DPORT_N": return .destinationPortBytes
        case "RAND_BYTE": return .randomBytes(try count())
        case "RAND_DIGIT": return .randomDigits(try count())
        case "RAND_ALPHA": return .randomAlpha(try count())
        case "RAND_ALPHANUM": return .randomAlphanumeric(try count())
        default: return nil
        }
    }

    /// The longest payload the template can produce for `family`.
    public func maximumLength(family: IPFamily) -> Int {
        parts.reduce(0) { total, part in
            switch part {
            case .literal(let b): return total + b.count
            case .sourceText, .destinationText: return total + (family == .v4 ? 15 : 39)
            case .sourceBytes, .destinationBytes: return total + family.bytes
            case .sourcePortText, .destinationPortText: return total + 5
            case .sourcePortBytes, .destinationPortBytes: return total + 2
            case .randomBytes(let n), .randomDigits(let n), .randomAlpha(let n), .randomAlphanumeric(let n):
                return total + n
            }
        }
    }

    static let digits = Array("0123456789".utf8)
    static let alpha = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
    static let alphanumeric = alpha + digits

    /// Writes the payload for one packet at `out` (room for `maximumLength` bytes) and returns
    /// its length. Each random character is `set[(low 32 bits of the next word) mod set size]`, and
    /// a random byte is `(word mod 256 + 1) mod 256` (XMap's byte table starts at 0x01).
    public func write(
        into out: UnsafeMutableRawPointer, family: IPFamily, source: UInt128, destination: UInt128,
        sourcePort: UInt16, destinationPort: UInt16, random: inout AESRandom
    ) -> Int {
        let w = PacketWriter(out)
        var n = 0
        func text(_ s: String) {
            for b in s.utf8 { w.u8(n, b); n += 1 }
        }
        func draw(_ count: Int, _ byte: (UInt32) -> UInt8) {
            for _ in 0..<count {
                w.u8(n, byte(UInt32(truncatingIfNeeded: random.nextWord())))
                n += 1
            }
        }
        func pick(_ set: [UInt8], _ count: Int) { draw(count) { set[Int($0 % UInt32(set.count))] } }
        for part in parts {
            switch part {
            case .literal(let b):
                b.withUnsafeBytes { (out + n).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                n += b.count
            case .sourceText: text(IPAddress(family: family, value: source).description)
            case .destinationText: text(IPAddress(family: family, value: destination).description)
            case .sourceBytes: w.address(n, source, family: family); n += family.bytes
            case .destinationBytes: w.address(n, destination, family: family); n += family.bytes
            case .sourcePortText: text(String(sourcePort))
            case .destinationPortText: text(String(destinationPort))
            case .sourcePortBytes: w.u16(n, sourcePort); n += 2
            case .destinationPortBytes: w.u16(n, destinationPort); n += 2
            case .randomBytes(let c): draw(c) { UInt8(truncatingIfNeeded: $0 % 256 + 1) }
            case .randomDigits(let c): pick(Self.digits, c)
            case .randomAlpha(let c): pick(Self.alpha, c)
            case .randomAlphanumeric(let c): pick(Self.alphanumeric, c)
            }
        }
        return n
    }
}
