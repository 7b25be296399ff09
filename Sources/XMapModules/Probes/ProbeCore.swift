import XMapCore

/// The per-packet body of a probe module, written once for both address families: the family
/// is a value it is built with. It builds the packets, and checks and decodes the replies.
public protocol ProbeCore: Sendable {
    /// The fields the module adds to every result.
    associatedtype Fields: ModuleFields
    /// Per-sender-thread state (XMap's `thread_init`), e.g. a random stream; `Void` for none.
    associatedtype ThreadState = Void

    /// Length of the longest probe packet (IP header included).
    var packetLength: Int { get }
    /// libpcap filter expression for candidate replies.
    var pcapFilter: String { get }
    /// Capture length needed for replies (link header included).
    var snaplen: Int { get }
    /// The number of target indexes (`-P`) the module's arguments call for, or nil to take `-P`
    /// as given.
    var targetIndexCount: Int? { get }
    /// The line the dry run prints after each packet.
    var dryRunSeparator: String { get }
    /// A warning logged when a scan with this module starts.
    var startWarning: String? { get }

    /// Writes the parts of a packet that never change (once per buffer).
    func writeTemplate(into buffer: UnsafeMutableRawPointer)
    /// The state of one sender thread, from its word of the scan's AES generator.
    func makeThreadState(seed: UInt32) -> ThreadState
    /// Fills in the per-probe parts of a packet whose template is in `buffer`; returns its
    /// length. Allocates nothing.
    func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation: AESBlock, thread: inout ThreadState
    ) -> Int
    /// XMap's dry-run description of a packet.
    func describe(packet: UnsafeRawBufferPointer) -> String
    /// Checks that `p` answers one of our probes (bounds-checked reads only); nil otherwise.
    func validate(_ p: ReplyPacket, header: IPHeaderView, context: ReplyContext) -> ValidReply?
    /// Sets the module's fields of `record` for a validated reply.
    func record(_ p: ReplyPacket, header: IPHeaderView, into record: inout Record)
    /// The answer to a validated reply, written into `buffer` (which holds the template); its
    /// length, or 0 for none.
    func followUp(_ p: ReplyPacket, header: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int
}

extension ProbeCore {
    public var snaplen: Int { EthernetHeader.length + packetLength + 96 }
    public var targetIndexCount: Int? { nil }
    public var dryRunSeparator: String { DryRunFormat.separator }
    public var startWarning: String? { nil }
    public func followUp(_ p: ReplyPacket, header: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int { 0 }
}

extension ProbeCore where ThreadState == Void {
    public func makeThreadState(seed: UInt32) {}
}

/// What the probe catalog registers, with one line for every family the module has: the
/// module's name, families, help and flags, and how to build its `ProbeCore` for a family.
/// `FamilyProbe<Self, IPv4>` (`Self.V4`) and `FamilyProbe<Self, IPv6>` (`Self.V6`) are the
/// module for each family, as the engine runs it.
///
/// Most modules are a `Probe`, one type that is both its definition and its core. A module
/// that shares its core with another (`tcp_scan` with `tcp_syn`, `icmp_echo_gw` with
/// `icmp_echo`, the DNS modules with `DNSCore`) is a definition that names that core.
public protocol ProbeDefinition: Sendable {
    /// The module's body.
    associatedtype Core: ProbeCore

    /// The `-M` name.
    static var name: String { get }
    /// The families the module exists for.
    static var families: [IPFamily] { get }
    /// Whether `-p` is required.
    static var usesPorts: Bool { get }
    /// One paragraph for `--help`, for `family`.
    static func helpText(for family: IPFamily) -> String
    /// Whether the module answers some replies with a packet of its own (`followUp`).
    static var sendsFollowUps: Bool { get }
    /// Whether results hold nested values, which only JSON output can write.
    static var needsDynamicOutput: Bool { get }
    /// Whether a repeated reply still gets a follow-up.
    static var followsUpRepeats: Bool { get }
    /// Whether each sender thread seeds its random stream from the scan's AES generator.
    static var drawsThreadSeed: Bool { get }
    /// The command-line options the module owns, besides `--probe-args`.
    static var options: [ProbeOptionDeclaration] { get }
    /// How the probes travel on the link (`ProbeLinkLayer.swift`; IP for all but `arp` and `nd`).
    static var linkLayer: ProbeLinkLayer { get }
    /// Text that `--probe-args=ARGS` asks to print instead of scanning, or nil.
    static func informationText(forProbeArgs args: String, family: IPFamily) -> String?

    /// The core for `family`. - Throws: `XMapError` for bad `--probe-args` or options.
    static func makeCore(family: IPFamily, settings: ProbeSettings) throws -> Core
}

extension ProbeDefinition {
    public static var families: [IPFamily] { [.v6, .v4] }
    public static var sendsFollowUps: Bool { false }
    public static var needsDynamicOutput: Bool { false }
    public static var followsUpRepeats: Bool { true }
    public static var drawsThreadSeed: Bool { false }
    public static var options: [ProbeOptionDeclaration] { [] }
    public static func informationText(forProbeArgs args: String, family: IPFamily) -> String? { nil }

    /// The module for IPv4.
    public typealias V4 = FamilyProbe<Self, IPv4>
    /// The module for IPv6.
    public typealias V6 = FamilyProbe<Self, IPv6>
}

/// A probe module in one type: its definition and its core. The catalog builds it with
/// `init(family:settings:)`.
public protocol Probe: ProbeDefinition, ProbeCore where Core == Self {
    /// Parses `--probe-args` (and the module's options) for a scan of `family`.
    /// - Throws: `XMapError` for bad arguments.
    init(family: IPFamily, settings: ProbeSettings) throws
}

extension Probe {
    public static func makeCore(family: IPFamily, settings: ProbeSettings) throws -> Self {
        try Self(family: family, settings: settings)
    }
}
