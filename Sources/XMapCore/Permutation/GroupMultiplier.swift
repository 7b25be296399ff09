/// An element of a cyclic group (1 ≤ e < p) at one word width.
public protocol GroupElement: Comparable, Sendable {
    /// `self − 1`: the target ordinal this element stands for (element 1 is ordinal 0).
    var ordinal: Self { get }
}

extension UInt64: GroupElement {
    @inlinable public var ordinal: UInt64 { self &- 1 }
}

extension UInt128: GroupElement {
    @inlinable public var ordinal: UInt128 { self &- 1 }
}

extension UInt192: GroupElement {
    @inlinable public var ordinal: UInt192 { self - .one }
}

/// Modular multiplication in the cyclic group of a walk, at one word width. The three widths
/// (64, 128 and 192 bits) share one walk (`GroupWalk`) and one batched walk (`InterleavedWalk`).
public protocol GroupMultiplier: Sendable {
    associatedtype Element: GroupElement
    /// (a · b) mod p.
    func multiply(_ a: Element, _ b: Element) -> Element
}

/// 64-bit groups (p < 2^63): pseudo-Mersenne folding with plain 64-bit shifts.
public struct NarrowMultiplier: GroupMultiplier {
    @usableFromInline let p: UInt64, k: UInt64, c: UInt64

    @inlinable init(p: UInt64, k: UInt64, c: UInt64) {
        self.p = p
        self.k = k
        self.c = c
    }

    /// (a · b) mod p, 2^k ≡ −c, with a, b < p < 2^61. a·b = q·2^k + r and c·q = qt·2^k + rt, so
    /// a·b ≡ r + c·qt − rt. 4 ≤ k ≤ 62 (XMap's table gives 4...60 here), so q < 2^(k+2) fits one
    /// word and every shift is in 2...60: no 128-bit shift sequences.
    @inlinable @inline(__always) public func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
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
}

/// 128-bit groups (2^64 < p < 2^125).
public struct MidMultiplier: GroupMultiplier {
    @usableFromInline let p: UInt128, k: Int, c: UInt128

    @inlinable init(p: UInt128, k: Int, c: UInt128) {
        self.p = p
        self.k = k
        self.c = c
    }

    /// (a · b) mod p with 2^k ≡ −c; 64 ≤ k ≤ 124, so every intermediate fits the shifts below.
    @inlinable @inline(__always) public func multiply(_ a: UInt128, _ b: UInt128) -> UInt128 {
        let (hi, lo) = Self.product(a, b)
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
}

/// 192-bit groups (the largest, above 2^124).
extension PseudoMersenneModulus: GroupMultiplier {}
