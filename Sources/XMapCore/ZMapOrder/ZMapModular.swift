/// Exact arithmetic modulo ZMap's primes (below 2^49), for set-up work: the generator test and the
/// sub-shard end points. The per-target step deliberately does *not* use it (see `ZMapOrderIterator`).
enum ZMapModular {
    /// (a · b) mod p, computed on the full 128-bit product.
    @inline(__always) static func multiply(_ a: UInt64, _ b: UInt64, modulo p: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return p.dividingFullWidth((high: product.high % p, low: product.low)).remainder
    }

    /// base^exponent mod p by square-and-multiply.
    static func power(_ base: UInt64, _ exponent: UInt64, modulo p: UInt64) -> UInt64 {
        var result: UInt64 = 1 % p
        var square = base % p
        var e = exponent
        while e != 0 {
            if e & 1 == 1 { result = multiply(result, square, modulo: p) }
            square = multiply(square, square, modulo: p)
            e >>= 1
        }
        return result
    }
}
