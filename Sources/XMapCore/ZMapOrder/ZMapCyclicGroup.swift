/// One of ZMap's multiplicative groups (Z/pZ)*: a prime p and the distinct prime factors of p − 1,
/// which decide whether an element generates the whole group.
public struct ZMapCyclicGroup: Sendable, Equatable {
    /// The prime p. The group has p − 1 elements, 1 ... p − 1.
    public let prime: UInt64
    /// The distinct prime factors of p − 1.
    public let primeFactors: [UInt64]

    /// The group's order, p − 1.
    public var order: UInt64 { prime - 1 }

    /// ZMap 4's table, ascending: 2^8+1, 2^16+1, 2^24+43, 2^28+3, 2^32+15, 2^33+17, 2^34+25, 2^36+31,
    /// 2^40+15, 2^44+7 and 2^48+23 (enough for 2^32 addresses × 2^16 ports).
    public static let table: [ZMapCyclicGroup] = [
        ZMapCyclicGroup(prime: 257, primeFactors: [2]),
        ZMapCyclicGroup(prime: 65_537, primeFactors: [2]),
        ZMapCyclicGroup(prime: 16_777_259, primeFactors: [2, 23, 103, 3541]),
        ZMapCyclicGroup(prime: 268_435_459, primeFactors: [2, 3, 19, 87211]),
        ZMapCyclicGroup(prime: 4_294_967_311, primeFactors: [2, 3, 5, 131, 364_289]),
        ZMapCyclicGroup(prime: 8_589_934_609, primeFactors: [2, 3, 59, 3_033_169]),
        ZMapCyclicGroup(prime: 17_179_869_209, primeFactors: [2, 83, 1277, 20261]),
        ZMapCyclicGroup(prime: 68_719_476_767, primeFactors: [2, 163, 883, 238_727]),
        ZMapCyclicGroup(prime: 1_099_511_627_791, primeFactors: [2, 3, 5, 36_650_387_593]),
        ZMapCyclicGroup(prime: 17_592_186_044_423, primeFactors: [2, 11, 53, 97, 155_542_661]),
        ZMapCyclicGroup(prime: 281_474_976_710_677, primeFactors: [2, 3, 7, 1361, 2_462_081_249])
    ]

    /// The first group of the table whose prime is greater than `minimumSize` (ZMap passes
    /// 2^(bits for addresses + bits for ports)); nil only above 2^48.
    public static func smallest(above minimumSize: UInt64) -> ZMapCyclicGroup? {
        table.first { $0.prime > minimumSize }
    }

    /// True when `element` (in 1 ..< p) generates the whole group: for every prime factor q of p − 1,
    /// element^((p − 1) / q) mod p is not 1.
    public func isGenerator(_ element: UInt64) -> Bool {
        guard element % prime != 0 else { return false }
        return primeFactors.allSatisfy { ZMapModular.power(element, order / $0, modulo: prime) != 1 }
    }
}
