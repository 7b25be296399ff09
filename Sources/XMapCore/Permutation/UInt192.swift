/// A fixed-width 192-bit unsigned integer (three 64-bit limbs, least significant first).
/// Enough for every group in XMap's table (p < 2^165) and for products reduced mod p.
public struct UInt192: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var l0: UInt64
    public var l1: UInt64
    public var l2: UInt64

    @inlinable public init(l0: UInt64, l1: UInt64, l2: UInt64) {
        self.l0 = l0
        self.l1 = l1
        self.l2 = l2
    }

    @inlinable public init(_ v: UInt64) { self.init(l0: v, l1: 0, l2: 0) }

    @inlinable public init(_ v: UInt128) {
        self.init(l0: UInt64(truncatingIfNeeded: v), l1: UInt64(truncatingIfNeeded: v >> 64), l2: 0)
    }

    public static let zero = UInt192(l0: 0, l1: 0, l2: 0)
    public static let one = UInt192(l0: 1, l1: 0, l2: 0)

    /// Parses a decimal string.
    public init?(decimal: String) {
        var v = UInt192.zero
        for c in decimal.utf8 {
            guard c >= 48 && c <= 57 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt192(UInt64(c - 48)))
            guard !o1 && !o2 else { return nil }
            v = s
        }
        self = v
    }

    /// 2^k for k < 192.
    @inlinable public static func power2(_ k: Int) -> UInt192 {
        switch k {
        case 0..<64: return UInt192(l0: 1 << UInt64(k), l1: 0, l2: 0)
        case 64..<128: return UInt192(l0: 0, l1: 1 << UInt64(k - 64), l2: 0)
        default: return UInt192(l0: 0, l1: 0, l2: 1 << UInt64(k - 128))
        }
    }

    /// The low 128 bits.
    @inlinable public var low128: UInt128 { UInt128(l1) << 64 | UInt128(l0) }

    @inlinable public var isZero: Bool { l0 | l1 | l2 == 0 }

    /// Number of significant bits.
    public var bitWidth: Int {
        if l2 != 0 { return 192 - l2.leadingZeroBitCount }
        if l1 != 0 { return 128 - l1.leadingZeroBitCount }
        return 64 - l0.leadingZeroBitCount
    }

    public static func < (a: UInt192, b: UInt192) -> Bool {
        if a.l2 != b.l2 { return a.l2 < b.l2 }
        if a.l1 != b.l1 { return a.l1 < b.l1 }
        return a.l0 < b.l0
    }

    @inlinable public func addingReportingOverflow(_ b: UInt192) -> (UInt192, Bool) {
        let (s0, c0) = l0.addingReportingOverflow(b.l0)
        var (s1, c1) = l1.addingReportingOverflow(b.l1)
        var c1b = false
        if c0 { (s1, c1b) = s1.addingReportingOverflow(1) }
        var (s2, c2) = l2.addingReportingOverflow(b.l2)
        var c2b = false
        if c1 || c1b { (s2, c2b) = s2.addingReportingOverflow(1) }
        return (UInt192(l0: s0, l1: s1, l2: s2), c2 || c2b)
    }

    @inlinable public func subtractingReportingOverflow(_ b: UInt192) -> (UInt192, Bool) {
        let (d0, b0) = l0.subtractingReportingOverflow(b.l0)
        var (d1, b1) = l1.subtractingReportingOverflow(b.l1)
        var b1b = false
        if b0 { (d1, b1b) = d1.subtractingReportingOverflow(1) }
        var (d2, b2) = l2.subtractingReportingOverflow(b.l2)
        var b2b = false
        if b1 || b1b { (d2, b2b) = d2.subtractingReportingOverflow(1) }
        return (UInt192(l0: d0, l1: d1, l2: d2), b2 || b2b)
    }

    @inlinable public static func + (a: UInt192, b: UInt192) -> UInt192 { a.addingReportingOverflow(b).0 }
    @inlinable public static func - (a: UInt192, b: UInt192) -> UInt192 { a.subtractingReportingOverflow(b).0 }

    func multipliedReportingOverflow(by m: UInt64) -> (UInt192, Bool) {
        let p0 = l0.multipliedFullWidth(by: m)
        let p1 = l1.multipliedFullWidth(by: m)
        let p2 = l2.multipliedFullWidth(by: m)
        let (r1, c1) = p0.high.addingReportingOverflow(p1.low)
        let (r2a, c2a) = p1.high.addingReportingOverflow(p2.low)
        let (r2, c2b) = r2a.addingReportingOverflow(c1 ? 1 : 0)
        let overflow = p2.high != 0 || c2a || c2b
        return (UInt192(l0: p0.low, l1: r1, l2: r2), overflow)
    }

    /// Shift left by one bit (dropping the top bit).
    @inlinable func shiftedLeft1() -> UInt192 {
        UInt192(l0: l0 << 1, l1: l1 << 1 | l0 >> 63, l2: l2 << 1 | l1 >> 63)
    }

    /// Shift left by `n` bits, 0 ≤ n < 192, dropping what falls off the top (setup-time only).
    public func shiftedLeft(_ n: Int) -> UInt192 {
        var v = self
        for _ in 0..<n { v = v.shiftedLeft1() }
        return v
    }

    @inlinable public func bit(_ i: Int) -> Bool {
        switch i {
        case 0..<64: return (l0 >> UInt64(i)) & 1 == 1
        case 64..<128: return (l1 >> UInt64(i - 64)) & 1 == 1
        default: return (l2 >> UInt64(i - 128)) & 1 == 1
        }
    }

    /// `self mod m` by binary long division (setup-time only).
    public func modulo(_ m: UInt192) -> UInt192 {
        precondition(!m.isZero)
        if self < m { return self }
        var r = UInt192.zero
        for i in stride(from: bitWidth - 1, through: 0, by: -1) {
            let top = r.l2 >> 63
            r = r.shiftedLeft1()
            if bit(i) { r.l0 |= 1 }
            if top == 1 || r >= m { r = r - m }
        }
        return r
    }

    public var description: String {
        if isZero { return "0" }
        var digits: [UInt8] = []
        var v = self
        while !v.isZero {
            // Divide by 10 limb by limb.
            var rem: UInt64 = 0
            var limbs = [v.l2, v.l1, v.l0]
            for i in 0..<3 {
                let (q, r) = UInt64(10).dividingFullWidth((high: rem, low: limbs[i]))
                limbs[i] = q
                rem = r
            }
            v = UInt192(l0: limbs[2], l1: limbs[1], l2: limbs[0])
            digits.append(UInt8(rem) + 48)
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// The full 384-bit product as (high, low) 192-bit halves.
    @inlinable public func multipliedFullWidth(by o: UInt192) -> (high: UInt192, low: UInt192) {
        var r0: UInt64 = 0, r1: UInt64 = 0, r2: UInt64 = 0, r3: UInt64 = 0, r4: UInt64 = 0, r5: UInt64 = 0
        @inline(__always) func mac(_ x: UInt64, _ y: UInt64, _ acc: inout UInt64, _ carry: inout UInt64) {
            let m = x.multipliedFullWidth(by: y)
            let (s1, o1) = acc.addingReportingOverflow(m.low)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            acc = s2
            carry = m.high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
        }
        var c: UInt64 = 0
        mac(l0, o.l0, &r0, &c); mac(l0, o.l1, &r1, &c); mac(l0, o.l2, &r2, &c); r3 = c
        c = 0
        mac(l1, o.l0, &r1, &c); mac(l1, o.l1, &r2, &c); mac(l1, o.l2, &r3, &c); r4 = c
        c = 0
        mac(l2, o.l0, &r2, &c); mac(l2, o.l1, &r3, &c); mac(l2, o.l2, &r4, &c); r5 = c
        return (UInt192(l0: r3, l1: r4, l2: r5), UInt192(l0: r0, l1: r1, l2: r2))
    }

    /// The low `bits` bits (bits < 192).
    @inlinable public func masked(bits: Int) -> UInt192 {
        @inline(__always) func limbMask(_ from: Int) -> UInt64 {
            let n = bits - from
            return n <= 0 ? 0 : n >= 64 ? ~0 : (UInt64(1) << UInt64(n)) &- 1
        }
        return UInt192(l0: l0 & limbMask(0), l1: l1 & limbMask(64), l2: l2 & limbMask(128))
    }

    /// (high·2^192 + low) >> s for 0 < s < 192, truncated to 192 bits.
    @inlinable public static func shiftedRight(high h: UInt192, low l: UInt192, by s: Int) -> UInt192 {
        let limbs = (l.l0, l.l1, l.l2, h.l0, h.l1, h.l2)
        @inline(__always) func limb(_ i: Int) -> UInt64 {
            switch i {
            case 0: return limbs.0
            case 1: return limbs.1
            case 2: return limbs.2
            case 3: return limbs.3
            case 4: return limbs.4
            case 5: return limbs.5
            default: return 0
            }
        }
        let w = s / 64, b = UInt64(s % 64)
        @inline(__always) func out(_ i: Int) -> UInt64 {
            let lo = limb(w + i) >> b
            let hi = b == 0 ? 0 : limb(w + i + 1) << (64 - b)
            return lo | hi
        }
        return UInt192(l0: out(0), l1: out(1), l2: out(2))
    }
}
