/// A packed list of addresses for `-I/--list-of-ips-file`: 4 bytes per IPv4 entry, 16 per IPv6
/// entry, no per-entry objects. Entries keep the file's order (XMap scans such lists sequentially).
public struct AddressList: Sendable {
    public let family: IPFamily
    /// Storage in fixed chunks of 2^20 entries, each allocated at its exact size, so the list
    /// never holds more than one partly filled chunk (no doubling slack).
    @usableFromInline var v4: [[UInt32]] = []
    @usableFromInline var v6: [[UInt128]] = []
    public private(set) var count = 0
    @usableFromInline static let chunkBits = 20

    public init(family: IPFamily) { self.family = family }

    /// Bytes of storage per entry.
    public var bytesPerEntry: Int { family == .v4 ? 4 : 16 }

    public mutating func append(_ value: UInt128) {
        let chunkSize = 1 << AddressList.chunkBits
        if count & (chunkSize - 1) == 0 {
            if family == .v4 {
                v4.append([])
                v4[v4.count - 1].reserveCapacity(chunkSize)
            } else {
                v6.append([])
                v6[v6.count - 1].reserveCapacity(chunkSize)
            }
        }
        if family == .v4 {
            v4[v4.count - 1].append(UInt32(truncatingIfNeeded: value))
        } else {
            v6[v6.count - 1].append(value)
        }
        count += 1
    }

    @inlinable public subscript(i: Int) -> UInt128 {
        let c = i >> AddressList.chunkBits, o = i & ((1 << AddressList.chunkBits) - 1)
        return family == .v4 ? UInt128(v4[c][o]) : v6[c][o]
    }

    /// Entries `[begin, end)` of sub-shard `index` of `total`: contiguous chunks of count/total,
    /// the remainder going to the first chunks (as XMap splits list files).
    public func chunk(_ index: Int, of total: Int) -> Range<Int> {
        let base = count / total, extra = count % total
        let begin = index * base + min(index, extra)
        return begin..<(begin + base + (index < extra ? 1 : 0))
    }
}

/// Address parsing straight from bytes (no String), for large list files.
public enum AddressBytes {
    /// Parses one address of `family` from `b` (surrounding spaces already removed). Anything
    /// from a `/` on is ignored, as XMap does for list files.
    public static func parse(_ b: UnsafeRawBufferPointer, family: IPFamily) -> UInt128? {
        var n = b.count
        for i in 0..<b.count where b[i] == UInt8(ascii: "/") { n = i; break }
        guard n > 0 else { return nil }
        let s = UnsafeRawBufferPointer(rebasing: b[0..<n])
        return family == .v4 ? parseV4(s).map { UInt128($0) } : parseV6(s)
    }

    @inlinable static func parseV4(_ b: UnsafeRawBufferPointer) -> UInt32? {
        var result: UInt32 = 0, current: UInt32 = 0, digits = 0, dots = 0
        for c in b {
            if c == 46 {
                guard digits > 0, dots < 3 else { return nil }
                result = result << 8 | current
                current = 0; digits = 0; dots += 1
            } else if c >= 48 && c <= 57 {
                if digits == 1 && current == 0 { return nil }
                current = current * 10 + UInt32(c - 48)
                digits += 1
                guard digits <= 3, current <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, dots == 3 else { return nil }
        return result << 8 | current
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 48...57: return UInt32(c - 48)
        case 97...102: return UInt32(c - 87)
        case 65...70: return UInt32(c - 55)
        default: return nil
        }
    }

    /// RFC 4291 text forms, including `::` and a trailing dotted quad.
    static func parseV6(_ b: UnsafeRawBufferPointer) -> UInt128? {
        var head: UInt128 = 0, headCount = 0
        var tail: UInt128 = 0, tailCount = 0
        var seenGap = false
        var i = 0
        let n = b.count
        if n >= 2 && b[0] == 58 && b[1] == 58 {
            seenGap = true
            i = 2
            if n == 2 { return 0 }
        } else if n >= 1 && b[0] == 58 {
            return nil
        }
        while i < n {
            // One group: up to 4 hex digits, or a dotted quad at the end.
            var j = i, value: UInt32 = 0, digits = 0, isQuad = false
            while j < n && b[j] != 58 {
                if b[j] == 46 { isQuad = true }
                j += 1
            }
            if isQuad {
                guard j == n, let q = parseV4(UnsafeRawBufferPointer(rebasing: b[i..<j])) else { return nil }
                let groups = [UInt32(q >> 16), UInt32(q & 0xFFFF)]
                for g in groups {
                    if seenGap {
                        tail = tail << 16 | UInt128(g); tailCount += 1
                    } else {
                        head = head << 16 | UInt128(g); headCount += 1
                    }
                }
                i = j
                break
            }
            for k in i..<j {
                guard let h = hexValue(b[k]) else { return nil }
                value = value << 4 | h
                digits += 1
            }
            guard digits >= 1 && digits <= 4 else { return nil }
            if seenGap {
                tail = tail << 16 | UInt128(value); tailCount += 1
            } else {
                head = head << 16 | UInt128(value); headCount += 1
            }
            i = j
            if i < n {
                // b[i] == ':'
                if i + 1 < n && b[i + 1] == 58 {
                    guard !seenGap else { return nil }
                    seenGap = true
                    i += 2
                    if i == n { break }
                } else {
                    i += 1
                    guard i < n else { return nil }
                }
            }
        }
        let total = headCount + tailCount
        if seenGap {
            guard total <= 7 else { return nil }
            let shift = UInt128(16 * (8 - headCount))
            return (headCount == 0 ? 0 : head << shift) | tail
        }
        guard total == 8 else { return nil }
        return head
    }
}
