import XMapCore
import XMapModules

/// What a scan probes: the target space (allowed prefixes × ports × indexes), the order it is
/// walked in, and how each prefix becomes addresses.
public struct TargetPlan: Sendable {
    /// How targets are produced.
    public enum Order: Sendable {
        /// XMap's cyclic-group permutation of the space.
        case permutation(CyclicPermutation)
        /// An `-I` list, in file order per sub-shard (XMap's semantics).
        case list(AddressList)
        /// ZMap 4's order of the space (the `zmap` personality): its own groups, generator and
        /// sub-shards, built once the sender threads are known.
        case zmap(ZMapScanOrder)
    }

    public var family: IPFamily { space.family }
    public var space: TargetSpace
    public var order: Order
    /// The IID module's name (`-U`) and the host-bit generator it made.
    public var iidName: String
    public var iid: IIDGenerator
    /// `--iid-num`: addresses per prefix.
    public var iidNum: Int
    /// The allowlist and blocklist entries as given (metadata).
    public var allowlistedNetworks: [String] = []
    public var blocklistedNetworks: [String] = []

    public init(
        space: TargetSpace, order: Order, iidName: String = "low",
        iid: IIDGenerator = .counting(start: 1, descending: false), iidNum: Int = 1
    ) {
        self.space = space
        self.order = order
        self.iidName = iidName
        self.iid = iid
        self.iidNum = iidNum
    }

    /// The permutation's generator (0 for a list), for the metadata.
    public var generator: UInt64 {
        switch order {
        case .permutation(let p): return p.generator.l0
        case .zmap(let z): return z.generator
        case .list: return 0
        }
    }

    /// The `-I` list, if the scan uses one.
    public var list: AddressList? {
        if case .list(let l) = order { return l }
        return nil
    }

    /// Targets the scan will probe (for progress): list entries × ports × indexes, or the
    /// allowed space × `--iid-num`.
    public var expectedTargets: Double {
        if let list { return Double(list.count * max(1, space.ports.count) * space.indexCount) }
        return Double(space.targetCount.low128) * Double(iidNum)
    }
}
