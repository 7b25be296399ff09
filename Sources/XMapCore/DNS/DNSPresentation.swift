/// RDATA in presentation form, as `dig +short` prints it, except that names carry no final
/// dot (XMap's style) and TXT is the character-strings joined (as XMap prints a single one).
extension DNSRecordData {
    public var presentation: String {
        switch self {
        case .address(let a): return a.description
        case .name(let n): return DNSText.rdataName(n)
        case .mailExchange(let p, let x): return "\(p) \(DNSText.rdataName(x))"
        case .text(let strings): return DNSText.utf8(Array(strings.joined()))
        case .startOfAuthority(let s):
            return
                "\(DNSText.rdataName(s.mname)) \(DNSText.rdataName(s.rname)) \(s.serial) \(s.refresh) \(s.retry) "
                + "\(s.expire) \(s.minimum)"
        case .service(let p, let w, let port, let t): return "\(p) \(w) \(port) \(DNSText.rdataName(t))"
        case .certificationAuthority(let flags, let tag, let value):
            return "\(flags) \(DNSText.utf8(tag)) \(DNSText.quoted(value))"
        case .delegationSigner(let k, let a, let d, let digest):
            return "\(k) \(a) \(d) \(DNSText.hex(digest, uppercase: true))"
        case .key(let f, let p, let a, let key): return "\(f) \(p) \(a) \(DNSText.base64(key))"
        case .signature(let s):
            return "\(s.typeCovered) \(s.algorithm) \(s.labels) \(s.originalTTL) \(DNSText.timestamp(s.expiration)) "
                + "\(DNSText.timestamp(s.inception)) \(s.keyTag) \(DNSText.rdataName(s.signer)) "
                + "\(DNSText.base64(s.signature))"
        case .tlsAssociation(let u, let s, let t, let data):
            return "\(u) \(s) \(t) \(DNSText.hex(data, uppercase: true))"
        case .serviceBinding(let p, let target, let parameters):
            return ([String(p), DNSText.rdataName(target)] + parameters.map(\.presentation)).joined(separator: " ")
        case .options(let o):
            return o.options.map { "\($0.code):\(DNSText.hex($0.data, uppercase: false))" }.joined(separator: " ")
        }
    }
}

extension DNSServiceParameter {
    /// The key's mnemonic (RFC 9460 §14.3.2), or `key<n>`.
    public var keyName: String {
        switch key {
        case 0: "mandatory"
        case 1: "alpn"
        case 2: "no-default-alpn"
        case 3: "port"
        case 4: "ipv4hint"
        case 5: "ech"
        case 6: "ipv6hint"
        case 7: "dohpath"
        default: "key\(key)"
        }
    }

    /// `key=value` as dig prints it; an undecodable value is written as `key<n>` with hex.
    public var presentation: String {
        guard let v = valueText else { return "key\(key)=\"\(DNSText.escaped(value))\"" }
        return v.isEmpty && (key == 2) ? keyName : "\(keyName)=\(v)"
    }

    /// The value in presentation form, or nil when it is malformed for its key.
    public var valueText: String? {
        switch key {
        case 0:
            guard value.count % 2 == 0 else { return nil }
            return stride(from: 0, to: value.count, by: 2)
                .map { DNSServiceParameter(key: UInt16(value[$0]) << 8 | UInt16(value[$0 + 1]), value: []).keyName }
                .joined(separator: ",")
        case 1:
            var ids: [String] = []
            var i = 0
            while i < value.count {
                let n = Int(value[i])
                guard n > 0, i + 1 + n <= value.count else { return nil }
                ids.append(DNSText.escaped(Array(value[(i + 1)..<(i + 1 + n)]), extra: [UInt8(ascii: ",")]))
                i += 1 + n
            }
            return "\"" + ids.joined(separator: ",") + "\""
        case 2: return value.isEmpty ? "" : nil
        case 3:
            guard value.count == 2 else { return nil }
            return String(UInt16(value[0]) << 8 | UInt16(value[1]))
        case 4, 6:
            let size = key == 4 ? 4 : 16
            guard !value.isEmpty, value.count % size == 0 else { return nil }
            let family: IPFamily = key == 4 ? .v4 : .v6
            return stride(from: 0, to: value.count, by: size).map { o in
                value.withUnsafeBytes {
                    IPAddress(family: family, bytes: UnsafeRawBufferPointer(rebasing: $0[o..<(o + size)])).description
                }
            }.joined(separator: ",")
        case 5: return DNSText.base64(value)
        default: return "\"" + DNSText.escaped(value) + "\""
        }
    }
}

/// Text helpers for DNS presentation form.
public enum DNSText {
    /// A name inside RDATA: the root is written `.`.
    static func rdataName(_ name: String) -> String { name.isEmpty ? "." : name }

    /// Bytes as UTF-8 text, each byte that is not part of valid UTF-8 replaced by U+FFFD (as
    /// XMap replaces them, one per byte).
    public static func utf8(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            if let (scalar, length) = decodeScalar(bytes, at: i) {
                scalars.append(scalar)
                i += length
            } else {
                scalars.append("\u{FFFD}")
                i += 1
            }
        }
        return String(scalars)
    }

    /// One well-formed UTF-8 sequence at `i`, or nil.
    static func decodeScalar(_ b: [UInt8], at i: Int) -> (Unicode.Scalar, Int)? {
        let lead = b[i]
        let length: Int
        var value: UInt32
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard i + length <= b.count else { return nil }
        for k in 1..<length {
            guard b[i + k] & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b[i + k] & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// `"…"` with `"` and `\` escaped and bytes outside printable ASCII as `\DDD`.
    static func quoted(_ bytes: [UInt8]) -> String { "\"" + escaped(bytes) + "\"" }

    static func escaped(_ bytes: [UInt8], extra: [UInt8] = []) -> String {
        var out: [UInt8] = []
        for b in bytes {
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || extra.contains(b) {
                out.append(UInt8(ascii: "\\"))
                out.append(b)
            } else if b >= 0x20 && b < 0x7F {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "0") + b / 100)
                out.append(UInt8(ascii: "0") + b / 10 % 10)
                out.append(UInt8(ascii: "0") + b % 10)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func hex(_ bytes: [UInt8], uppercase: Bool) -> String {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            let chunk =
                UInt32(bytes[i]) << 16 | (n > 1 ? UInt32(bytes[i + 1]) << 8 : 0) | (n > 2 ? UInt32(bytes[i + 2]) : 0)
            for k in 0..<4 {
                out.append(k <= n ? alphabet[Int(chunk >> (18 - 6 * UInt32(k)) & 0x3F)] : UInt8(ascii: "="))
            }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An RRSIG time as `YYYYMMDDHHMMSS` (UTC), as dig prints it.
    public static func timestamp(_ seconds: UInt32) -> String {
        let s = Int64(seconds)
        let days = s / 86400, rest = s % 86400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)\(two(month))\(two(day))\(two(rest / 3600))\(two(rest / 60 % 60))\(two(rest % 60))"
    }
}
