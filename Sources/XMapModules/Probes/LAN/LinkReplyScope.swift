import XMapCore

/// What an ARP reply or a neighbour advertisement must match to count, since neither echoes
/// anything of the probe that validation could check: it answers one of the scan's source
/// addresses, about one of its targets. The engine sets it in the reply context of `arp` and
/// `nd` scans and of the neighbour stage.
public struct LinkReplyScope: Sendable {
    /// The scan's source addresses.
    public var localAddresses: [UInt128]
    /// The allowed target prefixes, as the target space holds them (prefix values).
    public var targets: PrefixIntervals
    /// Bits below a prefix value (address bits minus `--max-len`).
    public var prefixShift: Int

    public init(localAddresses: [UInt128], targets: PrefixIntervals, prefixShift: Int) {
        self.localAddresses = localAddresses
        self.targets = targets
        self.prefixShift = prefixShift
    }

    /// Whether a reply sent to `local` about `target` is one the scan asked for.
    public func accepts(local: UInt128, target: UInt128) -> Bool {
        guard localAddresses.contains(local) else { return false }
        return targets.contains(prefixShift >= 128 ? 0 : target >> UInt128(prefixShift))
    }
}

extension ReplyContext {
    /// Whether a link-layer reply to `local` about `target` counts (always, without a scope).
    @inlinable public func acceptsLinkReply(local: UInt128, target: UInt128) -> Bool {
        linkScope?.accepts(local: local, target: target) ?? true
    }
}
