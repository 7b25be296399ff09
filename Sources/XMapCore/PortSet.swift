/// A set of 16-bit ports backed by a 65536-bit bitmap (8 KiB).
public struct PortSet: Sendable {
    @usableFromInline let words: [UInt64]

    public init(_ ports: [UInt16]) {
        var w = [UInt64](repeating: 0, count: 1024)
        for p in ports { w[Int(p) >> 6] |= 1 << UInt64(p & 63) }
        words = w
    }

    @inlinable public func contains(_ p: UInt16) -> Bool { words[Int(p) >> 6] & (1 << UInt64(p & 63)) != 0 }
}
