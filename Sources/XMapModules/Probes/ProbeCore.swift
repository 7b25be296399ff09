import XMapCore

/// The family-independent body of a probe module. A module that exists for IPv4 and IPv6 keeps
/// its logic in one `ProbeCore` and declares two thin `CoreBackedProbe` types, which supply only
/// the name, family, filter and snaplen; everything else is forwarded here.
public protocol ProbeCore: Sendable {
    associatedtype Fields: ModuleFields
    associatedtype ThreadState = Void
    var packetLength: Int { get }
    func writeTemplate(into buffer: UnsafeMutableRawPointer)
    func makeThreadState(seed: UInt32) -> ThreadState
    func makePacket(into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
                    validation: AESBlock, thread: inout ThreadState) -> Int
    func describe(packet: UnsafeRawBufferPointer) -> String
    func validate(_ p: ReplyPacket, header: IPHeaderView, context: ReplyContext) -> ValidReply?
    func record(_ p: ReplyPacket, header: IPHeaderView, into record: inout Record)
}

/// A probe module whose work is done by a `ProbeCore`.
public protocol CoreBackedProbe: ProbeModule where Fields == Core.Fields, ThreadState == Core.ThreadState {
    associatedtype Core: ProbeCore
    var core: Core { get }
}

extension CoreBackedProbe {
    public var packetLength: Int { core.packetLength }
    public func writeTemplate(into b: UnsafeMutableRawPointer) { core.writeTemplate(into: b) }
    public func makeThreadState(seed: UInt32) -> ThreadState { core.makeThreadState(seed: seed) }
    @inlinable public func makePacket(into b: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
                                      validation: AESBlock, thread: inout ThreadState) -> Int {
        core.makePacket(into: b, source: source, target: target, probe: probe, validation: validation, thread: &thread)
    }
    public func describe(packet: UnsafeRawBufferPointer) -> String { core.describe(packet: packet) }
    @inlinable public func validate(_ p: ReplyPacket, header: IPHeaderView, context: ReplyContext) -> ValidReply? {
        core.validate(p, header: header, context: context)
    }
    public func record(_ p: ReplyPacket, header: IPHeaderView, into record: inout Record) {
        core.record(p, header: header, into: &record)
    }
}

extension ProbeCore where ThreadState == Void {
    public func makeThreadState(seed: UInt32) {}
}
