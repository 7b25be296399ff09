import XMapCore

/// A probe module for one address family, as the engine runs it: a `ProbeCore` (which builds
/// probe packets and recognises and decodes their replies, with no I/O and nothing of the link
/// layer: packets start at the IP header) with the family and the module's static data fixed.
///
/// The engine's send and receive loops are generic over the module type (see the probe catalog
/// in XMapEngine), so per-packet calls are static dispatch. Modules are not written against
/// this protocol directly: a module is written once, for every family it has, as a `Probe`
/// (or a `ProbeDefinition` naming a shared `ProbeCore`), and `FamilyProbe` makes it a
/// `ProbeModule` per family.
public protocol ProbeModule: ProbeCore {
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
    /// The command-line options the module owns (`--dnsz-final`), besides `--probe-args`.
    static var options: [ProbeOptionDeclaration] { get }
    /// How the probes travel on the link (`ProbeLinkLayer.swift`; IP for all but `arp` and `nd`).
    static var linkLayer: ProbeLinkLayer { get }

    /// Text that `--probe-args=ARGS` asks to print instead of scanning (e.g. XMap's
    /// `icmp-type-code-str`), or nil when ARGS configure a scan.
    static func informationText(forProbeArgs args: String) -> String?

    /// Parses `--probe-args` and prepares templates. Throws `XMapError` for bad arguments.
    init(settings: ProbeSettings) throws
}

extension ProbeModule {
    /// Builds a packet for a module without thread state (tests and tools).
    @inlinable public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target,
        probe: Int, validation: AESBlock
    ) -> Int where ThreadState == Void {
        var none: Void = ()
        return makePacket(
            into: buffer, source: source, target: target, probe: probe, validation: validation,
            thread: &none)
    }

    /// The module's fields, in output order.
    public static var fields: [FieldDefinition] { Fields.definitions(for: family) }
}
