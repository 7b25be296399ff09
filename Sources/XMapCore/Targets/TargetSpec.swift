/// One target token, as XMap accepts them on the command line and in allow/block list files
/// (spec §5.6): an address or prefix, an inclusive address range, or a DNS name with an optional
/// `/len`. Parsing is pure: names are resolved elsewhere (`XMapIO.HostResolver`).
public enum TargetSpec: Equatable, Sendable {
    /// `198.51.100.0/24`, `2001:db8::/32`, or a bare address (length = the caller's `maxLen`).
    case prefix(IPPrefix)
    /// An inclusive range `a-b`; both ends belong to the scan's family and `a <= b`.
    case range(IPAddress, IPAddress)
    /// A host name as written (a trailing dot is kept) with its `/len`, or nil without one.
    /// Unlike XMap, names may contain `-`.
    case hostname(String, length: Int?)

    /// Parses one token for a scan of `family`.
    ///
    /// Disambiguation: a token whose text before the first `/` is an IP address is a prefix; a
    /// token with exactly one `-` whose two sides are plain addresses is a range; a syntactically
    /// valid host name (RFC 1123 labels, optionally with `/len`) is a host name; anything else is
    /// an error.
    /// - Parameter maxLen: the length given to addresses without `/len` (clamped to 0...bits).
    /// - Throws: `XMapError` with a one-line message that quotes the token.
    public static func parse(_ token: String, family: IPFamily, maxLen: Int) throws -> TargetSpec {
        let shown = displayText(token)
        if token.isEmpty { throw XMapError("invalid target '': empty") }
        // Control characters can only be junk; rejecting them here keeps every message one line.
        if token.unicodeScalars.contains(where: needsEscaping) {
            throw XMapError("invalid target '\(shown)': not an address, prefix, range or hostname")
        }

        let slashSplit = token.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let head = slashSplit[0]
        let dashSides = token.split(separator: "-", omittingEmptySubsequences: false)

        // Ranges: exactly one '-', both sides plain addresses.
        if dashSides.count == 2 {
            let l = dashSides[0], r = dashSides[1]
            if let a = IPAddress(l), let b = IPAddress(r) {
                return try range(a, b, token: shown, family: family)
            }
            // `a/len-maxlen` documentation notation: let the prefix parser report the length.
            let lengthDashNumber = l.contains("/") && !r.isEmpty && r.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
            if !lengthDashNumber && (looksLikeAddress(l) || looksLikeAddress(r)) {
                throw XMapError("invalid range '\(shown)': both ends must be plain addresses without /len")
            }
        }

        // Addresses and prefixes (IPPrefix reports other-family addresses and bad lengths).
        if IPAddress(head) != nil {
            let defaultLength = max(0, min(maxLen, family.bits))
            return .prefix(try IPPrefix.parse(token, family: family, defaultLength: defaultLength))
        }

        // Host names.
        if isValidHostname(head) {
            guard slashSplit.count == 2 else { return .hostname(String(head), length: nil) }
            let lenText = slashSplit[1]
            guard !lenText.isEmpty, lenText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                let l = Int(lenText), l <= family.bits
            else {
                throw XMapError("invalid prefix length '\(lenText)' in '\(shown)' (must be 0-\(family.bits))")
            }
            return .hostname(String(head), length: l)
        }
        throw XMapError("invalid target '\(shown)': not an address, prefix, range or hostname")
    }

    /// The max-len prefix values an inclusive address range covers: XMap adds every address of
    /// the range at /max_len, i.e. the values `a >> (bits-maxLen) ... b >> (bits-maxLen)`.
    /// Computed in O(1). `a` and `b` must be of one family with `a <= b`; `maxLen` is clamped to
    /// 0...bits.
    public static func intervals(from a: IPAddress, to b: IPAddress, maxLen: Int) -> ClosedRange<UInt128> {
        precondition(a.family == b.family, "range ends of different families")
        precondition(a.value <= b.value, "range start after end")
        let bits = a.family.bits
        let shift = bits - max(0, min(maxLen, bits))
        if shift >= 128 { return 0...0 }
        return (a.value >> UInt128(shift))...(b.value >> UInt128(shift))
    }

    /// The max-len prefix values whose whole prefix lies inside `a...b`, or nil when none does:
    /// what an allow range may scan (a prefix that sticks out of the range could be probed at an
    /// address outside it).
    public static func innerIntervals(from a: IPAddress, to b: IPAddress, maxLen: Int) -> ClosedRange<UInt128>? {
        precondition(a.family == b.family, "range ends of different families")
        precondition(a.value <= b.value, "range start after end")
        let bits = a.family.bits
        let shift = bits - max(0, min(maxLen, bits))
        let top: UInt128 = bits == 128 ? UInt128.max : (UInt128(1) << UInt128(bits)) - 1
        if shift == bits { return a.value == 0 && b.value == top ? 0...0 : nil }
        let mask = (UInt128(1) << UInt128(shift)) - 1
        let first = (a.value & mask) == 0 ? a.value >> UInt128(shift) : (a.value >> UInt128(shift)) + 1
        let last: UInt128
        if (b.value & mask) == mask {
            last = b.value >> UInt128(shift)
        } else {
            guard b.value >> UInt128(shift) > 0 else { return nil }
            last = (b.value >> UInt128(shift)) - 1
        }
        return first <= last ? first...last : nil
    }

    /// True for a host name with RFC 1123 syntax: labels of 1-63 letters, digits and hyphens, not
    /// starting or ending with a hyphen, at most 253 characters without the optional trailing dot.
    /// Like RFC 1123 §2.1 (and RFC 3696 §2), the last label must not be numeric, so dotted
    /// numbers that `inet_aton` would read as an address (`1.2.3.999`, `0x7f.1`) are not names.
    public static func isValidHostname(_ name: some StringProtocol) -> Bool {
        var text = Substring(name)
        if text.hasSuffix(".") { text = text.dropLast() }
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            let u = label.utf8
            guard u.count >= 1, u.count <= 63, u.first != UInt8(ascii: "-"), u.last != UInt8(ascii: "-"),
                u.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        let last = labels[labels.count - 1].utf8
        if last.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return false }
        let lower = Array(last.map { $0 | 0x20 })
        if lower.count > 2 && lower[0] == UInt8(ascii: "0") && lower[1] == UInt8(ascii: "x")
            && lower[2...].allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
        {
            return false
        }
        return true
    }

    // MARK: helpers

    private static func range(_ a: IPAddress, _ b: IPAddress, token: String, family: IPFamily) throws -> TargetSpec {
        guard a.family == b.family else {
            throw XMapError("invalid range '\(token)': it mixes \(a.family) and \(b.family) addresses")
        }
        guard a.family == family else {
            throw XMapError("'\(token)' is an \(a.family) address range, but this is an \(family) scan")
        }
        guard a.value <= b.value else { throw XMapError("invalid range '\(token)': start is after end") }
        return .range(a, b)
    }

    /// True when the text before any `/` is an address (`1.2.3.0/24`, `2001:db8::`).
    private static func looksLikeAddress(_ s: Substring) -> Bool {
        IPAddress(s.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]) != nil
    }

    private static func isLetterOrDigit(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122)
    }

    private static func needsEscaping(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// The token as it may appear in a one-line message: control characters become `\u{..}`.
    static func displayText(_ token: String) -> String {
        var out = ""
        for s in token.unicodeScalars {
            if needsEscaping(s) {
                out += "\\u{" + String(s.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }
}
