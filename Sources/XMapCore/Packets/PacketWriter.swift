/// Big-endian stores into a packet buffer. The buffer is preallocated by the caller and large
/// enough for the module's `packetLength`; offsets are fixed by the module's layout.
public struct PacketWriter {
    public let base: UnsafeMutableRawPointer

    @inlinable public init(_ base: UnsafeMutableRawPointer) { self.base = base }

    @inlinable public func u8(_ off: Int, _ v: UInt8) { base.storeBytes(of: v, toByteOffset: off, as: UInt8.self) }
    @inlinable public func u16(_ off: Int, _ v: UInt16) {
        base.storeBytes(of: v.bigEndian, toByteOffset: off, as: UInt16.self)
    }
    @inlinable public func u32(_ off: Int, _ v: UInt32) {
        base.storeBytes(of: v.bigEndian, toByteOffset: off, as: UInt32.self)
    }

    /// Writes a 4- or 16-byte address.
    @inlinable public func address(_ off: Int, _ v: UInt128, family: IPFamily) {
        if family == .v4 {
            u32(off, UInt32(truncatingIfNeeded: v))
        } else {
            base.storeBytes(of: UInt64(truncatingIfNeeded: v >> 64).bigEndian, toByteOffset: off, as: UInt64.self)
            base.storeBytes(of: UInt64(truncatingIfNeeded: v).bigEndian, toByteOffset: off + 8, as: UInt64.self)
        }
    }

    @inlinable public func mac(_ off: Int, _ m: MACAddress) {
        let b = m.bytes
        u8(off, b.0); u8(off + 1, b.1); u8(off + 2, b.2); u8(off + 3, b.3); u8(off + 4, b.4); u8(off + 5, b.5)
    }

    @inlinable public func zero(_ off: Int, _ count: Int) {
        (base + off).initializeMemory(as: UInt8.self, repeating: 0, count: count)
    }
}

/// IPv4 and IPv6 header layout shared by all probe modules. Packets start at the IP header;
/// the link header in front of them belongs to the packet I/O backend (`EthernetHeader`).
public enum FrameLayout {
    /// IPv4 header length (no options).
    public static let ipv4 = 20
    /// IPv6 fixed header length.
    public static let ipv6 = 40

    /// IP header length for a family.
    @inlinable public static func ipHeader(_ f: IPFamily) -> Int { f == .v4 ? ipv4 : ipv6 }

    /// Writes an IPv4 header template at `off`: XMap's ID 54321, no flags, checksum left zero.
    @inlinable public static func writeIPv4(
        _ w: PacketWriter, at off: Int, protocol proto: UInt8, payloadLength: Int, ttl: UInt8
    ) {
        w.u8(off, 0x45)
        w.u8(off + 1, 0)
        w.u16(off + 2, UInt16(20 + payloadLength))
        w.u16(off + 4, 54321)
        w.u16(off + 6, 0)
        w.u8(off + 8, ttl)
        w.u8(off + 9, proto)
        w.u16(off + 10, 0)
    }

    /// Writes an IPv6 header template at `off`.
    @inlinable public static func writeIPv6(
        _ w: PacketWriter, at off: Int, nextHeader: UInt8, payloadLength: Int, hopLimit: UInt8
    ) {
        w.u32(off, 0x6000_0000)
        w.u16(off + 4, UInt16(payloadLength))
        w.u8(off + 6, nextHeader)
        w.u8(off + 7, hopLimit)
    }

    /// Sets source/destination/TTL and, for IPv4, the header checksum.
    @inlinable public static func finishIP(
        _ w: PacketWriter, at off: Int, family: IPFamily, src: UInt128, dst: UInt128, ttl: UInt8
    ) {
        if family == .v4 {
            w.u8(off + 8, ttl)
            w.address(off + 12, src, family: .v4)
            w.address(off + 16, dst, family: .v4)
            w.u16(off + 10, 0)
            w.u16(off + 10, Checksum.finish(Checksum.add(UnsafeRawPointer(w.base + off), count: 20)))
        } else {
            w.u8(off + 7, ttl)
            w.address(off + 8, src, family: .v6)
            w.address(off + 24, dst, family: .v6)
        }
    }

    /// The pseudo-header sum for a transport checksum.
    @inlinable public static func pseudoHeaderSum(
        family: IPFamily, src: UInt128, dst: UInt128, proto: UInt8, length: Int
    ) -> UInt32 {
        var s = Checksum.add(address: src, family: family, to: 0)
        s = Checksum.add(address: dst, family: family, to: s)
        return s &+ UInt32(proto) &+ UInt32(length)
    }

    /// Computes and stores the checksum of the UDP datagram of `length` bytes at `datagram`
    /// (its checksum field must be zero); a sum of 0 is sent as 0xFFFF, since 0 means "none".
    @inlinable public static func setUDPChecksum(
        _ datagram: UnsafeMutableRawPointer, length: Int, family: IPFamily,
        src: UInt128, dst: UInt128
    ) {
        let sum = Checksum.add(
            UnsafeRawPointer(datagram), count: length,
            to: pseudoHeaderSum(family: family, src: src, dst: dst, proto: IPProtocol.udp, length: length))
        let checksum = Checksum.finish(sum)
        PacketWriter(datagram).u16(6, checksum == 0 ? 0xFFFF : checksum)
    }

    /// The checksum of the ICMP message of `length` bytes at `message`: over the message alone
    /// for ICMP, with the pseudo-header for ICMPv6.
    @inlinable public static func icmpChecksum(
        _ message: UnsafeRawPointer, length: Int, family: IPFamily,
        src: UInt128, dst: UInt128
    ) -> UInt16 {
        var sum = Checksum.add(message, count: length)
        if family == .v6 {
            sum = sum &+ pseudoHeaderSum(family: .v6, src: src, dst: dst, proto: IPProtocol.icmpv6, length: length)
        }
        return Checksum.finish(sum)
    }
}
