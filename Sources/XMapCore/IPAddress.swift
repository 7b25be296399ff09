/// An IPv4 or IPv6 address held as an unsigned integer (network bit order: the first byte on the
/// wire is the most significant).
public struct IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The family the address belongs to.
    public let family: IPFamily
    /// The address value; IPv4 uses the low 32 bits.
    public let value: UInt128

    @inlinable public init(family: IPFamily, value: UInt128) {
        self.family = family
        self.value = family == .v4 ? value & 0xFFFF_FFFF : value
    }

    /// Parses a dotted-quad IPv4 or an RFC 4291 IPv6 address. Returns nil for anything else.
    public init?(_ text: some StringProtocol) {
        let s = Substring(text)
        if s.contains(":") {
            guard let v = IPAddress.parseV6(s) else { return nil }
            self.init(family: .v6, value: v)
        } else {
            guard let v = IPAddress.parseV4(s) else { return nil }
            self.init(family: .v4, value: UInt128(v))
        }
    }

    /// Parses an address that must belong to `family`.
    public init?(_ text: some StringProtocol, family: IPFamily) {
        guard let a = IPAddress(text), a.family == family else { return nil }
        self = a
    }

    /// Builds an address from its wire bytes (4 or 16 of them).
    public init(family: IPFamily, bytes: UnsafeRawBufferPointer) {
        var v: UInt128 = 0
        for i in 0..<family.bytes { v = (v << 8) | UInt128(bytes[i]) }
        self.init(family: family, value: v)
    }

    public static func < (a: IPAddress, b: IPAddress) -> Bool { a.value < b.value }

    /// The address in wire order.
    public var bytes: [UInt8] {
        (0..<family.bytes).map { UInt8(truncatingIfNeeded: value >> UInt128(8 * (family.bytes - 1 - $0))) }
    }

    public var description: String {
        family == .v4 ? IPAddress.formatV4(UInt32(truncatingIfNeeded: value)) : IPAddress.formatV6(value)
    }

    // MARK: parsing

    static func parseV4(_ s: Substring) -> UInt32? {
        var result: UInt32 = 0
        var octets = 0
        var current: UInt32 = 0
        var digits = 0
        for ch in s.utf8 {
            if ch == UInt8(ascii: ".") {
                guard digits > 0, octets < 3 else { return nil }
                result = (result << 8) | current
                octets += 1
                current = 0
                digits = 0
            } else if ch >= UInt8(ascii: "0") && ch <= UInt8(ascii: "9") {
                // A leading zero followed by more digits is ambiguous (octal in inet_aton): reject.
                if digits == 1 && current == 0 { return nil }
                current = current * 10 + UInt32(ch - UInt8(ascii: "0"))
                digits += 1
                guard current <= 255, digits <= 3 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, octets == 3 else { return nil }
        return (result << 8) | current
    }

    static func parseV6(_ s: Substring) -> UInt128? {
        var groups: [UInt16] = []
        var gapIndex: Int? = nil
        var rest = s
        if rest.hasPrefix("::") {
            gapIndex = 0
            rest = rest.dropFirst(2)
            if rest.isEmpty { return 0 }
        } else if rest.hasPrefix(":") {
            return nil
        }
        var parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        if parts.last == "" {
            // Only "x::" may end with ':'.
            guard rest.hasSuffix("::"), gapIndex == nil else { return nil }
            parts.removeLast()
        }
        var i = 0
        while i < parts.count {
            let part = parts[i]
            if part.isEmpty {
                guard gapIndex == nil else { return nil }
                gapIndex = groups.count
                i += 1
                // "a::" leaves one more empty part from the split of the trailing '::'.
                if i == parts.count - 1 && parts[i].isEmpty { i += 1 }
                continue
            }
            if i == parts.count - 1 && part.contains(".") {
                guard let v4 = parseV4(part) else { return nil }
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(v4 & 0xFFFF))
            } else {
                guard part.utf8.count <= 4, let g = UInt16(part, radix: 16),
                    part.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) })
                else { return nil }
                groups.append(g)
            }
            i += 1
        }
        if let gap = gapIndex {
            guard groups.count < 8 else { return nil }
            groups.insert(contentsOf: [UInt16](repeating: 0, count: 8 - groups.count), at: gap)
        } else {
            guard groups.count == 8 else { return nil }
        }
        return groups.reduce(UInt128(0)) { ($0 << 16) | UInt128($1) }
    }

    // MARK: formatting (inet_ntoa / glibc inet_ntop compatible)

    static func formatV4(_ v: UInt32) -> String {
        "\(v >> 24).\((v >> 16) & 0xFF).\((v >> 8) & 0xFF).\(v & 0xFF)"
    }

    static func formatV6(_ v: UInt128) -> String {
        var words = [UInt16](repeating: 0, count: 8)
        for i in 0..<8 { words[i] = UInt16(truncatingIfNeeded: v >> UInt128(16 * (7 - i))) }
        // IPv4-mapped and IPv4-compatible forms as glibc prints them.
        if words[0...4].allSatisfy({ $0 == 0 }) && (words[5] == 0xFFFF || (words[5] == 0 && words[6] != 0)) {
            let v4 = formatV4(UInt32(words[6]) << 16 | UInt32(words[7]))
            return words[5] == 0xFFFF ? "::ffff:" + v4 : "::" + v4
        }
        // The longest run of zero words (at least 2), first one on a tie.
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if words[i] == 0 {
                var j = i
                while j < 8 && words[j] == 0 { j += 1 }
                if j - i > bestLen { bestStart = i; bestLen = j - i }
                i = j
            } else {
                i += 1
            }
        }
        if bestLen < 2 { bestStart = -1 }
        var out = ""
        i = 0
        while i < 8 {
            if i == bestStart {
                out += "::"
                i += bestLen
                continue
            }
            if !out.isEmpty && !out.hasSuffix(":") { out += ":" }
            out += String(words[i], radix: 16)
            i += 1
        }
        return out
    }
}
