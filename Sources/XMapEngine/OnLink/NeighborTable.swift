import XMapCore

/// Every on-link target of a scan and, once the neighbour stage has run, the MAC it answered
/// from. The planner adds the targets; the stage's receive thread resolves them (it is the only
/// writer, and it is done before any sender starts); then every sender thread reads the table
/// through `View`: open addressing with linear probing over preallocated arrays, so a lookup
/// allocates nothing, touches no reference count and makes no dynamic call.
public final class NeighborTable: @unchecked Sendable {
    /// A value `View.lookup` returns for an address that is not on-link (not in the table).
    public static let notOnLink: UInt64 = 0
    /// A value `View.lookup` returns for an on-link target that has not answered.
    public static let unresolved: UInt64 = 1 << 48

    /// Slots: a power of two, at least twice the entries the table was made for.
    public let capacity: Int
    private let keys: UnsafeMutablePointer<UInt128>
    /// `unresolved`, a MAC as a 48-bit value, or 0 for an empty slot.
    private let values: UnsafeMutablePointer<UInt64>
    /// Addresses in the table, and how many of them have a MAC.
    public private(set) var count = 0
    public private(set) var resolvedCount = 0
    /// Whether the neighbour stage has run: only then do on-link probes go to the table's MACs.
    public private(set) var isResolved = false

    /// An empty table for up to `expected` addresses.
    public init(expected: Int) {
        var slots = 16
        while slots < 2 * max(1, expected) { slots <<= 1 }
        capacity = slots
        keys = .allocate(capacity: slots)
        keys.initialize(repeating: 0, count: slots)
        values = .allocate(capacity: slots)
        values.initialize(repeating: 0, count: slots)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Adds an on-link target, not yet resolved. Returns false when the table is full.
    @discardableResult
    public func add(_ address: UInt128) -> Bool {
        let i = slot(of: address)
        if values[i] != 0 { return true }
        guard count < capacity / 2 else { return false }
        keys[i] = address
        values[i] = Self.unresolved
        count += 1
        return true
    }

    /// Records that on-link target `address` answered from `mac` (a later answer replaces an
    /// earlier one). Returns true when the target had no MAC yet; addresses that are not
    /// on-link targets, and the zero MAC, are ignored.
    @discardableResult
    public func resolve(_ address: UInt128, mac: MACAddress) -> Bool {
        let value = mac.value
        let i = slot(of: address)
        guard value != 0, values[i] != 0 else { return false }
        let new = values[i] == Self.unresolved
        values[i] = value
        if new { resolvedCount += 1 }
        return new
    }

    /// The MAC recorded for `address`, if any.
    public func mac(for address: UInt128) -> MACAddress? {
        let v = view.lookup(address)
        return v == Self.notOnLink || v == Self.unresolved ? nil : MACAddress(value: v)
    }

    /// Marks the neighbour stage as done.
    public func markResolved() { isResolved = true }

    /// The table as the send loop reads it.
    public var view: View { View(mask: capacity - 1, keys: keys, values: values) }

    /// The slot holding `address`, or the empty slot where it would go.
    private func slot(of address: UInt128) -> Int {
        var i = Self.home(address, mask: capacity - 1)
        while values[i] != 0 && keys[i] != address { i = (i + 1) & (capacity - 1) }
        return i
    }

    /// The first slot tried for `address`: Fibonacci hashing of its folded 64 bits.
    @inline(__always)
    static func home(_ address: UInt128, mask: Int) -> Int {
        let folded = UInt64(truncatingIfNeeded: address) ^ UInt64(truncatingIfNeeded: address >> 64)
        return Int(truncatingIfNeeded: (folded &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// A read-only view for the send loop: plain pointers, trivially copied.
    public struct View: @unchecked Sendable {
        let mask: Int
        let keys: UnsafeMutablePointer<UInt128>
        let values: UnsafeMutablePointer<UInt64>

        /// `notOnLink`, `unresolved`, or the MAC of `address` as a 48-bit value. The table is
        /// never more than half full, so the probe ends at an empty slot.
        @inline(__always)
        public func lookup(_ address: UInt128) -> UInt64 {
            var i = NeighborTable.home(address, mask: mask)
            while true {
                let value = values[i]
                if value == 0 || keys[i] == address { return value }
                i = (i + 1) & mask
            }
        }
    }
}
