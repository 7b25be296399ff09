import XMapCore

/// An address family as a type, so that one module definition gives one `ProbeModule` type per
/// family (`FamilyProbe<M, IPv4>`) and the engine is specialised for each.
public protocol AddressFamily: Sendable {
    static var family: IPFamily { get }
}

/// IPv4 as a type parameter.
public enum IPv4: AddressFamily {
    /// `.v4`.
    public static var family: IPFamily { .v4 }
}

/// IPv6 as a type parameter.
public enum IPv6: AddressFamily {
    /// `.v6`.
    public static var family: IPFamily { .v6 }
}

/// Module definition `Definition` for family `Family`, as the engine runs it: the definition's
/// static data and its core, built for that family. Every per-packet call goes straight to the
/// core (inlinable, specialised with the engine's loops: no witness tables, no existentials).
public struct FamilyProbe<Definition: ProbeDefinition, Family: AddressFamily>: ProbeModule {
    public typealias Fields = Definition.Core.Fields
    public typealias ThreadState = Definition.Core.ThreadState

    /// The module's body, built for `Family`.
    public let core: Definition.Core

    public static var name: String { Definition.name }
    public static var family: IPFamily { Family.family }
    public static var usesPorts: Bool { Definition.usesPorts }
    public static var helpText: String { Definition.helpText(for: Family.family) }
    public static var sendsFollowUps: Bool { Definition.sendsFollowUps }
    public static var needsDynamicOutput: Bool { Definition.needsDynamicOutput }
    public static var followsUpRepeats: Bool { Definition.followsUpRepeats }
    public static var drawsThreadSeed: Bool { Definition.drawsThreadSeed }
    public static var options: [ProbeOptionDeclaration] { Definition.options }
    public static var linkLayer: ProbeLinkLayer { Definition.linkLayer }

    public static func informationText(forProbeArgs args: String) -> String? {
        Definition.informationText(forProbeArgs: args, family: Family.family)
    }

    /// - Throws: `XMapError` for bad arguments, or when the module has no version for `Family`.
    public init(settings: ProbeSettings) throws {
        guard Definition.families.contains(Family.family) else {
            throw XMapError("the \(Definition.name) module has no \(Family.family) version")
        }
        core = try Definition.makeCore(family: Family.family, settings: settings)
    }

    public var packetLength: Int { core.packetLength }
    public var pcapFilter: String { core.pcapFilter }
    public var snaplen: Int { core.snaplen }
    public var targetIndexCount: Int? { core.targetIndexCount }
    public var dryRunSeparator: String { core.dryRunSeparator }
    public var startWarning: String? { core.startWarning }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) { core.writeTemplate(into: buffer) }

    public func makeThreadState(seed: UInt32) -> ThreadState { core.makeThreadState(seed: seed) }

    @inlinable @inline(__always)
    public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation: AESBlock, thread: inout ThreadState
    ) -> Int {
        core.makePacket(
            into: buffer, source: source, target: target, probe: probe, validation: validation,
            thread: &thread)
    }

    public func describe(packet: UnsafeRawBufferPointer) -> String { core.describe(packet: packet) }

    @inlinable
    public func validate(_ packet: ReplyPacket, header: IPHeaderView, context: ReplyContext) -> ValidReply? {
        core.validate(packet, header: header, context: context)
    }

    @inlinable
    public func record(_ packet: ReplyPacket, header: IPHeaderView, into record: inout Record) {
        core.record(packet, header: header, into: &record)
    }

    @inlinable
    public func followUp(_ packet: ReplyPacket, header: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int {
        core.followUp(packet, header: header, into: buffer)
    }
}
