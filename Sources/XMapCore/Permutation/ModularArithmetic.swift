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

    /// (a · b) mod p for a, b < p, with p < 2^165. Setup and wide-group path.
    public func multiply(_ a: UInt192, _ b: UInt192) -> UInt192 {
        // Full 384-bit product in six limbs.
        var prod = [UInt64](repeating: 0, count: 7)
        let al = [a.l0, a.l1, a.l2], bl = [b.l0, b.l1, b.l2]
        for i in 0..<3 {
            var carry: UInt64 = 0
            for j in 0..<3 {
                let m = al[i].multipliedFullWidth(by: bl[j])
                let (s1, o1) = prod[i + j].addingReportingOverflow(m.low)
                let (s2, o2) = s1.addingReportingOverflow(carry)
                prod[i + j] = s2
                carry = m.high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            prod[i + 3] = carry
        }
        return reduce(prod)
    }

    /// Reduces a little-endian limb array modulo p, using x = q·2^k + r ≡ r − c·q (mod p).
    func reduce(_ x: [UInt64]) -> UInt192 {
        let (q, r) = split(x)
        let rv = UInt192(l0: r.count > 0 ? r[0] : 0, l1: r.count > 1 ? r[1] : 0, l2: r.count > 2 ? r[2] : 0)
        if q.allSatisfy({ $0 == 0 }) { return rv >= p ? rv - p : rv }
        // y = c·q is about k − log2(c) bits shorter than x, so the recursion ends quickly.
        var y = [UInt64](repeating: 0, count: q.count + 1)
        var carry: UInt64 = 0
        for i in 0..<q.count {
            let m = q[i].multipliedFullWidth(by: c)
            let (s, o) = m.low.addingReportingOverflow(carry)
            y[i] = s
            carry = m.high &+ (o ? 1 : 0)
        }
        y[q.count] = carry
        let yr = reduce(y)
        return rv >= yr ? rv - yr : rv + p - yr
    }

    /// Splits x into (x >> k, x mod 2^k).
    private func split(_ x: [UInt64]) -> ([UInt64], [UInt64]) {
        let limb = k / 64, bit = k % 64
        var r = [UInt64](repeating: 0, count: limb + 1)
        for i in 0...limb where i < x.count { r[i] = x[i] }
        r[limb] &= bit == 0 ? 0 : (UInt64(1) << UInt64(bit)) - 1
        var q: [UInt64] = []
        var i = limb
        while i < x.count {
            let lo = x[i] >> UInt64(bit)
            let hi: UInt64 = (bit != 0 && i + 1 < x.count) ? x[i + 1] << UInt64(64 - bit) : 0
            q.append(lo | hi)
            i += 1
        }
        return (q, r)
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
