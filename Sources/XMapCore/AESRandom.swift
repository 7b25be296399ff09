/// XMap's `aesrand`: a chain of AES-128 encryptions keyed by the seed.
/// Block 1 is AES(0), block n+1 is AES(block n); each draw consumes one block.
public struct AESRandom {
    private let key: AESKey
    private var state = AESBlock()

    public init(seed: UInt64) { key = AESKey(seed: seed) }

    private mutating func nextBlock() -> AESBlock {
        state = key.encrypt(state)
        return state
    }

    /// The next block as a big-endian 128-bit integer.
    public mutating func next128() -> UInt128 {
        let blk = nextBlock()
        var v: UInt128 = 0
        for i in 0..<16 { v = (v << 8) | UInt128(blk[i]) }
        return v
    }

    /// The first 8 bytes of the next block read little-endian (XMap's `getword` on x86-64).
    public mutating func nextWord() -> UInt64 {
        let blk = nextBlock()
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = (v << 8) | UInt64(blk[i]) }
        return v
    }
}
