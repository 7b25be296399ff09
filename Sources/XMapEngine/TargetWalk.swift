import XMapCore

/// A source of targets for a sender thread: a sub-shard of the permutation (at the word width
/// of its group) or a chunk of an `-I` list. The send loop is generic over it.
protocol TargetWalk: ~Copyable {
    /// What identifies the last target returned (cheap to keep per target).
    associatedtype Position
    /// The next target; `.done` when the walk is over, `.skip` for padding values.
    mutating func next(in space: TargetSpace) -> WalkStep
    /// The last target returned by `next` (only valid after it returned one).
    var position: Position { get }
    /// `p` as a checkpoint position.
    func saved(_ p: Position) -> WalkPosition
}

enum WalkStep {
    case target(Target)
    case skip
    case done
}

/// An ordinal type the target space can decode.
protocol DecodableOrdinal {
    static func target(_ v: Self, in space: TargetSpace) -> Target?
    /// The value at full width.
    var wide: UInt192 { get }
}

extension UInt64: DecodableOrdinal {
    @inline(__always) static func target(_ v: UInt64, in space: TargetSpace) -> Target? { space.target(value: v) }
    var wide: UInt192 { UInt192(self) }
}

extension UInt128: DecodableOrdinal {
    @inline(__always) static func target(_ v: UInt128, in space: TargetSpace) -> Target? {
        space.target(value: UInt192(v))
    }
    var wide: UInt192 { UInt192(self) }
}

extension UInt192: DecodableOrdinal {
    @inline(__always) static func target(_ v: UInt192, in space: TargetSpace) -> Target? { space.target(value: v) }
    var wide: UInt192 { self }
}

/// The serial walk (the sender uses it for 192-bit groups).
extension GroupWalk: TargetWalk where M.Element: DecodableOrdinal {
    mutating func next(in space: TargetSpace) -> WalkStep {
        guard let v = next() else { return .done }
        if let t = M.Element.target(v, in: space) { return .target(t) }
        return .skip
    }

    /// (`position`, the element the walk stands on, comes with `GroupWalk`.)
    func saved(_ element: M.Element) -> WalkPosition { .element(element.wide) }
}

/// An interleaved walk read through a 256-ordinal buffer (what the sender uses for 64- and
/// 128-bit groups). The buffer lives as long as the walk.
struct BatchedWalk<M: GroupMultiplier>: TargetWalk, ~Copyable where M.Element: DecodableOrdinal {
    var walk: InterleavedWalk<M>
    let buffer = UnsafeMutablePointer<M.Element>.allocate(capacity: 256)
    var cursor = 0
    var filled = 0

    init(_ walk: InterleavedWalk<M>) { self.walk = walk }

    deinit { buffer.deallocate() }

    @inline(__always) mutating func next(in space: TargetSpace) -> WalkStep {
        if cursor == filled {
            filled = walk.fill(buffer, capacity: 256)
            cursor = 0
            if filled == 0 { return .done }
        }
        let v = buffer[cursor]
        cursor += 1
        if let t = M.Element.target(v, in: space) { return .target(t) }
        return .skip
    }

    /// The ordinal of the last target returned.
    var position: M.Element { buffer[cursor - 1] }
    /// The group element of an ordinal is the ordinal plus one.
    func saved(_ ordinal: M.Element) -> WalkPosition { .element(ordinal.wide + .one) }
}

/// Walks a sub-shard's chunk of an `-I` list: for each port, for each index, every entry in
/// file order (as XMap re-reads its chunk per port and index).
struct ListWalk: TargetWalk {
    let list: AddressList
    let chunk: Range<Int>
    let ports: [UInt16]
    let indexCount: Int
    var cursor: Int
    var port = 0
    var index = 0

    init(list: AddressList, chunk: Range<Int>, ports: [UInt16], indexCount: Int) {
        self.list = list
        self.chunk = chunk
        self.ports = ports
        self.indexCount = max(1, indexCount)
        cursor = chunk.lowerBound
    }

    mutating func next(in space: TargetSpace) -> WalkStep {
        if chunk.isEmpty { return .done }
        if cursor == chunk.upperBound {
            cursor = chunk.lowerBound
            index += 1
            if index == indexCount {
                index = 0
                port += 1
                if port >= max(1, ports.count) { return .done }
            }
        }
        let address = list[cursor]
        cursor += 1
        return .target(Target(address: address, port: ports.isEmpty ? 0 : ports[port], index: index))
    }

    /// The entry, port slot and index of the last target returned.
    var position: (entry: Int, port: Int, index: Int) { (cursor - 1, port, index) }
    func saved(_ p: (entry: Int, port: Int, index: Int)) -> WalkPosition {
        .list(entry: p.entry, port: p.port, index: p.index)
    }

    /// Continues after the target at `entry`, `port`, `index` of a checkpoint.
    mutating func resume(after entry: Int, port: Int, index: Int) {
        cursor = entry + 1
        self.port = port
        self.index = index
    }
}

/// A sender thread's segment of ZMap 4's order. Its position is the number of targets it has
/// returned (a resumed walk skips that many).
struct ZMapWalk: TargetWalk {
    var iterator: ZMapOrderIterator
    var emitted: UInt64 = 0

    init(_ iterator: ZMapOrderIterator, resumingAfter done: UInt64 = 0) {
        self.iterator = iterator
        while emitted < done, self.iterator.next() != nil { emitted += 1 }
    }

    @inline(__always) mutating func next(in space: TargetSpace) -> WalkStep {
        guard let (address, port) = iterator.next() else { return .done }
        emitted &+= 1
        return .target(Target(address: UInt128(address), port: port, index: 0))
    }

    var position: UInt64 { emitted }
    func saved(_ p: UInt64) -> WalkPosition { .emitted(p) }
}
