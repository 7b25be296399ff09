/// ZMap's seeded pseudo-random generator (its `aesrand`), which draws the cyclic group's generator and
/// offset from `--seed`.
///
/// The key is AES-128 with the seed's 8 bytes, least significant first, in key bytes 0–7 and zeros in
/// bytes 8–15. The state starts as the all-zero block; every refill encrypts the previous output block.
/// Each output block gives two words: its bytes 0–7, then its bytes 8–15, each read in host byte order
/// (little-endian on the machines xmap supports), exactly as ZMap copies them out of the block.
///
/// Unlike XMap's `AESRandom`, which spends one block per draw, this one spends half a block.
public struct ZMapRandom {
    private let key: AESKey
    /// The last output block (the next refill encrypts it).
    private var block = AESBlock()
    /// True when the second word of `block` has not been handed out yet.
    private var hasSpareWord = false

    /// A generator keyed by `seed`, before its first draw.
    public init(seed: UInt64) { key = AESKey(seed: seed) }

    /// The next 64-bit word of the stream.
    public mutating func nextWord() -> UInt64 {
        if hasSpareWord {
            hasSpareWord = false
            return block.b.1
        }
        block = key.encrypt(block)
        hasSpareWord = true
        return block.b.0
    }
}
