/// How ZMap packs a target into a group element, and unpacks it.
///
/// An element c (1 ≤ c < p) stands for the target number c − 1, whose low `bitsForPort` bits are the
/// port index (into the port list as given) and whose high bits are the address index (into the
/// allowed addresses in `ZMapAddressIndex` order). Elements at or above 2^(32 + bitsForPort) are
/// skipped before decoding; the others are targets only when both indexes are in range. The group is
/// the first prime above 2^(bitsForAddress + bitsForPort), so most skipped elements are padding.
public struct ZMapElementLayout: Sendable, Equatable {
    /// Number of allowed addresses (1 ... 2^32 − 1: ZMap always blocks 0.0.0.0).
    public let addressCount: UInt64
    /// Number of ports in the list (1 ... 65536; duplicates count).
    public let portCount: UInt64
    /// ⌈log2(addressCount)⌉ (0 for a single address).
    public let bitsForAddress: Int
    /// ⌈log2(portCount)⌉ (0 for a single port).
    public let bitsForPort: Int
    /// Elements at or above this are skipped: 2^(32 + bitsForPort).
    public let elementLimit: UInt64
    @usableFromInline let portMask: UInt64

    /// The layout for `addressCount` addresses and `portCount` ports (both at least 1).
    public init(addressCount: UInt64, portCount: Int) {
        precondition(addressCount >= 1 && addressCount < 1 << 32, "address count out of ZMap's range")
        precondition(portCount >= 1 && portCount <= 65536, "port count out of ZMap's range")
        self.addressCount = addressCount
        self.portCount = UInt64(portCount)
        bitsForAddress = Self.bitsNeeded(addressCount)
        bitsForPort = Self.bitsNeeded(UInt64(portCount))
        elementLimit = 1 << UInt64(32 + bitsForPort)
        portMask = (1 << UInt64(bitsForPort)) - 1
    }

    /// ZMap's `bits_needed`: the number of significant bits of n − 1, i.e. ⌈log2 n⌉ for n ≥ 1.
    public static func bitsNeeded(_ n: UInt64) -> Int { 64 - (n &- 1).leadingZeroBitCount }

    /// The size the group must exceed: 2^(bitsForAddress + bitsForPort).
    public var minimumGroupSize: UInt64 { 1 << UInt64(bitsForAddress + bitsForPort) }

    /// The (address index, port index) an element stands for, or nil when ZMap skips it.
    @inlinable @inline(__always)
    public func decode(_ element: UInt64) -> (addressIndex: UInt64, portIndex: Int)? {
        if element >= elementLimit { return nil }
        let target = element &- 1
        let addressIndex = target >> UInt64(bitsForPort)
        let portIndex = target & portMask
        guard addressIndex < addressCount && portIndex < portCount else { return nil }
        return (addressIndex, Int(truncatingIfNeeded: portIndex))
    }
}
