import XMapCore
import XMapIO
import XMapModules

/// Remembers which replies were already seen, for the `repeat` field: an open-addressing hash
/// set of 64-bit fingerprints: 8-byte slots at most 3/4 full, so 11 to 21 bytes per distinct
/// reply (Swift's `Set` of the full key takes about 43). Unlike XMap's Bloom filter it never
/// marks a new reply as a repeat by chance: for IPv4 the fingerprint is the key itself (address
/// and the module's 32-bit extra), and for IPv6 it is a seeded 64-bit hash, so a false repeat
/// needs a 64-bit collision.
/// Used by the receive thread only.
struct RepeatFilter {
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0
    private let family: IPFamily
    private let seed: UInt64

    /// Room for `expected` replies before the first resize (`-E`); grows as needed.
    init(family: IPFamily, expected: Int = 1 << 16, seed: UInt64) {
        var capacity = 1024
        while capacity < expected + expected / 3 && capacity < 1 << 40 { capacity <<= 1 }
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        self.family = family
        self.seed = seed
    }

    /// Bytes used by the table.
    var memoryBytes: Int { slots.count * 8 }

    /// Whether `key` was recorded.
    func contains(_ key: RepeatKey) -> Bool {
        slot(of: fingerprint(key), in: slots, mask: mask).found
    }

    /// Records `key`; returns true when it was not seen before.
    mutating func insert(_ key: RepeatKey) -> Bool {
        let fp = fingerprint(key)
        if insert(fingerprint: fp, into: &slots, mask: mask) {
            count += 1
            if count > (mask + 1) / 4 * 3 { grow() }
            return true
        }
        return false
    }

    /// The key's fingerprint; never 0 (0 marks an empty slot).
    func fingerprint(_ key: RepeatKey) -> UInt64 {
        var fp: UInt64
        if family == .v4 {
            fp = UInt64(truncatingIfNeeded: key.address) << 32 | UInt64(key.extra)
        } else {
            fp = Self.mix(seed ^ UInt64(truncatingIfNeeded: key.address))
            fp = Self.mix(fp ^ UInt64(truncatingIfNeeded: key.address >> 64))
            fp = Self.mix(fp ^ UInt64(key.extra))
        }
        return fp == 0 ? 0x9E37_79B9_7F4A_7C15 : fp
    }

    /// SplitMix64's output for state `x`: a bijection on 64 bits with good avalanche.
    static func mix(_ x: UInt64) -> UInt64 {
        var g = SplitMix64(seed: x)
        return g.next()
    }

    /// Linear probing from the slot chosen by a mixed fingerprint: the slot holding `fp`, or
    /// the empty slot where it would go.
    private func slot(of fp: UInt64, in table: [UInt64], mask: Int) -> (index: Int, found: Bool) {
        var i = Int(truncatingIfNeeded: Self.mix(fp ^ seed)) & mask
        return table.withUnsafeBufferPointer { t in
            while true {
                let v = t[i]
                if v == fp { return (i, true) }
                if v == 0 { return (i, false) }
                i = (i + 1) & mask
            }
        }
    }

    /// Adds `fp` to `table` unless it is there; true if newly added.
    private func insert(fingerprint fp: UInt64, into table: inout [UInt64], mask: Int) -> Bool {
        let (i, found) = slot(of: fp, in: table, mask: mask)
        if !found { table[i] = fp }
        return !found
    }

    private mutating func grow() {
        let capacity = (mask + 1) * 2
        var table = [UInt64](repeating: 0, count: capacity)
        for fp in slots where fp != 0 { _ = insert(fingerprint: fp, into: &table, mask: capacity - 1) }
        slots = table
        mask = capacity - 1
    }
}

/// The receive thread's repeat detection for a `DedupMethod`. The window keeps two generations
/// of at most n/2 replies each, so it always remembers the last n/2 distinct replies and never
/// more than n: memory stays bounded on scans with huge numbers of replies. The full method
/// remembers every distinct reply up to `limit` (`--dedup-limit`); past it, it warns once and
/// goes on as a window of `limit` (so memory stays bounded on any scan, however hostile).
struct RepeatDetector {
    private var current: RepeatFilter
    private var previous: RepeatFilter?
    private var method: DedupMethod
    private let family: IPFamily
    private let seed: UInt64
    private let limit: Int

    init(method: DedupMethod, family: IPFamily, expected: Int, seed: UInt64, limit: Int = RepeatDetector.defaultLimit) {
        self.method = method
        self.family = family
        self.seed = seed
        self.limit = max(2, limit)
        switch method {
        case .full: current = RepeatFilter(family: family, expected: min(expected, self.limit), seed: seed)
        case .window(let n): current = RepeatFilter(family: family, expected: max(1, n / 2), seed: seed)
        case .none: current = RepeatFilter(family: family, expected: 0, seed: seed)
        }
    }

    /// The default `--dedup-limit`: 2^26 distinct replies (a table of at most 1 GiB).
    static let defaultLimit = 1 << 26

    /// True when `key` was seen before (within the window).
    mutating func isRepeat(_ key: RepeatKey) -> Bool {
        switch method {
        case .none:
            return false
        case .full:
            let isNew = current.insert(key)
            if current.count >= limit {
                Log.warn(
                    "repeat detection reached its limit of \(limit) distinct replies (--dedup-limit): from now on it "
                        + "remembers only the most recent ones, so a late repeat of an early reply may be reported "
                        + "again",
                    module: "recv")
                method = .window(limit)
                previous = current
                current = RepeatFilter(family: family, expected: max(1, limit / 2), seed: seed)
            }
            return !isNew
        case .window(let n):
            let seenBefore = previous?.contains(key) ?? false
            let isNew = current.insert(key) && !seenBefore
            if current.count >= max(1, n / 2) {
                previous = current
                current = RepeatFilter(family: family, expected: max(1, n / 2), seed: seed)
            }
            return !isNew
        }
    }
}
