import XMapCore

/// A probe module: builds probe packets and recognises and decodes their replies. It does no I/O
/// and knows nothing of the link layer: packets start at the IP header.
///
/// The engine's send and receive loops are generic over the module type (see the probe catalog
/// in XMapEngine), so per-packet calls are static dispatch. One file per module.
public protocol ProbeModule: Sendable {
    /// The fields the module adds to every result.
    associatedtype Fields: ModuleFields
    /// Per-sender-thread state (XMap's `thread_init`), e.g. a random stream; `Void` for none.
    associatedtype ThreadState = Void

    /// The `-M` name.
    static var name: String { get }
    /// The address family this implementation serves.
    static var family: IPFamily { get }
    /// Whether `-p` is required.
    static var usesPorts: Bool { get }
    /// One paragraph for `--help`.
    static var helpText: String { get }
    /// Whether the module answers some replies with a packet of its own (`followUp`).
    static var sendsFollowUps: Bool { get }
    /// Whether results hold nested values (lists, objects), which only JSON output can write.
    static var needsDynamicOutput: Bool { get }
    /// Whether a reply that repeats one already seen still gets a follow-up (`tcp_scan` answers
    /// every SYN-ACK; the DNS modules ask each resolver again only once).
    static var followsUpRepeats: Bool { get }
    /// Whether each thread takes one word from the scan's AES generator to seed its own random
    /// stream (XMap's udp and DNS modules do); the draws happen in XMap's order, so they change
    /// what every later thread gets.
    static var drawsThreadSeed: Bool { get }
    /// How the probes travel on the link (`ProbeLinkLayer.swift`; IP for all but `arp` and `nd`).
    static var linkLayer: ProbeLinkLayer { get }

    /// Text that `--probe-args=ARGS` asks to print instead of scanning (e.g. XMap's
    /// `icmp-type-code-str`), or nil when ARGS configure a scan.
    static func informationText(forProbeArgs args: String) -> String?

    /// Parses `--probe-args` and prepares templates. Throws `XMapError` for bad arguments.
    init(settings: ProbeSettings) throws

    /// Length of the longest probe packet (IP header included).
    var packetLength: Int { get }
    /// libpcap filter expression for candidate replies.
    var pcapFilter: String { get }
    /// Capture length needed for replies (link header included).
    var snaplen: Int { get }
    /// The number of target indexes (`-P`) the module's arguments call for (DNS: one per
    /// question), or nil to take `-P` as given.
    var targetIndexCount: Int? { get }
    /// The line the dry run prints after each packet.
    var dryRunSeparator: String { get }
    /// A warning logged when a scan with this module starts (what the user should know).
    var startWarning: String? { get }

    /// Writes the parts of a packet that never change (once per buffer).
    func writeTemplate(into buffer: UnsafeMutableRawPointer)

    /// The state of one sender thread; `seed` is the thread's word from the scan's AES generator
    /// (0 for modules that do not draw one).
    func makeThreadState(seed: UInt32) -> ThreadState

    /// Fills in the per-probe parts of a packet whose template is already in `buffer`; returns
    /// its length. `thread` is the calling thread's state.
    func makePacket(into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
                    validation: AESBlock, thread: inout ThreadState) -> Int

    /// XMap's dry-run description of a packet (its IP block and what follows).
    func describe(packet: UnsafeRawBufferPointer) -> String

    /// Checks that `packet` (an IP packet) answers one of our probes; nil for anything else.
    func validate(_ packet: ReplyPacket, header: IPHeaderView, context: ReplyContext) -> ValidReply?

    /// Sets the module's fields of `record` for a validated reply. The IP and system fields
    /// (receive time included) are already set.
    func record(_ packet: ReplyPacket, header: IPHeaderView, into record: inout Record)

    /// For a validated reply that calls for an answer (e.g. `tcp_scan` closing a connection),
    /// writes that packet into `buffer` (which holds the module's template) and returns its
    /// length; 0 for none.
    func followUp(_ packet: ReplyPacket, header: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int
}

extension ProbeModule {
    public var snaplen: Int { EthernetHeader.length + packetLength + 96 }
    public static func informationText(forProbeArgs args: String) -> String? { nil }
    public static var sendsFollowUps: Bool { false }
    public static var needsDynamicOutput: Bool { false }
    public static var drawsThreadSeed: Bool { false }
    public static var followsUpRepeats: Bool { true }
    public var targetIndexCount: Int? { nil }
    public var dryRunSeparator: String { DryRunFormat.separator }
    public var startWarning: String? { nil }
    public func followUp(_ packet: ReplyPacket, header: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int { 0 }

    /// Builds a packet for a module without thread state (tests and tools).
    @inlinable public func makePacket(into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
                                      validation: AESBlock) -> Int where ThreadState == Void {
        var none: Void = ()
        return makePacket(into: buffer, source: source, target: target, probe: probe, validation: validation, thread: &none)
    }

    /// The module's fields, in output order.
    public static var fields: [FieldDefinition] { Fields.definitions(for: family) }
}

extension ProbeModule where ThreadState == Void {
    public func makeThreadState(seed: UInt32) {}
}
