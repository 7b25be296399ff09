import XMapCore

/// A source of targets for a sender thread: a sub-shard of the permutation (at the word width
/// of its group) or a chunk of an `-I` list. The send loop is generic over it.
protocol TargetWalk: ~Copyable {
    /// The next target; `.done` when the walk is over, `.skip` for padding values.
    mutating func next(in space: TargetSpace) -> WalkStep
}

enum WalkStep {
    case target(Target)
    case skip
    case done
}

/// An ordinal type the target space can decode.
protocol DecodableOrdinal {
    static func target(_ v: Self, in space: TargetSpace) -> Target?
}

extension UInt64: DecodableOrdinal {
    @inline(__always) static func target(_ v: UInt64, in space: TargetSpace) -> Target? { space.target(value: v) }
}

extension UInt128: DecodableOrdinal {
    @inline(__always) static func target(_ v: UInt128, in space: TargetSpace) -> Target? {
        space.target(value: UInt192(v))
    }
}

extension UInt192: DecodableOrdinal {
    @inline(__always) static func target(_ v: UInt192, in space: TargetSpace) -> Target? { space.target(value: v) }
}

/// The serial walk (the sender uses it for 192-bit groups).
extension GroupWalk: TargetWalk where M.Element: DecodableOrdinal {
    mutating func next(in space: TargetSpace) -> WalkStep {
        guard let v = next() else { return .done }
        if let t = M.Element.target(v, in: space) { return .target(t) }
        return .skip
    }
}

/// An interleaved walk read through a 256-ordinal buffer (what the sender uses for 64- and
/// 128-bit groups). The buffer lives as long as the walk.
struct BatchedWalk<M: GroupMultiplier>: TargetWalk, ~Copyable where M.Element: DecodableOrdinal {
    var walk: InterleavedWalk<M>
    let buffer = UnsafeMutablePointer<M.Element>.allocate(capacity: 256)
    var position = 0
    var filled = 0

    init(_ walk: InterleavedWalk<M>) { self.walk = walk }

    deinit { buffer.deallocate() }

    @inline(__always) mutating func next(in space: TargetSpace) -> WalkStep {
        if position == filled {
            filled = walk.fill(buffer, capacity: 256)
            position = 0
            if filled == 0 { return .done }
        }
        let v = buffer[position]
        position += 1
        if let t = M.Element.target(v, in: space) { return .target(t) }
        return .skip
    }
}

/// Walks a sub-shard's chunk of an `-I` list: for each port, for each index, every entry in
/// file order (as XMap re-reads its chunk per port and index).
struct ListWalk: TargetWalk {
    let list: AddressList
    let chunk: Range<Int>
    let ports: [UInt16]
    let indexCount: Int
    var position: Int
    var port = 0
    var index = 0

    init(list: AddressList, chunk: Range<Int>, ports: [UInt16], indexCount: Int) {
        self.list = list
        self.chunk = chunk
        self.ports = ports
        self.indexCount = max(1, indexCount)
        position = chunk.lowerBound
    }

    mutating func next(in space: TargetSpace) -> WalkStep {
        if chunk.isEmpty { return .done }
        if position == chunk.upperBound {
            position = chunk.lowerBound
            index += 1
            if index == indexCount {
                index = 0
                port += 1
                if port >= max(1, ports.count) { return .done }
            }
        }
        let address = list[position]
        position += 1
        return .target(Target(address: address, port: ports.isEmpty ? 0 : ports[port], index: index))
    }
}
