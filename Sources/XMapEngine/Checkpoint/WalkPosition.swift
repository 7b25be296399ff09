import XMapCore

/// How far one sender thread has got, in a form that survives a restart: the last target whose
/// probes were all sent. A resumed thread continues after it.
public enum WalkPosition: Sendable, Equatable {
    /// Nothing sent yet.
    case start
    /// The permutation's group element of the last target done.
    case element(UInt192)
    /// An `-I` list walk: the entry, port slot and index of the last target done.
    case list(entry: Int, port: Int, index: Int)
    /// ZMap's order (the `zmap` personality): how many targets of the thread's segment are done.
    case emitted(UInt64)
    /// The thread's share is done.
    case finished

    /// The position as checkpoint text: `start`, `finished`, a decimal element, or `list:E:P:I`.
    public var text: String {
        switch self {
        case .start: "start"
        case .finished: "finished"
        case .element(let e): e.description
        case .list(let e, let p, let i): "list:\(e):\(p):\(i)"
        case .emitted(let n): "emitted:\(n)"
        }
    }

    /// Parses `text`; nil when it is not a position.
    public init?(text: String) {
        switch text {
        case "start": self = .start
        case "finished": self = .finished
        default:
            if text.hasPrefix("emitted:"), let n = UInt64(text.dropFirst(8)) {
                self = .emitted(n)
            } else if text.hasPrefix("list:") {
                let parts = text.dropFirst(5).split(separator: ":").compactMap { Int($0) }
                guard parts.count == 3, parts.allSatisfy({ $0 >= 0 }) else { return nil }
                self = .list(entry: parts[0], port: parts[1], index: parts[2])
            } else if let e = UInt192(decimal: text), !e.isZero {
                self = .element(e)
            } else {
                return nil
            }
        }
    }
}

/// One sender thread's progress.
public struct ThreadProgress: Sendable, Equatable {
    public var position: WalkPosition = .start
    /// Targets done (for `-n`), packets sent and packets that failed (for `-k`).
    public var targets: UInt64 = 0
    public var packets: UInt64 = 0
    public var failed: UInt64 = 0

    public init(position: WalkPosition = .start, targets: UInt64 = 0, packets: UInt64 = 0, failed: UInt64 = 0) {
        self.position = position
        self.targets = targets
        self.packets = packets
        self.failed = failed
    }
}
