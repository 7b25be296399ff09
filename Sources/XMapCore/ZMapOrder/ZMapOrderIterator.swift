/// One sender thread's targets in ZMap's order: the walk through one `ZMapSubShard`.
///
/// Each step multiplies the current element by the generator and reduces modulo p; the walk ends on
/// reaching the sub-shard's `last` element, or after its `--max-targets` share. Elements that do not
/// decode to a target (see `ZMapElementLayout`) are stepped over; the first element is taken as is if
/// it decodes, else the walk rolls on from it. `next()` allocates nothing.
///
/// The step is `current * g mod p`. ZMap computes it in 64 bits and keeps g below 2^22 so that the
/// product cannot overflow for p = 2^32 + 15, but its table now goes up to 2^48 + 23: for the two
/// largest groups (2^44 + 7 and 2^48 + 23, i.e. more than 2^40 address×port slots) its product
/// wraps, and its walk is then no longer a permutation: it repeats targets, misses others and may
/// never end. (All of IPv4 with ports 1-1024 and seed 1: ZMap's target 1,926,006 repeats target
/// 518,787 and its walk loops from there for ever.) This iterator multiplies exactly for those two
/// groups, so every target comes once; below them (every scan of fewer than 2^40 address×port
/// slots) the product cannot wrap and the order is ZMap's.
public struct ZMapOrderIterator: IteratorProtocol, Sendable {
    @usableFromInline let addresses: ZMapAddressIndex
    @usableFromInline let ports: [UInt16]
    @usableFromInline let layout: ZMapElementLayout
    @usableFromInline let generator: UInt64
    @usableFromInline let prime: UInt64
    @usableFromInline let last: UInt64
    @usableFromInline var current: UInt64
    /// True until the first element has been considered.
    @usableFromInline var atFirst = true
    @usableFromInline var finished = false
    /// Targets this iterator may still yield.
    @usableFromInline var remaining: UInt64

    init(
        subShard: ZMapSubShard, cycle: ZMapCycle, layout: ZMapElementLayout, addresses: ZMapAddressIndex,
        ports: [UInt16], limit: UInt64
    ) {
        self.addresses = addresses
        self.ports = ports
        self.layout = layout
        generator = cycle.generator
        prime = cycle.group.prime
        last = subShard.last
        current = subShard.first
        remaining = limit
    }

    /// The next target (address as a host-order IPv4 value, and port), or nil when the sub-shard is done.
    @inlinable public mutating func next() -> (address: UInt32, port: UInt16)? {
        if finished { return nil }
        if remaining == 0 {
            finished = true
            return nil
        }
        if atFirst {
            atFirst = false
            if let target = layout.decode(current) {
                return emit(target)
            }
        }
        while true {
            if prime > Self.exactStepAbove {
                current = prime.dividingFullWidth(current.multipliedFullWidth(by: generator)).remainder
            } else {
                current = (current &* generator) % prime
            }
            if current == last || current == 0 {
                finished = true
                return nil
            }
            if let target = layout.decode(current) {
                return emit(target)
            }
        }
    }

    /// Above this prime, g·current (g < 2^22) can pass 2^64.
    @usableFromInline static let exactStepAbove: UInt64 = 1 << 42

    @inlinable @inline(__always)
    mutating func emit(_ target: (addressIndex: UInt64, portIndex: Int)) -> (address: UInt32, port: UInt16) {
        remaining -= 1
        return (addresses.address(at: target.addressIndex), ports[target.portIndex])
    }
}
