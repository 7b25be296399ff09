/// Multiplication modulo a prime p = 2^k + c (small c), reduced without division
/// (pseudo-Mersenne: q·2^k + r ≡ r − c·q mod p).
public struct PseudoMersenneModulus: Sendable, Equatable {
    /// The prime.
    public let p: UInt192
    /// Its exponent k.
    public let k: Int
    /// Its offset c.
    public let c: UInt64

    public init(k: Int, c: UInt64) {
        self.k = k
        self.c = c
        p = UInt192.power2(k) + UInt192(c)
    }

    /// (a · b) mod p for a, b < p (< 2^165), with fixed-width limbs: no allocation.
    /// With x = a·b = q·2^k + r and c·q = qt·2^k + rt, x ≡ r + c·qt − rt (mod p).
    @inlinable public func multiply(_ a: UInt192, _ b: UInt192) -> UInt192 {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        let r = lo.masked(bits: k)
        let q = UInt192.shiftedRight(high: hi, low: lo, by: k)  // < 2^(k+2)
        let (th, tl) = q.multipliedFullWidth(by: UInt192(c))  // < 2^(k+11)
        let rt = tl.masked(bits: k)
        let qt = UInt192.shiftedRight(high: th, low: tl, by: k)  // < 2^11
        var v = r + UInt192(qt.l0 &* c) + p - rt  // < 3p
        while v >= p { v = v - p }
        return v
    }

    /// base^exp mod p (setup only).
    public func power(_ base: UInt192, _ exp: UInt192) -> UInt192 {
        var result = UInt192.one.modulo(p)
        var b = base.modulo(p)
        let width = exp.bitWidth
        var i = 0
        while i < width {
            if exp.bit(i) { result = multiply(result, b) }
            b = multiply(b, b)
            i += 1
        }
        return result
    }
}
