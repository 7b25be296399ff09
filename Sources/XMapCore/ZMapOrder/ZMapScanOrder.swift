/// ZMap 4's target order, reproduced exactly: the same `--seed`, targets, ports, `--shards`/`--shard`,
/// sender threads and `--max-targets` give the same (address, port) sequence per thread as ZMap.
///
/// How ZMap orders a scan:
///
/// 1. Number the targets. The allowed addresses get indexes 0 ..< A in ZMap's constraint order
///    (`ZMapAddressIndex`: whole /18 blocks first, then the rest) and the ports 0 ..< P in list order.
///    Target (a, p) is the number a · 2^bp + p, where bp = ⌈log2 P⌉; the group element for it is one
///    more than that number.
/// 2. Pick the group: the first prime of ZMap's table above 2^(⌈log2 A⌉ + bp) (`ZMapCyclicGroup`).
/// 3. Draw from the seeded AES stream (`ZMapRandom`) a primitive root g < 2^22 and an exponent offset
///    (`ZMapCycle`). Powers of g then visit every element 1 ... p − 1 once, in a seed-dependent order.
/// 4. Cut the exponent circle into S = shards × threads slices of ⌊(p − 1)/S⌋, turned by the offset;
///    thread t of shard n walks slice n·T + t, the last slice taking the remainder (`ZMapSubShard`).
/// 5. Walk a slice by repeated multiplication by g, keeping only the elements that decode to a target
///    (`ZMapElementLayout`), and stop at the slice's end or after the thread's share of
///    `--max-targets` (`ZMapOrderIterator`).
///
/// The layout, the cycle and the address index are computed once; iterators share them. ZMap's quirks are
/// kept, because they are its order: the 64-bit step that overflows in the two largest groups
/// (`ZMapOrderIterator`), and the /18-first address numbering.
public struct ZMapScanOrder: Sendable {
    /// The target numbering.
    public let layout: ZMapElementLayout
    /// The group, generator and offset drawn from the seed.
    public let cycle: ZMapCycle
    /// The allowed addresses in ZMap's index order.
    public let addresses: ZMapAddressIndex
    /// The ports in the order given (duplicates kept); `[0]` when the module has no ports.
    public let ports: [UInt16]
    /// `--shards`, `--shard` and the sender thread count.
    public let shards: Int, shard: Int, threads: Int
    /// `--max-targets` in targets, nil for none.
    public let maxTargets: UInt64?

    /// The generator g, which ZMap records as metadata field `generator`.
    public var generator: UInt64 { cycle.generator }
    /// The group's prime p.
    public var prime: UInt64 { cycle.group.prime }
    /// The number of sub-shards, shards × threads.
    public var subShardCount: Int { shards * threads }

    /// Plans the order of a scan.
    /// - Parameters:
    ///   - allowed: the allowed IPv4 addresses as 32-bit values (after allow and block lists);
    ///     0.0.0.0 is always excluded, as in ZMap.
    ///   - ports: the target ports in command-line order, duplicates kept (at most 65,536); an empty
    ///     list stands for ZMap's single port 0 of modules without ports.
    ///   - seed: `--seed`. (ZMap reads it with `strtoll`: values above 2^63 − 1 saturate to 2^63 − 1 and
    ///     negative ones wrap to 2^64 − n; the command line must do the same before calling.)
    ///   - shards: `--shards` (1 ... 65,535); `shard`: `--shard` (0 ..< shards).
    ///   - threads: sender threads (1 ... 255), after ZMap's own adjustments (see `senderThreads`).
    ///   - maxTargets: `--max-targets` in targets (a percentage already converted); nil or 0: no limit.
    /// - Throws: `XMapError` with ZMap's message when ZMap refuses the scan: no allowed address,
    ///   more sub-shards than targets or than `--max-targets`, or than group elements.
    public init(
        allowed: PrefixIntervals, ports: [UInt16], seed: UInt64, shards: Int = 1, shard: Int = 0,
        threads: Int = 1, maxTargets: UInt64? = nil
    ) throws {
        guard (1...65535).contains(shards) else { throw XMapError("shards must be in 1-65535", module: "zmap") }
        guard (0..<shards).contains(shard) else {
            throw XMapError(
                "With \(shards) total shards, shard number (\(shard)) must be in range [0, \(shards))",
                module: "zmap")
        }
        guard (1...255).contains(threads) else {
            throw XMapError("sender threads must be in 1-255", module: "zmap")
        }
        let ports = ports.isEmpty ? [0] : ports
        guard ports.count <= 65536 else { throw XMapError("too many target ports (at most 65536)", module: "zmap") }
        let addresses = try ZMapAddressIndex(allowed: allowed)
        guard addresses.count > 0 else { throw XMapError("zero eligible addresses to scan", module: "zmap") }
        let subShards = UInt64(shards * threads)
        guard subShards <= addresses.count * UInt64(ports.count) else {
            throw XMapError("senders * shards > allowed probes", module: "send")
        }
        let limit = maxTargets == 0 ? nil : maxTargets
        if let limit, subShards > limit { throw XMapError("senders * shards > max targets", module: "send") }

        let layout = ZMapElementLayout(addressCount: addresses.count, portCount: ports.count)
        guard let group = ZMapCyclicGroup.smallest(above: layout.minimumGroupSize) else {
            throw XMapError("no cyclic group is large enough", module: "zmap")
        }
        guard subShards < group.order else { throw XMapError("more sub-shards than group elements", module: "zmap") }
        var random = ZMapRandom(seed: seed)
        self.layout = layout
        self.cycle = ZMapCycle(group: group, random: &random)
        self.addresses = addresses
        self.ports = ports
        self.shards = shards
        self.shard = shard
        self.threads = threads
        self.maxTargets = limit
    }

    /// The slice of the cycle that sender thread `thread` (0 ..< threads) walks.
    public func subShard(thread: Int) -> ZMapSubShard {
        ZMapSubShard(
            cycle: cycle, shard: shard, shards: shards, thread: thread, threads: threads,
            maxTotalTargets: maxTargets)
    }

    /// The targets of sender thread `thread` (0 ..< threads), in ZMap's order.
    /// - Parameter applyingMaxTargets: false to leave the `--max-targets` share to the caller, who must
    ///   then count only the targets it actually probes (ZMap counts after its `-I` list filter).
    public func iterator(thread: Int, applyingMaxTargets: Bool = true) -> ZMapOrderIterator {
        let slice = subShard(thread: thread)
        return ZMapOrderIterator(
            subShard: slice, cycle: cycle, layout: layout, addresses: addresses, ports: ports,
            limit: applyingMaxTargets ? slice.maxTargets : UInt64.max)
    }

    /// ZMap's sender thread count for a requested count: it drops to one sender when
    /// 2 × senders ≥ `--max-targets` (including `--max-targets 0`, which otherwise means no limit).
    /// ZMap also drops to one sender (and a batch of 1) when the rate in packets/s is below
    /// 2 × senders × batch (10,000 by default, so `-T 79` and up with the default batch of 64); that rule
    /// belongs to the sender set-up and is not applied here.
    /// - Parameter maxTargets: `--max-targets` in targets as given, nil when the option is absent.
    public static func senderThreads(requested: Int, maxTargets: UInt64?) -> Int {
        guard let maxTargets else { return requested }
        return UInt64(2 * requested) >= maxTargets ? 1 : requested
    }
}
