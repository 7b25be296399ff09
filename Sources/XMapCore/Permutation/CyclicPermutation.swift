/// XMap's random walk through a multiplicative cyclic group mod p.
///
/// Every element `e` of (Z/pZ)* is visited once per cycle; `e − 1 < count` maps it to a target
/// ordinal. The generator and start offset come from the seed's AES chain exactly as XMap 2.0.2
/// draws them, so a given `--seed` yields XMap's order.
public struct CyclicPermutation: Sendable {
    /// The group in use (the first table prime above the number of targets).
    public let group: CyclicGroup
    /// A generator of (Z/pZ)*.
    public let generator: UInt192
    /// The random start offset in the exponent space.
    public let offset: UInt192
    /// Number of valid targets (ordinals `0..<count`).
    public let count: UInt192

    /// Draws generator and offset from `rng` (two draws, in that order).
    /// - Throws: when `count` is zero or exceeds the largest group.
    public init(count: UInt192, rng: inout AESRandom) throws {
        guard !count.isZero else { throw XMapError("no addresses are eligible to be scanned") }
        guard let group = CyclicGroup.smallest(above: count) else {
            throw XMapError("the scan space (\(count) targets) is larger than the largest cyclic group (2^164+117)")
        }
        self.group = group
        self.count = count
        let p = group.prime
        var candidate = UInt192(rng.next128()).modulo(p)
        while !CyclicPermutation.isCoprimeToOrder(candidate, group) {
            candidate = (candidate + UInt192.one).modulo(p)
        }
        generator = group.modulus.power(UInt192(group.primitiveRoot), candidate)
        offset = UInt192(rng.next128()).modulo(p)
    }

    static func isCoprimeToOrder(_ x: UInt192, _ group: CyclicGroup) -> Bool {
        if x == .zero || x == .one { return false }
        for q in group.factorsOfPMinus1 where x.modulo(q).isZero { return false }
        return true
    }

    /// The group order p − 1.
    public var order: UInt192 { group.prime - .one }

    /// The walk for sub-shard `index` of `total` (`total` = shards × threads,
    /// `index` = shard × threads + thread): its first element and the element where it stops.
    public func subshard(_ index: Int, of total: Int) -> (first: UInt192, last: UInt192) {
        precondition(total >= 1 && index >= 0 && index < total)
        let n = order
        let size = CyclicPermutation.divide(n, by: UInt64(total))
        let begin = (multiply(size, UInt64(index)) + offset).modulo(n)
        let end = (multiply(size, UInt64((index + 1) % total)) + offset).modulo(n)
        let m = group.modulus
        return (m.power(generator, begin), m.power(generator, end))
    }

    private func multiply(_ a: UInt192, _ b: UInt64) -> UInt192 {
        a.multipliedReportingOverflow(by: b).0
    }

    /// floor(a / b) for a small divisor.
    static func divide(_ a: UInt192, by b: UInt64) -> UInt192 {
        var limbs = [a.l2, a.l1, a.l0]
        var rem: UInt64 = 0
        for i in 0..<3 {
            let (q, r) = b.dividingFullWidth((high: rem, low: limbs[i]))
            limbs[i] = q
            rem = r
        }
        return UInt192(l0: limbs[2], l1: limbs[1], l2: limbs[0])
    }
}
