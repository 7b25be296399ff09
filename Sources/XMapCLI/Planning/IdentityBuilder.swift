import XMapCore
import XMapEngine
import XMapIO

/// Seed, validation key and sharding (`-e`, `--shards`, `--shard`).
struct IdentityBuilder {
    let options: XMapOptions

    /// A resumed scan keeps its checkpoint's seed and validation key (unless the command line
    /// gives another seed, which the parameter check then refuses).
    func build(resuming checkpoint: Checkpoint? = nil) throws -> ScanIdentity {
        let seedProvided = options.seed != nil
        let seed = options.seed ?? checkpoint?.seed ?? SystemRandom.uint64()
        // XMap: with a seed, the validation key is the seed's key; without one, 16 random bytes.
        let key =
            checkpoint.map { AESKey(key: $0.validationKey) }
            ?? (seedProvided ? AESKey(seed: seed) : AESKey(key: SystemRandom.bytes(16)))
        var identity = ScanIdentity(seed: seed, seedProvided: seedProvided, validationKey: key)
        if (options.shards != nil) != (options.shard != nil) && (options.shard ?? 0) != 0 {
            throw XMapError("need to specify both shard number and total number of shards")
        }
        identity.shards = options.shards ?? 1
        identity.shard = options.shard ?? 0
        guard identity.shards >= 1 && identity.shards <= 65535 else {
            throw XMapError("--shards must be between 1 and 65535")
        }
        if identity.shards > 1 && !seedProvided { throw XMapError("need to specify seed if sharding a scan") }
        guard identity.shard >= 0 && identity.shard < identity.shards else {
            throw XMapError(
                "with \(identity.shards) total shards, shard number (\(identity.shard)) must be in range [0, "
                    + "\(identity.shards))"
            )
        }
        if identity.shards > 1 && options.shard == nil {
            // XMap and ZMap scan shard 0 without a word; the other shards are easily forgotten.
            Log.warn(
                "--shards \(identity.shards) without --shard: scanning shard 0 only (0 to \(identity.shards - 1) "
                    + "cover the space)")
        }
        return identity
    }
}
