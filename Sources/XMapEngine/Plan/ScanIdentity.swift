import XMapCore

/// What makes a scan reproducible and splittable: the seed, the validation key and the shard.
public struct ScanIdentity: Sendable {
    /// Permutation seed (XMap's `--seed`); random when not given.
    public var seed: UInt64
    public var seedProvided: Bool
    /// AES-128 key for reply validation (the seed's key when a seed is given, as XMap).
    public var validationKey: AESKey
    public var shards: Int = 1
    public var shard: Int = 0

    public init(seed: UInt64, seedProvided: Bool, validationKey: AESKey) {
        self.seed = seed
        self.seedProvided = seedProvided
        self.validationKey = validationKey
    }
}
