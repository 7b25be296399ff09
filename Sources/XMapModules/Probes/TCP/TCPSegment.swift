import XMapCore

/// The TCP segment a TCP module sends, written the same way by each of them: a 20-byte header
/// with one set of flags, window 65535 and the option bytes after it, in an IP packet of the
/// module's family, from a source port and with a sequence number derived from the validation
/// block. The template holds everything but the addresses, ports, sequence and acknowledgement
/// numbers and the checksum, which `finish` writes per packet. A reply must come from a target
/// port to the source port we use for that target (`ReplyContext.probe(answeredBy:header:proto:)`).
public struct TCPSegment: Sendable {
    /// The IP packet's family.
    public let family: IPFamily
    /// TTL / hop limit (`--probe-ttl`).
    public let ttl: UInt8
    /// Source ports (`-s`).
    public let sourcePorts: SourcePortRange
    /// The flags of every probe.
    public let flags: UInt8
    /// The option bytes, after the 20-byte header.
    public let options: [UInt8]
    /// The header's length, options included.
    public let length: Int

    /// The segment of a module built from `settings` (TTL, source ports) for `family`.
    public init(family: IPFamily, settings: ProbeSettings, flags: UInt8, options: [UInt8] = []) {
        self.family = family
        ttl = settings.ttl
        sourcePorts = settings.sourcePorts
        self.flags = flags
        self.options = options
        length = 20 + options.count
    }

    /// Where the TCP header starts.
    @inlinable public var offset: Int { FrameLayout.ipHeader(family) }
    /// The whole packet's length.
    public var packetLength: Int { offset + length }

    /// Writes the template: the IP header, data offset, flags, window and options.
    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        FrameLayout.writeIP(w, family: family, protocol: IPProtocol.tcp, payloadLength: length, ttl: ttl)
        w.u8(offset + 12, UInt8(length / 4) << 4)
        w.u8(offset + 13, flags)
        w.u16(offset + 14, 65535)
        options.withUnsafeBytes { o in
            if let base = o.baseAddress { (buffer + offset + 20).copyMemory(from: base, byteCount: o.count) }
        }
    }

    /// Writes one segment's addresses, ports and numbers into a packet that holds the template,
    /// and its checksums; returns the packet's length. `acknowledgement` and `flags` are left
    /// as the template has them when nil.
    @inlinable @inline(__always)
    public func finish(
        _ buffer: UnsafeMutableRawPointer, source: UInt128, destination: UInt128, sourcePort: UInt16,
        destinationPort: UInt16, sequence: UInt32, acknowledgement: UInt32? = nil,
        flags: UInt8? = nil
    ) -> Int {
        let w = PacketWriter(buffer)
        let o = offset
        FrameLayout.finishIP(w, at: 0, family: family, src: source, dst: destination, ttl: ttl)
        w.u16(o, sourcePort)
        w.u16(o + 2, destinationPort)
        w.u32(o + 4, sequence)
        if let acknowledgement { w.u32(o + 8, acknowledgement) }
        if let flags { w.u8(o + 13, flags) }
        w.u16(o + 16, 0)
        let sum = Checksum.add(
            UnsafeRawPointer(buffer + o), count: length,
            to: FrameLayout.pseudoHeaderSum(
                family: family, src: source, dst: destination,
                proto: IPProtocol.tcp, length: length))
        w.u16(o + 16, Checksum.finish(sum))
        return o + length
    }

    /// Writes probe `probe` to `target` from `source`: the source port and sequence number from
    /// validation block `v`; returns the packet's length.
    @inlinable @inline(__always)
    public func finishProbe(
        _ buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation v: AESBlock, acknowledgement: UInt32? = nil
    ) -> Int {
        finish(
            buffer, source: source, destination: target.address,
            sourcePort: ValidationValues.sourcePort(v, probe: probe, range: sourcePorts),
            destinationPort: target.port, sequence: ValidationValues.tcpSequence(v),
            acknowledgement: acknowledgement)
    }

    /// XMap's dry-run description: the IP and TCP blocks, and xmap's options line when the
    /// segment has options.
    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        DryRunFormat.ip(f, at: 0, family: family) + DryRunFormat.tcp(f, at: offset)
            + (options.isEmpty ? "" : DryRunFormat.tcpOptions(f, at: offset + 20, count: options.count))
    }
}
