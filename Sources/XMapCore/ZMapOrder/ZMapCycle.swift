/// A scan's walk through a ZMap group: the generator g and the starting offset, both drawn from the
/// seeded `ZMapRandom` in this order (two words in all, normally; a word is never drawn again).
///
/// The generator search is ZMap's `find_primroot`: take the low 32 bits of a word, reduce them
/// modulo p (kept as a 32-bit value), then repeatedly add one (wrapping at 2^32), reduce modulo p and
/// modulo 2^22, skip zero, and stop at the first value that generates the group. Generators therefore
/// always lie below 2^22; the search walks upwards from a random point and wraps to 1 after 2^22 − 1.
/// The offset is the low 32 bits of the next word, reduced modulo p.
public struct ZMapCycle: Sendable, Equatable {
    /// The group walked.
    public let group: ZMapCyclicGroup
    /// The primitive root g < 2^22 (ZMap's metadata field `generator`).
    public let generator: UInt64
    /// The exponent shift applied to every sub-shard's bounds (< min(p, 2^32)).
    public let offset: UInt64

    /// The number of exponents, p − 1.
    public var order: UInt64 { group.order }

    /// The largest generator ZMap accepts, exclusive: 2^22.
    public static let generatorLimit: UInt64 = 1 << 22

    /// Draws the generator, then the offset, from `random`.
    public init(group: ZMapCyclicGroup, random: inout ZMapRandom) {
        self.group = group
        generator = Self.findGenerator(group: group, word: random.nextWord())
        offset = UInt64(UInt32(truncatingIfNeeded: random.nextWord())) % group.prime
    }

    /// A cycle with a known generator and offset (for tests and resumed scans).
    public init(group: ZMapCyclicGroup, generator: UInt64, offset: UInt64) {
        self.group = group
        self.generator = generator
        self.offset = offset
    }

    /// ZMap's search from one random word, with its 32-bit candidate arithmetic.
    static func findGenerator(group: ZMapCyclicGroup, word: UInt64) -> UInt64 {
        var candidate = UInt32(truncatingIfNeeded: UInt64(UInt32(truncatingIfNeeded: word)) % group.prime)
        while true {
            candidate &+= 1
            candidate = UInt32(UInt64(candidate) % group.prime)
            candidate = UInt32(UInt64(candidate) % generatorLimit)
            if candidate != 0 && group.isGenerator(UInt64(candidate)) { return UInt64(candidate) }
        }
    }
}
