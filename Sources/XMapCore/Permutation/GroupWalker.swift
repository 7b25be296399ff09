/// Steps through one sub-shard of a `CyclicPermutation`, yielding target ordinals.
/// Allocation-free; uses 64-bit arithmetic when p < 2^64 and 192-bit otherwise.
public struct GroupWalker: Sendable {
    @usableFromInline enum State: Sendable {
        case narrow(NarrowWalk)
        case mid(MidWalk)
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
        } else if m.p.l2 == 0 && m.k <= 124 {
            state = .mid(MidWalk(p: m.p.low128, k: m.k, c: m.c, g: permutation.generator.low128,
                                 current: first.low128, last: last.low128, count: permutation.count.low128))
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
        case .mid(var w):
            let r = w.next()
            state = .mid(w)
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

    /// (a · g) mod p.
    @inlinable @inline(__always) func step(_ a: UInt64) -> UInt64 { NarrowWalk.multiply(a, g, p: p, k: k, c: c) }

    /// (a · b) mod p by pseudo-Mersenne folding (2^k ≡ −c), no division. With a, b < p < 2^61:
    /// a·b = q·2^k + r and c·q = qt·2^k + rt, so a·b ≡ r + c·qt − rt.
    @inlinable @inline(__always)
    static func multiply(_ a: UInt64, _ b: UInt64, p: UInt64, k: UInt64, c: UInt64) -> UInt64 {
        // 4 <= k <= 62 (XMap's table gives k in 4...60 here), so q < 2^(k+2) fits one word and
        // every shift below is in 2...60: plain 64-bit shifts, no 128-bit shift sequences.
        let m = a.multipliedFullWidth(by: b)
        let mask = (UInt64(1) << k) &- 1
        let r = m.low & mask
        let q = (m.high &<< (64 &- k)) | (m.low &>> k)        // < 2^(k+2)
        let t = q.multipliedFullWidth(by: c)                   // < 2^(k+9)
        let rt = t.low & mask
        let qt = (t.high &<< (64 &- k)) | (t.low &>> k)        // < 2^9
        var v = r &+ c &* qt &+ p &- rt                       // < 3p
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

/// 128-bit walk: 2^64 < p < 2^125.
public struct MidWalk: Sendable {
    @usableFromInline let p: UInt128
    @usableFromInline let k: Int
    @usableFromInline let c: UInt128
    @usableFromInline let g: UInt128
    @usableFromInline var current: UInt128
    @usableFromInline let last: UInt128
    @usableFromInline let count: UInt128
    @usableFromInline var started = false
    @usableFromInline var done = false

    init(p: UInt128, k: Int, c: UInt64, g: UInt128, current: UInt128, last: UInt128, count: UInt128) {
        self.p = p
        self.k = k
        self.c = UInt128(c)
        self.g = g
        self.current = current
        self.last = last
        self.count = count
    }

    /// (a · g) mod p.
    @inlinable @inline(__always) func step(_ a: UInt128) -> UInt128 { MidWalk.multiply(a, g, p: p, k: k, c: c) }

    /// (a · b) mod p with 2^k ≡ −c; 64 <= k <= 124, so every intermediate fits the shifts below.
    @inlinable @inline(__always)
    static func multiply(_ a: UInt128, _ b: UInt128, p: UInt128, k: Int, c: UInt128) -> UInt128 {
        let (hi, lo) = MidWalk.product(a, b)
        let mask = (UInt128(1) << UInt128(k)) &- 1
        let r = lo & mask
        let q = (hi << UInt128(128 - k)) | (lo >> UInt128(k))        // < 2^(k+2)
        // t = q · c as (th · 2^128 + tl), c < 2^9.
        let q0 = UInt64(truncatingIfNeeded: q), q1 = UInt64(truncatingIfNeeded: q >> 64)
        let c64 = UInt64(truncatingIfNeeded: c)
        let m0 = q0.multipliedFullWidth(by: c64), m1 = q1.multipliedFullWidth(by: c64)
        let mid = UInt128(m0.high) &+ UInt128(m1.low)
        let tl = (mid << 64) | UInt128(m0.low)
        let th = UInt128(m1.high &+ UInt64(truncatingIfNeeded: mid >> 64))
        let rt = tl & mask
        let qt = (th << UInt128(128 - k)) | (tl >> UInt128(k))        // < 2^11
        var v = r &+ c &* qt &+ p &- rt                               // < 3p < 2^127
        if v >= p { v &-= p }
        if v >= p { v &-= p }
        return v
    }

    /// The 256-bit product of two 128-bit values from four 64×64 multiplications.
    @inlinable @inline(__always) static func product(_ a: UInt128, _ b: UInt128) -> (high: UInt128, low: UInt128) {
        let a0 = UInt64(truncatingIfNeeded: a), a1 = UInt64(truncatingIfNeeded: a >> 64)
        let b0 = UInt64(truncatingIfNeeded: b), b1 = UInt64(truncatingIfNeeded: b >> 64)
        let p00 = a0.multipliedFullWidth(by: b0), p01 = a0.multipliedFullWidth(by: b1)
        let p10 = a1.multipliedFullWidth(by: b0), p11 = a1.multipliedFullWidth(by: b1)
        let mid = UInt128(p00.high) &+ UInt128(p01.low) &+ UInt128(p10.low)
        let low = (mid << 64) | UInt128(p00.low)
        let high = (UInt128(p11.high) << 64 | UInt128(p11.low)) &+ UInt128(p01.high) &+ UInt128(p10.high) &+ (mid >> 64)
        return (high, low)
    }

    @inlinable public mutating func next() -> UInt128? {
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

/// 192-bit walk for groups above 2^124.
public struct WideWalk: Sendable {
    @usableFromInline let modulus: PseudoMersenneModulus
    @usableFromInline let g: UInt192
    @usableFromInline var current: UInt192
    @usableFromInline let last: UInt192
    @usableFromInline let count: UInt192
    @usableFromInline var started = false
    @usableFromInline var done = false

    init(modulus: PseudoMersenneModulus, g: UInt192, current: UInt192, last: UInt192, count: UInt192) {
        self.modulus = modulus
        self.g = g
        self.current = current
        self.last = last
        self.count = count
    }

    @inlinable public mutating func next() -> UInt192? {
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

    /// The 128-bit walk, for groups between 2^64 and 2^124.
    public var midWalk: MidWalk? {
        if case .mid(let w) = state { return w }
        return nil
    }

    /// The 192-bit walk, for the largest groups.
    public var wideWalk: WideWalk? {
        if case .wide(let w) = state { return w }
        return nil
    }
}
