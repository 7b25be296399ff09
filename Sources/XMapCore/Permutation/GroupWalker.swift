/// Steps through one sub-shard of a `CyclicPermutation`, yielding target ordinals.
/// Allocation-free; uses 64-bit arithmetic when p < 2^64 and 192-bit otherwise.
public struct GroupWalker: Sendable {
    @usableFromInline enum State: Sendable {
        case narrow(NarrowWalk)
        case wide(WideWalk)
    }

    @usableFromInline var state: State

    public init(permutation: CyclicPermutation, subshard index: Int, of total: Int) {
        let (first, last) = permutation.subshard(index, of: total)
        let m = permutation.group.modulus
        if m.p.l1 == 0 && m.p.l2 == 0 && m.k <= 62 {
            state = .narrow(NarrowWalk(p: m.p.l0, k: m.k, c: m.c, g: permutation.generator.l0,
                                       current: first.l0, last: last.l0,
                                       count: permutation.count.l0))
        } else {
            state = .wide(WideWalk(modulus: m, g: permutation.generator, current: first, last: last,
                                   count: permutation.count))
        }
    }

    /// The next target ordinal as a 192-bit value, or nil when the sub-shard is done.
    @inlinable public mutating func next() -> UInt192? {
        switch state {
        case .narrow(var w):
            let r = w.next()
            state = .narrow(w)
            return r.map { UInt192($0) }
        case .wide(var w):
            let r = w.next()
            state = .wide(w)
            return r
        }
    }

    /// The next ordinal when the walk is narrow (p < 2^63); nil when done. Faster than `next()`.
    @inlinable public var isNarrow: Bool {
        if case .narrow = state { return true }
        return false
    }
}

/// 64-bit walk: elements < p < 2^63.
public struct NarrowWalk: Sendable {
    @usableFromInline let p: UInt64
    @usableFromInline let k: UInt64
    @usableFromInline let c: UInt64
    @usableFromInline let g: UInt64
    @usableFromInline var current: UInt64
    @usableFromInline let last: UInt64
    @usableFromInline let count: UInt64
    @usableFromInline var started = false
    @usableFromInline var done = false

    init(p: UInt64, k: Int, c: UInt64, g: UInt64, current: UInt64, last: UInt64, count: UInt64) {
        self.p = p
        self.k = UInt64(k)
        self.c = c
        self.g = g
        self.current = current
        self.last = last
        self.count = count
    }

    /// (a · g) mod p by pseudo-Mersenne folding (2^k ≡ −c), no division.
    /// With a, g < p < 2^61: x = q·2^k + r, c·q = qt·2^k + rt, so x ≡ r + c·qt − rt.
    @inlinable @inline(__always) func step(_ a: UInt64) -> UInt64 {
        let m = a.multipliedFullWidth(by: g)
        let x = UInt128(m.high) << 64 | UInt128(m.low)
        let mask = (UInt64(1) << k) &- 1
        let r = UInt64(truncatingIfNeeded: x) & mask
        let q = x >> UInt128(k)                       // < 2^(k+2)
        let t = q &* UInt128(c)                       // < 2^(k+9)
        let rt = UInt64(truncatingIfNeeded: t) & mask
        let qt = UInt64(truncatingIfNeeded: t >> UInt128(k))  // < 2^9
        var v = r &+ c &* qt &+ p &- rt               // < 3p
        if v >= p { v &-= p }
        if v >= p { v &-= p }
        return v
    }

    /// Next ordinal (element − 1) below `count`, or nil when the sub-shard is exhausted.
    @inlinable public mutating func next() -> UInt64? {
        if done { return nil }
        if !started {
            started = true
            if current &- 1 < count { return current &- 1 }
        }
        while true {
            current = step(current)
            if current == last { done = true; return nil }
            if current &- 1 < count { return current &- 1 }
        }
    }
}

/// 192-bit walk for groups above 2^63.
public struct WideWalk: Sendable {
    let modulus: PseudoMersenneModulus
    let g: UInt192
    var current: UInt192
    let last: UInt192
    let count: UInt192
    var started = false
    var done = false

    init(modulus: PseudoMersenneModulus, g: UInt192, current: UInt192, last: UInt192, count: UInt192) {
        self.modulus = modulus
        self.g = g
        self.current = current
        self.last = last
        self.count = count
    }

    public mutating func next() -> UInt192? {
        if done { return nil }
        if !started {
            started = true
            let o = current - UInt192.one
            if o < count { return o }
        }
        while true {
            current = modulus.multiply(current, g)
            if current == last { done = true; return nil }
            let o = current - UInt192.one
            if o < count { return o }
        }
    }
}

extension GroupWalker {
    /// The 64-bit walk, when the group is small enough for it.
    public var narrowWalk: NarrowWalk? {
        if case .narrow(let w) = state { return w }
        return nil
    }

    /// The 192-bit walk, for large groups.
    public var wideWalk: WideWalk? {
        if case .wide(let w) = state { return w }
        return nil
    }
}
