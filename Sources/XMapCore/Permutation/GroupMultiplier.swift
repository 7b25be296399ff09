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

/// Multiplication modulo a prime p = 2^k + c (small c) in one machine word (`UInt64` for
/// groups below 2^63, `UInt128` below 2^125), reduced by pseudo-Mersenne folding: no division.
public struct WordMultiplier<Word: FixedWidthInteger & UnsignedInteger & GroupElement>: GroupMultiplier
where Word.Magnitude == Word {
    public typealias Element = Word
    @usableFromInline let p: Word, k: Word, c: Word

    @inlinable init(p: Word, k: Int, c: Word) {
        self.p = p
        self.k = Word(k)
        self.c = c
    }

    /// (a · b) mod p, 2^k ≡ −c, with a, b < p. a·b = q·2^k + r and c·q = qt·2^k + rt, so
    /// a·b ≡ r + c·qt − rt. XMap's table keeps k ≤ width − 4 and c < 2^9 here, so q < 2^(k+2)
    /// and qt < 2^11 fit one word and every shift count is below the width.
    @inlinable @inline(__always) public func multiply(_ a: Word, _ b: Word) -> Word {
        let m = a.multipliedFullWidth(by: b)
        let mask = (Word(1) &<< k) &- 1
        let up = Word(Word.bitWidth) &- k
        let r = m.low & mask
        let q = (m.high &<< up) | (m.low &>> k)  // < 2^(k+2)
        let t = q.multipliedFullWidth(by: c)  // < 2^(k+11)
        let rt = t.low & mask
        let qt = (t.high &<< up) | (t.low &>> k)  // < 2^11
        var v = r &+ c &* qt &+ p &- rt  // < 3p
        if v >= p { v &-= p }
        if v >= p { v &-= p }
        return v
    }
}

/// 64-bit groups (p < 2^63).
public typealias NarrowMultiplier = WordMultiplier<UInt64>
/// 128-bit groups (2^64 < p < 2^125).
public typealias MidMultiplier = WordMultiplier<UInt128>

/// 192-bit groups (the largest, above 2^124).
extension PseudoMersenneModulus: GroupMultiplier {}
