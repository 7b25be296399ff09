/// An address with a prefix length, e.g. `2001:db8::/32` or `198.51.100.0/24`.
public struct IPPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The address as written (host bits are kept; use `network` for the masked value).
    public let address: IPAddress
    /// Prefix length in bits, 0...32 or 0...128.
    public let length: Int

    public init(address: IPAddress, length: Int) {
        precondition(length >= 0 && length <= address.family.bits)
        self.address = address
        self.length = length
    }

    /// Parses `addr` or `addr/len`; without `/len` the length is `defaultLength` (or the full width).
    /// - Throws: `XMapError` naming the bad token.
    public static func parse(_ text: String, family: IPFamily? = nil, defaultLength: Int? = nil) throws -> IPPrefix {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else {
            throw XMapError("invalid address '\(parts[0])' in '\(text)'")
        }
        if let family, address.family != family {
            throw XMapError("'\(text)' is an \(address.family) address, but this is an \(family) scan")
        }
        let bits = address.family.bits
        var length = min(defaultLength ?? bits, bits)
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                let l = Int(parts[1]), l <= bits
            else {
                throw XMapError("invalid prefix length '\(parts[1])' in '\(text)' (must be 0-\(bits))")
            }
            length = l
        }
        return IPPrefix(address: address, length: length)
    }

    /// Whether `a` (of the same family) lies in the prefix.
    public func contains(_ a: IPAddress) -> Bool {
        guard a.family == address.family else { return false }
        let m = IPPrefix.mask(length: length, bits: address.family.bits)
        return a.value & m == address.value & m
    }

    /// The prefix with host bits cleared.
    public var network: IPAddress {
        IPAddress(
            family: address.family, value: address.value & IPPrefix.mask(length: length, bits: address.family.bits))
    }

    /// Network mask of `length` leading ones within `bits`.
    @inlinable public static func mask(length: Int, bits: Int) -> UInt128 {
        if length == 0 { return 0 }
        let all: UInt128 = bits == 128 ? ~0 : (UInt128(1) << UInt128(bits)) - 1
        return all & ~((UInt128(1) << UInt128(bits - length)) &- 1)
    }

    public var description: String { "\(address)/\(length)" }
}
