import XMapCore

/// Settings a probe module needs to build and validate packets.
public struct ProbeSettings: Sendable {
    public var family: IPFamily
    public var sourceMAC: MACAddress
    public var gatewayMAC: MACAddress
    public var ttl: UInt8
    public var sourcePorts: SourcePortRange
    /// `--probes`: packets per target.
    public var probes: Int
    /// `--probe-args`, if given.
    public var probeArgs: String?
    /// `-p` target ports (for modules whose payload depends on the port).
    public var targetPorts: [UInt16]

    public init(family: IPFamily, sourceMAC: MACAddress = .zero, gatewayMAC: MACAddress = .zero, ttl: UInt8 = 255,
                sourcePorts: SourcePortRange = SourcePortRange(first: 32768, last: 61000), probes: Int = 1,
                probeArgs: String? = nil, targetPorts: [UInt16] = []) {
        self.targetPorts = targetPorts
        self.family = family
        self.sourceMAC = sourceMAC
        self.gatewayMAC = gatewayMAC
        self.ttl = ttl
        self.sourcePorts = sourcePorts
        self.probes = probes
        self.probeArgs = probeArgs
    }
}

/// What the receive path needs to check a reply.
public struct ReplyContext: @unchecked Sendable {
    public let validator: Validator
    public let sourcePorts: SourcePortRange
    public let probes: Int
    /// Target ports as a 65536-bit set (`ports.contains(p)` in O(1)).
    public let targetPorts: PortSet
    /// False with ZMap's `--validate-source-port=disable`: replies to any of our ports count.
    public let validateSourcePort: Bool

    public init(validator: Validator, sourcePorts: SourcePortRange, probes: Int, targetPorts: PortSet,
                validateSourcePort: Bool = true) {
        self.validator = validator
        self.sourcePorts = sourcePorts
        self.probes = probes
        self.targetPorts = targetPorts
        self.validateSourcePort = validateSourcePort
    }

    /// Whether `port` (a reply's destination) is the source port of one of our probes to the
    /// target with validation block `v` (always true when that check is disabled).
    @inlinable public func isOurSourcePort(_ port: UInt16, _ v: AESBlock) -> Bool {
        !validateSourcePort || ValidationValues.isSourcePort(port, v, probes: probes, range: sourcePorts)
    }
}

/// A validated reply: the key that identifies repeats, and the address to report as `saddr`.
public struct ValidReply: Sendable {
    /// Identifies duplicate replies (address plus a module-specific extra, e.g. the port).
    public var repeatKey: RepeatKey
    /// The address reported as `saddr` (for ICMP errors: the probed target).
    public var reportedSource: UInt128

    public init(repeatKey: RepeatKey, reportedSource: UInt128) {
        self.repeatKey = repeatKey
        self.reportedSource = reportedSource
    }
}

/// A key for duplicate detection.
public struct RepeatKey: Hashable, Sendable {
    public var address: UInt128
    public var extra: UInt32

    public init(address: UInt128, extra: UInt32 = 0) {
        self.address = address
        self.extra = extra
    }
}

/// A probe module: builds probe frames and recognises and decodes their replies.
///
/// The send loop is generic over the module type, so per-packet calls are static dispatch.
/// One file per module; all are listed in `ProbeModuleRegistry`.
public protocol ProbeModule: Sendable {
    /// The `-M` name.
    static var name: String { get }
    /// The address family this implementation serves.
    static var family: IPFamily { get }
    /// Whether `-p` is required.
    static var usesPorts: Bool { get }
    /// One paragraph for `--help`.
    static var helpText: String { get }
    /// Fields added after the IP fields, in output order.
    static var fields: [FieldDefinition] { get }

    /// Parses `--probe-args` and prepares templates. Throws `XMapError` for bad arguments.
    init(settings: ProbeSettings) throws

    /// Length of one probe frame (Ethernet included).
    var packetLength: Int { get }
    /// libpcap filter expression for candidate replies.
    var pcapFilter: String { get }
    /// Capture length needed for replies.
    var snaplen: Int { get }

    /// Writes the parts of a frame that never change (once per buffer slot).
    func writeTemplate(into buffer: UnsafeMutableRawPointer)

    /// Fills in the per-probe parts of a frame whose template is already in `buffer`; returns its length.
    func makePacket(into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
                    validation: AESBlock) -> Int

    /// XMap's dry-run description of a frame (without the trailing separator line).
    func describe(frame: UnsafeRawBufferPointer) -> String

    /// Checks that `packet` (an IP packet) answers one of our probes; nil for anything else.
    func validate(_ packet: ReplyPacket, header: IPHeaderView, context: ReplyContext) -> ValidReply?

    /// Decodes module fields of a validated reply, in `fields` order.
    func fieldValues(_ packet: ReplyPacket, header: IPHeaderView) -> [FieldValue]

    /// Whether the module answers some replies with a packet of its own (`followUp`).
    static var sendsFollowUps: Bool { get }

    /// For a validated reply that calls for an answer (e.g. `tcp_scan` closing a connection),
    /// writes that frame into `buffer` (which holds the module's template) and returns its
    /// length; 0 for none.
    func followUp(_ packet: ReplyPacket, header: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int

    /// Text that `--probe-args=ARGS` asks to print instead of scanning (e.g. XMap's
    /// `icmp-type-code-str`), or nil when ARGS configure a scan.
    static func informationText(forProbeArgs args: String) -> String?
}

extension ProbeModule {
    public var snaplen: Int { packetLength + 96 }
    public static func informationText(forProbeArgs args: String) -> String? { nil }
    public static var sendsFollowUps: Bool { false }
    public func followUp(_ packet: ReplyPacket, header: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int { 0 }
}

/// A set of 16-bit ports backed by a 64-KiB bitmap (8 KiB of bits).
public struct PortSet: @unchecked Sendable {
    @usableFromInline let words: [UInt64]

    public init(_ ports: [UInt16]) {
        var w = [UInt64](repeating: 0, count: 1024)
        for p in ports { w[Int(p) >> 6] |= 1 << UInt64(p & 63) }
        words = w
    }

    @inlinable public func contains(_ p: UInt16) -> Bool { words[Int(p) >> 6] & (1 << UInt64(p & 63)) != 0 }
}
