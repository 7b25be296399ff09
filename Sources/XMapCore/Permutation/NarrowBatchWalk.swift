/// The 64-bit walk produced in batches from four interleaved chains.
///
/// Element n+4 is element n times g⁴, so four independent multiplication chains give the same
/// sequence as the serial walk (`NarrowWalk`), in the same order, while the CPU overlaps their
/// latencies. Ordinals come out in batches into a caller-owned buffer.
public struct NarrowBatchWalk: Sendable {
    @usableFromInline let p: UInt64
    @usableFromInline let k: UInt64
    @usableFromInline let c: UInt64
    @usableFromInline let g4: UInt64
    @usableFromInline let last: UInt64
    @usableFromInline let count: UInt64
    /// The next four elements after those already produced.
    @usableFromInline var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64
    @usableFromInline var pendingFirst: UInt64?
    @usableFromInline var done = false

    public init(_ w: NarrowWalk) {
        p = w.p
        k = w.k
        c = w.c
        last = w.last
        count = w.count
        let g = w.g
        func mul(_ a: UInt64, _ b: UInt64) -> UInt64 { NarrowWalk.multiply(a, b, p: w.p, k: w.k, c: w.c) }
        let g2 = mul(g, g)
        g4 = mul(g2, g2)
        let first = w.current
        l0 = mul(first, g)
        l1 = mul(l0, g)
        l2 = mul(l1, g)
        l3 = mul(l2, g)
        pendingFirst = first
    }

    /// Writes up to `capacity` (at least 4) next ordinals to `out`; returns how many. 0 means the
    /// sub-shard is done.
    @inlinable public mutating func fill(_ out: UnsafeMutablePointer<UInt64>, capacity: Int) -> Int {
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
            a = NarrowWalk.multiply(a, g4, p: p, k: k, c: c)
            b = NarrowWalk.multiply(b, g4, p: p, k: k, c: c)
            cc = NarrowWalk.multiply(cc, g4, p: p, k: k, c: c)
            d = NarrowWalk.multiply(d, g4, p: p, k: k, c: c)
        }
        l0 = a; l1 = b; l2 = cc; l3 = d
        return n
    }
}
