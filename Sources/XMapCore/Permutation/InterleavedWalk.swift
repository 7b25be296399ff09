/// Modular multiplication in the cyclic group of a walk, at one word width.
public protocol GroupMultiplier: Sendable {
    associatedtype Element: FixedWidthInteger & UnsignedInteger & Sendable
    /// (a · b) mod p.
    func multiply(_ a: Element, _ b: Element) -> Element
}

/// 64-bit groups (p < 2^63).
public struct NarrowMultiplier: GroupMultiplier {
    @usableFromInline let p: UInt64, k: UInt64, c: UInt64
    @inlinable @inline(__always) public func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
        NarrowWalk.multiply(a, b, p: p, k: k, c: c)
    }
}

/// 128-bit groups (2^64 < p < 2^125).
public struct MidMultiplier: GroupMultiplier {
    @usableFromInline let p: UInt128, k: Int, c: UInt128
    @inlinable @inline(__always) public func multiply(_ a: UInt128, _ b: UInt128) -> UInt128 {
        MidWalk.multiply(a, b, p: p, k: k, c: c)
    }
}

/// A sub-shard's walk produced in batches from four interleaved chains.
///
/// Element n+4 is element n times g⁴, so four independent multiplication chains give the same
/// sequence as the serial walk (`NarrowWalk`, `MidWalk`), in the same order, while the CPU
/// overlaps their latencies. Ordinals come out in batches into a caller-owned buffer.
public struct InterleavedWalk<M: GroupMultiplier>: Sendable {
    public typealias Element = M.Element
    @usableFromInline let group: M
    @usableFromInline let g4: Element
    @usableFromInline let last: Element
    @usableFromInline let count: Element
    /// The next four elements after those already produced.
    @usableFromInline var l0: Element, l1: Element, l2: Element, l3: Element
    @usableFromInline var pendingFirst: Element?
    @usableFromInline var done = false

    /// Continues a serial walk that has not started: `first` is its current element, `last`
    /// the element that ends the sub-shard, ordinals below `count` are kept.
    @usableFromInline init(group: M, generator g: Element, first: Element, last: Element, count: Element) {
        self.group = group
        self.last = last
        self.count = count
        let g2 = group.multiply(g, g)
        g4 = group.multiply(g2, g2)
        l0 = group.multiply(first, g)
        l1 = group.multiply(l0, g)
        l2 = group.multiply(l1, g)
        l3 = group.multiply(l2, g)
        pendingFirst = first
    }

    /// Writes up to `capacity` (at least 4) next ordinals to `out`; returns how many. 0 means the
    /// sub-shard is done.
    @inlinable public mutating func fill(_ out: UnsafeMutablePointer<Element>, capacity: Int) -> Int {
        if done { return 0 }
        var n = 0
        if let f = pendingFirst {
            pendingFirst = nil
            if f &- 1 < count { out[n] = f &- 1; n += 1 }
        }
        var a = l0, b = l1, cc = l2, d = l3
        let lastV = last, cnt = count
        while n + 4 <= capacity {
            if a == lastV { done = true; break }
            if a &- 1 < cnt { out[n] = a &- 1; n += 1 }
            if b == lastV { done = true; break }
            if b &- 1 < cnt { out[n] = b &- 1; n += 1 }
            if cc == lastV { done = true; break }
            if cc &- 1 < cnt { out[n] = cc &- 1; n += 1 }
            if d == lastV { done = true; break }
            if d &- 1 < cnt { out[n] = d &- 1; n += 1 }
            a = group.multiply(a, g4)
            b = group.multiply(b, g4)
            cc = group.multiply(cc, g4)
            d = group.multiply(d, g4)
        }
        l0 = a; l1 = b; l2 = cc; l3 = d
        return n
    }
}

/// The interleaved 64-bit walk.
public typealias NarrowBatchWalk = InterleavedWalk<NarrowMultiplier>
/// The interleaved 128-bit walk.
public typealias MidBatchWalk = InterleavedWalk<MidMultiplier>

extension InterleavedWalk where M == NarrowMultiplier {
    /// Takes over `w`, which must not have produced anything yet.
    public init(_ w: NarrowWalk) {
        self.init(group: NarrowMultiplier(p: w.p, k: w.k, c: w.c), generator: w.g, first: w.current, last: w.last,
                  count: w.count)
    }
}

extension InterleavedWalk where M == MidMultiplier {
    /// Takes over `w`, which must not have produced anything yet.
    public init(_ w: MidWalk) {
        self.init(group: MidMultiplier(p: w.p, k: w.k, c: w.c), generator: w.g, first: w.current, last: w.last,
                  count: w.count)
    }
}
