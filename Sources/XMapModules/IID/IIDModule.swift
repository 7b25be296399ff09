import XMapCore

/// How the host part (the bits below `--max-len`) of each probed address is filled.
/// An enum rather than a protocol so the send loop dispatches with a switch, not a witness call.
public enum IIDModule: Sendable, Equatable {
    /// `::1`-style: the lowest host bit set (the default).
    case low
    /// All host bits zero.
    case zero
    /// All host bits one.
    case full
    /// The last 16 bits set (`::ffff`), for periphery discovery.
    case lowFill
    /// The host bits of a fixed address (`--iid-args`).
    case set(UInt128)
    /// Random host bits, reproducible from the seed.
    case rand

    /// The `-U` names in listing order.
    public static let names = ["full", "low", "low_fill", "rand", "set", "zero"]

    /// `--list-iid-modules` output.
    public static var listing: String { "IID-modules:\n" + names.joined(separator: "\n") + "\n" }

    /// Parses `-U NAME` with `--iid-args`.
    public static func parse(name: String, args: String?, family: IPFamily) throws -> IIDModule {
        switch name {
        case "default", "low": return .low
        case "zero": return .zero
        case "full": return .full
        case "low_fill": return .lowFill
        case "rand": return .rand
        case "set":
            guard let args, !args.isEmpty else { throw XMapError("Set mode: NULL args for \(family)") }
            guard let a = IPAddress(args, family: family) else {
                throw XMapError("Set mode: unknown args `\(args)' for \(family)")
            }
            return .set(a.value)
        default:
            throw XMapError("specified iid module (\(name)) does not exist")
        }
    }

    /// Host bits for IID number `n` (0-based, `--iid-num`) of a prefix, already masked by `hostMask`.
    /// Different `n` give different host parts wherever the host part has room for them.
    @inlinable public func hostBits(n: Int, hostMask: UInt128, random: inout SplitMix64) -> UInt128 {
        let k = UInt128(truncatingIfNeeded: n)
        switch self {
        case .low: return (1 &+ k) & hostMask
        case .zero: return k & hostMask
        case .full: return (hostMask &- k) & hostMask
        case .lowFill: return (0xFFFF &- k) & hostMask
        case .set(let v): return (v &+ k) & hostMask
        case .rand: return (UInt128(random.next()) << 64 | UInt128(random.next())) & hostMask
        }
    }
}

/// A small, fast, seedable PRNG (SplitMix64) for per-thread random IIDs.
public struct SplitMix64: Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
