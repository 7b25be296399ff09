/// A sub-shard's walk produced in batches from four interleaved chains.
///
/// Element n+4 is element n times g⁴, so four independent multiplication chains give the same
/// sequence as the serial `GroupWalk`, in the same order, while the CPU overlaps their
/// latencies. Ordinals come out in batches into a caller-owned buffer.
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

    /// Continues a serial walk whose current element is `first`: from `first` itself when
    /// `emitsFirst` (a walk that has not started), else from the element after it. `last` is the
    /// element that ends the sub-shard; ordinals below `count` are kept.
    @usableFromInline init(
        group: M, generator g: Element, first: Element, last: Element, count: Element,
        emitsFirst: Bool = true
    ) {
        self.group = group
        self.last = last
        self.count = count
        let g2 = group.multiply(g, g)
        g4 = group.multiply(g2, g2)
        l0 = group.multiply(first, g)
        l1 = group.multiply(l0, g)
        l2 = group.multiply(l1, g)
        l3 = group.multiply(l2, g)
        pendingFirst = emitsFirst ? first : nil
    }

    /// Writes up to `capacity` (at least 4) next ordinals to `out`; returns how many. 0 means the
    /// sub-shard is done.
    @inlinable public mutating func fill(_ out: UnsafeMutablePointer<Element>, capacity: Int) -> Int {
        if done { return 0 }
        var n = 0
        if let f = pendingFirst {
            pendingFirst = nil
            if f.ordinal < count { out[n] = f.ordinal; n += 1 }
        }
        var a = l0, b = l1, cc = l2, d = l3
        let lastV = last, cnt = count
        while n + 4 <= capacity {
            if a == lastV { done = true; break }
            if a.ordinal < cnt { out[n] = a.ordinal; n += 1 }
            if b == lastV { done = true; break }
            if b.ordinal < cnt { out[n] = b.ordinal; n += 1 }
            if cc == lastV { done = true; break }
            if cc.ordinal < cnt { out[n] = cc.ordinal; n += 1 }
            if d == lastV { done = true; break }
            if d.ordinal < cnt { out[n] = d.ordinal; n += 1 }
            a = group.multiply(a, g4)
            b = group.multiply(b, g4)
            cc = group.multiply(cc, g4)
            d = group.multiply(d, g4)
        }
        l0 = a; l1 = b; l2 = cc; l3 = d
        return n
    }
}
