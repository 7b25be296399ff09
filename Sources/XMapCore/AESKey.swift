import CXMapCrypto

/// An expanded AES-128 key. It owns its round keys, which stay valid as long as the key does;
/// whoever encrypts holds the key (a `Validator`, the scan plan), so no view can outlive it.
/// Encrypting allocates nothing.
public final class AESKey: @unchecked Sendable {
    // Immutable after init (but for `forceSoftware`, used by tests); read concurrently by every thread.
    @usableFromInline let storage: UnsafeMutablePointer<CXMap_AES128>

    /// The raw 16-byte key.
    public let keyBytes: [UInt8]

    public init(key: [UInt8]) {
        precondition(key.count == 16, "AES-128 key must be 16 bytes")
        keyBytes = key
        storage = .allocate(capacity: 1)
        storage.initialize(to: CXMap_AES128())
        key.withUnsafeBufferPointer { CXMap_aes128_init(storage, $0.baseAddress) }
    }

    /// XMap's key for a seed: the seed as 8 little-endian bytes followed by 8 zero bytes.
    public convenience init(seed: UInt64) {
        var key = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 { key[i] = UInt8(truncatingIfNeeded: seed >> UInt64(8 * i)) }
        self.init(key: key)
    }

    deinit { storage.deallocate() }

    /// Selects the portable implementation (for tests comparing both paths).
    public func forceSoftware(_ software: Bool) { CXMap_aes128_force_software(storage, software ? 1 : 0) }

    /// True when AES-NI is in use.
    public var usesHardware: Bool { storage.pointee.useHardware != 0 }
}

extension AESKey {
    /// Encrypts one 16-byte block.
    @inlinable public func encrypt(_ block: AESBlock) -> AESBlock { Self.encrypt(block, with: storage) }

    /// Encrypts one 16-byte block with round keys that the caller keeps alive (by holding
    /// their `AESKey`).
    @inlinable static func encrypt(_ block: AESBlock, with roundKeys: UnsafePointer<CXMap_AES128>) -> AESBlock {
        var input = block
        var out = AESBlock()
        withUnsafeBytes(of: &input) { i in
            withUnsafeMutableBytes(of: &out) { o in
                CXMap_aes128_encrypt(
                    roundKeys, i.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    o.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return out
    }
}

/// A 16-byte block, stored inline (no heap).
public struct AESBlock: Sendable, Equatable {
    public var b: (UInt64, UInt64) = (0, 0)

    public init() {}

    /// Byte `i` (0...15) in memory order.
    @inlinable public subscript(i: Int) -> UInt8 {
        get {
            withUnsafeBytes(of: b) { $0[i] }
        }
        set {
            withUnsafeMutableBytes(of: &b) { $0[i] = newValue }
        }
    }

    public var bytes: [UInt8] { (0..<16).map { self[$0] } }

    public static func == (x: AESBlock, y: AESBlock) -> Bool { x.b == y.b }
}
