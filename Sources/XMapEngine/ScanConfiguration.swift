import XMapCore
import XMapIO
import XMapModules

/// Repeat detection: every distinct reply remembered (`full`, the default), only the most recent
/// ones (`window`, bounded memory), or none (every reply has `repeat = 0`).
public enum DedupMethod: Sendable, Equatable {
    case full
    case window(Int)
    case none
}

/// Everything a scan needs, resolved and checked by the CLI before any thread starts.
public struct ScanConfiguration: Sendable {
    public var family: IPFamily
    public var probeModule: String
    public var probeArgs: String?
    public var space: TargetSpace
    /// Permutation seed (XMap's `--seed`); random when not given.
    public var seed: UInt64
    public var seedProvided: Bool
    /// AES-128 key for reply validation (equals the seed key when a seed is given, as XMap).
    public var validationKey: [UInt8]
    public var shards: Int = 1
    public var shard: Int = 0
    public var senderThreads: Int = 1
    /// Packets per second over all threads; 0 means unlimited.
    public var rate: Int = 1
    public var probes: Int = 1
    public var retries: Int = 1
    public var iid: IIDModule = .low
    public var iidNum: Int = 1
    /// 0 means unlimited for all the limits below.
    public var maxTargets: UInt64 = 0
    public var maxPackets: UInt64 = 0
    public var maxRuntime: Int = 0
    public var maxResults: UInt64 = 0
    public var cooldownSeconds: Int = 5
    public var ttl: UInt8 = 255
    public var sourceAddresses: [UInt128] = []
    public var sourcePorts = SourcePortRange(first: 32768, last: 61000)
    public var interfaceName: String = ""
    public var interfaceIndex: Int32 = 0
    public var sourceMAC: MACAddress = .zero
    public var gatewayMAC: MACAddress = .zero
    public var dryRun = false
    public var quiet = false
    /// Output module name (`csv`, `json`).
    public var outputModule: String = "csv"
    /// Output fields in order.
    public var outputFields: [String] = ["saddr"]
    /// The output filter; nil keeps everything.
    public var filter: FilterExpression?
    /// Output file; nil or `-` is stdout.
    public var outputPath: String?
    /// `-I` list: scanned sequentially instead of the permutation (XMap's semantics).
    public var targetList: AddressList?
    /// Batch size for sendmmsg.
    public var batchSize: Int = 64
    /// `--min-hitrate`: abort when the hit rate (percent) stays below this for 5 s after a 5 s
    /// warm-up; 0 disables the check.
    public var minHitrate: Double = 0
    /// `--max-sendto-failures`: abort once more packets than this failed to send; negative
    /// disables the check.
    public var maxSendtoFailures: Int = -1
    /// ZMap's `--no-header-row` turns this off (and `--fast-dryrun` does).
    public var headerRow = true
    /// ZMap's `--fast-dryrun`: the dry run writes binary records (address, port) instead of text.
    public var fastDryRun = false
    /// How repeats are detected (ZMap's `--dedup-method`).
    public var dedup: DedupMethod = .full
    /// ZMap's `--validate-source-port`: whether a reply must come back to one of our source ports.
    public var validateSourcePort = true
    /// `-E`: expected number of distinct replies (sizes the repeat filter up front).
    public var expectedResults: Int = 1 << 16
    /// `-X`: send bare IP packets (no Ethernet header), for tun/tunnel interfaces and VPNs.
    public var ipLayer = false
    /// `-u`: CSV file that receives one status row per second.
    public var statusUpdatesPath: String?
    /// `--cores`: CPUs for the receiver (first), the senders and the monitor, used round robin;
    /// empty means no pinning.
    public var pinCores: [Int] = []

    public init(family: IPFamily, probeModule: String, space: TargetSpace, seed: UInt64, seedProvided: Bool,
                validationKey: [UInt8]) {
        self.family = family
        self.probeModule = probeModule
        self.space = space
        self.seed = seed
        self.seedProvided = seedProvided
        self.validationKey = validationKey
    }

    /// All fields of a record for a module: IP fields, module fields, system fields.
    public static func allFields(_ module: any ProbeModule.Type) -> [FieldDefinition] {
        CommonFields.ip(module.family) + module.fields + CommonFields.system
    }
}

extension ScanConfiguration {
    /// Where `-X` sends bare IP packets; nil for Ethernet frames.
    var ipLayerDestination: IPLayerDestination? {
        ipLayer ? IPLayerDestination(interfaceIndex: interfaceIndex, etherType: family.etherType,
                                     linkAddress: gatewayMAC) : nil
    }
}
