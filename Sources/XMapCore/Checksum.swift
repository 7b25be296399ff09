/// RFC 1071 Internet checksum helpers over raw memory.
public enum Checksum {
    /// Adds `count` bytes at `p` to a running one's-complement sum (big-endian words). Reads 32
    /// bits at a time (a one's-complement sum of 32-bit words folds to the same 16-bit sum) and
    /// returns the sum folded to at most 16 bits, so callers can keep adding to it.
    @inlinable public static func add(_ p: UnsafeRawPointer, count: Int, to sum: UInt32 = 0) -> UInt32 {
        var s = UInt64(sum)
        var i = 0
        while i + 4 <= count {
            s &+= UInt64(UInt32(bigEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
            i += 4
        }
        if i + 2 <= count {
            s &+= UInt64(UInt16(bigEndian: p.loadUnaligned(fromByteOffset: i, as: UInt16.self)))
            i += 2
        }
        if i < count { s &+= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << 8 }
        s = (s & 0xFFFF_FFFF) &+ (s >> 32)
        s = (s & 0xFFFF_FFFF) &+ (s >> 32)
        s = (s & 0xFFFF) &+ (s >> 16)
        s = (s & 0xFFFF) &+ (s >> 16)
        return UInt32(s)
    }

    /// Adds a 128-bit (or 32-bit) address value to a running sum as 16-bit words.
    @inlinable public static func add(address v: UInt128, family: IPFamily, to sum: UInt32) -> UInt32 {
        var s = UInt64(sum)
        let words = family == .v4 ? 2 : 8
        for i in 0..<words { s &+= UInt64(truncatingIfNeeded: (v >> UInt128(16 * i)) & 0xFFFF) }
        while s >> 32 != 0 { s = (s & 0xFFFF_FFFF) + (s >> 32) }
        return UInt32(s)
    }

    /// Folds a running sum to 16 bits and complements it.
    @inlinable public static func finish(_ sum: UInt32) -> UInt16 {
        var s = sum
        while s >> 16 != 0 { s = (s & 0xFFFF) + (s >> 16) }
        return ~UInt16(s)
    }
}
