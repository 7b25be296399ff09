/// One sub-shard's walk through a cyclic group, one element at a time, at the word width of `M`.
///
/// XMap's iteration: the first element is emitted (if it is a target) without comparing it with
/// `last`; then each step multiplies by the generator and stops at `last`, which is the next
/// sub-shard's first element. Element e stands for ordinal e − 1, kept when below `count`.
/// Allocation-free.
public struct GroupWalk<M: GroupMultiplier>: Sendable {
    public typealias Element = M.Element
    @usableFromInline let group: M
    @usableFromInline let generator: Element
    @usableFromInline var current: Element
    @usableFromInline let last: Element
    @usableFromInline let count: Element
    @usableFromInline var started = false
    @usableFromInline var done = false

    /// A walk from `first` up to (not including) `last`, keeping ordinals below `count`.
    public init(group: M, generator: Element, first: Element, last: Element, count: Element) {
        self.group = group
        self.generator = generator
        self.current = first
        self.last = last
        self.count = count
    }

    /// The next target ordinal, or nil when the sub-shard is exhausted.
    @inlinable public mutating func next() -> Element? {
        if done { return nil }
        if !started {
            started = true
            if current.ordinal < count { return current.ordinal }
        }
        while true {
            current = group.multiply(current, generator)
            if current == last { done = true; return nil }
            if current.ordinal < count { return current.ordinal }
        }
    }

    /// The same walk from where it stands, four chains at a time, for batched use.
    public var interleaved: InterleavedWalk<M> {
        InterleavedWalk(
            group: group, generator: generator, first: current, last: last, count: count, emitsFirst: !started)
    }

    /// The element the walk stands on: the last one it produced (or, before the first `next()`,
    /// the first it will produce).
    public var position: Element { current }

    /// The walk continued after `element`, an element it produced earlier (from a checkpoint).
    public func resumed(after element: Element) -> GroupWalk {
        var w = self
        w.current = element
        w.started = true
        return w
    }
}

/// The walk of one sub-shard of a permutation at the narrowest word width that holds its group:
/// 64 bits below 2^63, 128 bits below 2^125, 192 bits above.
public enum GroupWalker: Sendable {
    case narrow(GroupWalk<NarrowMultiplier>)
    case mid(GroupWalk<MidMultiplier>)
    case wide(GroupWalk<PseudoMersenneModulus>)

    /// Sub-shard `index` of `total` (`shard × threads + thread` of `shards × threads`).
    public init(permutation: CyclicPermutation, subshard index: Int, of total: Int) {
        let (first, last) = permutation.subshard(index, of: total)
        let m = permutation.group.modulus
        let g = permutation.generator, count = permutation.count
        if m.p.l1 == 0 && m.p.l2 == 0 && m.k <= 62 {
            self = .narrow(
                GroupWalk(
                    group: NarrowMultiplier(p: m.p.l0, k: m.k, c: m.c), generator: g.l0,
                    first: first.l0, last: last.l0, count: count.l0))
        } else if m.p.l2 == 0 && m.k <= 124 {
            self = .mid(
                GroupWalk(
                    group: MidMultiplier(p: m.p.low128, k: m.k, c: UInt128(m.c)), generator: g.low128,
                    first: first.low128, last: last.low128, count: count.low128))
        } else {
            self = .wide(GroupWalk(group: m, generator: g, first: first, last: last, count: count))
        }
    }

    /// The next target ordinal as a 192-bit value, or nil when the sub-shard is done.
    public mutating func next() -> UInt192? {
        switch self {
        case .narrow(var w):
            let r = w.next()
            self = .narrow(w)
            return r.map { UInt192($0) }
        case .mid(var w):
            let r = w.next()
            self = .mid(w)
            return r.map { UInt192($0) }
        case .wide(var w):
            let r = w.next()
            self = .wide(w)
            return r
        }
    }
}
