import XMapCore

/// A source of permutation ordinals that can decode them into targets. Lets the send loop be
/// specialised for the 64-bit and 192-bit group walks.
protocol TargetWalk {
    /// The next target; `.done` when the walk is over, `.skip` for padding values.
    mutating func next(in space: TargetSpace) -> WalkStep
}

enum WalkStep {
    case target(Target)
    case skip
    case done
}

extension NarrowWalk: TargetWalk {
    @inline(__always) mutating func next(in space: TargetSpace) -> WalkStep {
        guard let v = next() else { return .done }
        if let t = space.target(value: v) { return .target(t) }
        return .skip
    }
}

extension MidWalk: TargetWalk {
    @inline(__always) mutating func next(in space: TargetSpace) -> WalkStep {
        guard let v = next() else { return .done }
        if let t = space.target(value: UInt192(v)) { return .target(t) }
        return .skip
    }
}

extension WideWalk: TargetWalk {
    mutating func next(in space: TargetSpace) -> WalkStep {
        guard let v = next() else { return .done }
        if let t = space.target(value: v) { return .target(t) }
        return .skip
    }
}
