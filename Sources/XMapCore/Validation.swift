import CXMapCrypto

/// Stateless reply validation as XMap does it: a keyed AES block over (src XOR dst, port) gives
/// the values a probe carries (ICMP id/seq, TCP sequence number, source port), so a reply can be
/// checked without remembering anything about the probe.
public struct Validator: @unchecked Sendable {
    /// The scan's validation key (held here, so its round keys live as long as any validator).
    public let key: AESKey
    public let family: IPFamily
    /// The key's round keys, read directly on the per-packet path (no access through the class).
    @usableFromInline let roundKeys: UnsafePointer<CXMap_AES128>

    public init(key: AESKey, family: IPFamily) {
        self.key = key
        self.family = family
        roundKeys = UnsafePointer(key.storage)
    }

    /// The validation block for a probe from `src` to `dst` at `port` (0 for ICMP).
    @inlinable public func block(src: UInt128, dst: UInt128, port: UInt16) -> AESBlock {
        var input = AESBlock()
        let x = src ^ dst
        if family == .v4 {
            // 4 bytes in wire order, rest zero.
            let v = UInt32(truncatingIfNeeded: x)
            input.b.0 = UInt64(v.bigEndian)
        } else {
            input.b.0 = UInt64(truncatingIfNeeded: x >> 64).bigEndian
            input.b.1 = UInt64(truncatingIfNeeded: x).bigEndian
        }
        input[0] ^= UInt8(port >> 8)
        input[3] ^= UInt8(port & 0xFF)
        return AESKey.encrypt(input, with: roundKeys)
    }
}

/// Values derived from a validation block, matching XMap's wire layout on little-endian hosts.
public enum ValidationValues {
    /// `v0 << 8 | v1`: the 16-bit value behind source ports, ICMP ids and DNS ids.
    @inlinable public static func word0(_ v: AESBlock) -> UInt16 { UInt16(v[0]) << 8 | UInt16(v[1]) }

    /// The ICMP identifier as it reads on the wire (XMap stores `v0<<8|v1` without htons).
    @inlinable public static func icmpIdentifier(_ v: AESBlock) -> UInt16 { UInt16(v[1]) << 8 | UInt16(v[0]) }

    /// The ICMP sequence number as it reads on the wire.
    @inlinable public static func icmpSequence(_ v: AESBlock) -> UInt16 { UInt16(v[3]) << 8 | UInt16(v[2]) }

    /// The TCP sequence number as it reads on the wire (XMap stores `v0..v3` without htonl).
    @inlinable public static func tcpSequence(_ v: AESBlock) -> UInt32 {
        UInt32(v[3]) << 24 | UInt32(v[2]) << 16 | UInt32(v[1]) << 8 | UInt32(v[0])
    }

    /// `first + (word0 + probe) mod count`.
    @inlinable public static func sourcePort(_ v: AESBlock, probe: Int, range: SourcePortRange) -> UInt16 {
        let n = range.count
        return UInt16(
            truncatingIfNeeded: UInt32(range.first) + (UInt32(word0(v)) &+ UInt32(truncatingIfNeeded: probe)) % n)
    }

    /// True when `port` is one of the `probes` consecutive source ports of this block.
    @inlinable public static func isSourcePort(
        _ port: UInt16, _ v: AESBlock, probes: Int, range: SourcePortRange
    ) -> Bool {
        guard port >= range.first && port <= range.last else { return false }
        let n = range.count
        let base = UInt32(word0(v)) % n
        let offset = (UInt32(port - range.first) + n - base) % n
        return offset < UInt32(max(1, min(probes, Int(n))))
    }
}
