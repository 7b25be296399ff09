import XMapCore

/// An IID module (`-U`): how the host part of each probed address, the bits below `--max-len`,
/// is filled. A module turns its `--iid-args` into an `IIDGenerator`, a small value the send
/// loop evaluates per packet with a switch (no witness call per packet).
public protocol IIDModule {
    /// The `-U` name.
    static var name: String { get }
    /// One paragraph for `--help`.
    static var helpText: String { get }
    /// The generator for `--iid-args` (nil when not given) in a scan of `family`.
    /// - Throws: `XMapError` for bad arguments.
    static func generator(args: String?, family: IPFamily) throws -> IIDGenerator
}

/// The host bits of IID number n (0-based, `--iid-num`), from one of two rules.
public enum IIDGenerator: Sendable, Equatable {
    /// `start + n` (or `start − n` when `descending`): different IIDs of a prefix differ wherever
    /// the host part has room for them.
    case counting(start: UInt128, descending: Bool)
    /// Random bits, reproducible from the seed (one generator per sender thread).
    case random

    /// Host bits for IID number `n`, masked by `hostMask`.
    @inlinable public func hostBits(n: Int, hostMask: UInt128, random: inout SplitMix64) -> UInt128 {
        switch self {
        case .counting(let start, let descending):
            let k = UInt128(truncatingIfNeeded: n)
            return (descending ? start &- k : start &+ k) & hostMask
        case .random:
            return (UInt128(random.next()) << 64 | UInt128(random.next())) & hostMask
        }
    }
}

/// Every IID module, in listing order (XMap's). Adding an IID module is one file and one line here.
public enum IIDCatalog {
    public static var modules: [any IIDModule.Type] {
        [FullIID.self, LowIID.self, LowFillIID.self, RandomIID.self, SetIID.self, ZeroIID.self]
    }

    /// The module named `name` (`default` means `low`).
    public static func module(named name: String) -> (any IIDModule.Type)? {
        let n = name == "default" ? "low" : name
        return modules.first { $0.name == n }
    }

    /// `--list-iid-modules` output.
    public static var listing: String { "IID-modules:\n" + modules.map { $0.name }.joined(separator: "\n") + "\n" }
}
