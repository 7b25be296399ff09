import XMapCore

/// XMap's `--dryrun` packet description format (tabs and field names as XMap prints them).
public enum DryRunFormat {
    /// The line printed after every packet: 54 dashes.
    public static let separator = String(repeating: "-", count: 54)

    /// Lower-case hex, zero-padded to `width`.
    public static func hex<T: BinaryInteger>(_ v: T, _ width: Int = 0) -> String {
        let s = String(v, radix: 16)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// A 16-bit field read in host (little-endian) order, as XMap prints raw header fields.
    public static func rawLE16(_ f: UnsafeRawBufferPointer, _ off: Int) -> UInt16 {
        UInt16(f[off]) | UInt16(f[off + 1]) << 8
    }

    public static func be16(_ f: UnsafeRawBufferPointer, _ off: Int) -> UInt16 {
        UInt16(f[off]) << 8 | UInt16(f[off + 1])
    }

    public static func be32(_ f: UnsafeRawBufferPointer, _ off: Int) -> UInt32 {
        UInt32(f[off]) << 24 | UInt32(f[off + 1]) << 16 | UInt32(f[off + 2]) << 8 | UInt32(f[off + 3])
    }

    static func mac(_ f: UnsafeRawBufferPointer, _ off: Int) -> String {
        (0..<6).map { hex(f[off + $0], 2) }.joined(separator: ":")
    }

    /// The Ethernet block.
    public static func ethernet(_ f: UnsafeRawBufferPointer) -> String {
        "Ethernet\n\tDestination(6B)\t\t: \(mac(f, 0))\n\tSource(6B)\t\t: \(mac(f, 6))\n"
            + "\tType(2B)\t\t: 0x\(hex(be16(f, 12), 4))\n"
    }

    /// The IPv4 or IPv6 block for the header at `off`.
    public static func ip(_ f: UnsafeRawBufferPointer, at off: Int, family: IPFamily) -> String {
        if family == .v4 {
            let src = IPAddress(family: .v4, bytes: UnsafeRawBufferPointer(rebasing: f[(off + 12)..<(off + 16)]))
            let dst = IPAddress(family: .v4, bytes: UnsafeRawBufferPointer(rebasing: f[(off + 16)..<(off + 20)]))
            return "IPv4\n\tVersion(4b)\t\t: 4\n\tHeader Length(4b)\t: \(Int(f[off] & 0x0F) * 4)\n"
                + "\tService Field(1B)\t: 0x\(hex(f[off + 1], 2))\n\tTotal Length(2B)\t: \(be16(f, off + 2))\n"
                + "\tIdentification(2B)\t: \(be16(f, off + 4))\n\tFlag(2B)\t\t: 0x\(hex(rawLE16(f, off + 6), 4))\n"
                + "\tTime to live(1B)\t: \(f[off + 8])\n\tProtocol(1B)\t\t: \(f[off + 9])\n"
                + "\tChecksum(2B)\t\t: 0x\(hex(rawLE16(f, off + 10), 4))\n\tSource(4B)\t\t: \(src)\n"
                + "\tDestination(4B)\t\t: \(dst)\n"
        }
        let src = IPAddress(family: .v6, bytes: UnsafeRawBufferPointer(rebasing: f[(off + 8)..<(off + 24)]))
        let dst = IPAddress(family: .v6, bytes: UnsafeRawBufferPointer(rebasing: f[(off + 24)..<(off + 40)]))
        return "IPv6\n\tVersion(4b)\t\t: 6\n\tTraffic Class(8b)\t: 0x\(hex(f[off] & 0x0F))\(hex(f[off + 1] & 0xF0))\n"
            + "\tFlow Label(20b)\t\t: 0x\(hex(f[off + 1] & 0x0F))\(hex(f[off + 2], 2))\(hex(f[off + 3], 2))\n"
            + "\tPayload Length(2B)\t: \(be16(f, off + 4))\n\tNext Header(1B)\t\t: \(f[off + 6])\n"
            + "\tHop Limit(1B)\t\t: \(f[off + 7])\n\tSource(16B)\t\t: \(src)\n\tDestination(16B)\t: \(dst)\n"
    }

    /// The ICMP/ICMPv6 echo block for the header at `off`.
    public static func icmpEcho(_ f: UnsafeRawBufferPointer, at off: Int, title: String) -> String {
        let idn = rawLE16(f, off + 4), idh = be16(f, off + 4)
        let seqn = rawLE16(f, off + 6), seqh = be16(f, off + 6)
        return "\(title)\n\tType(1B)\t\t: \(f[off])\n\tCode(1B)\t\t: \(f[off + 1])\n"
            + "\tChecksum(2B)\t\t: 0x\(hex(rawLE16(f, off + 2), 4))\n"
            + "\tIdentifier(2B)\t\t: n:\(idn) (0x\(hex(idn, 4))) h:\(idh) (0x\(hex(idh, 4)))\n"
            + "\tSequence number(2B)\t: n:\(seqn) (0x\(hex(seqn, 4))) h:\(seqh) (0x\(hex(seqh, 4)))\n"
    }

    /// The UDP block for the header at `off`.
    public static func udp(_ f: UnsafeRawBufferPointer, at off: Int) -> String {
        "UDP\n\tSource Port(2B)\t\t: \(be16(f, off))\n\tDestination Port(2B)\t: \(be16(f, off + 2))\n"
            + "\tLength(2B)\t\t: \(be16(f, off + 4))\n\tChecksum(2B)\t\t: 0x\(hex(be16(f, off + 6), 4))\n"
    }

    /// The TCP block for the header at `off`.
    public static func tcp(_ f: UnsafeRawBufferPointer, at off: Int) -> String {
        "TCP\n\tSource Port(2B)\t\t: \(be16(f, off))\n\tDestination Port(2B)\t: \(be16(f, off + 2))\n"
            + "\tSequence number(4B)\t: \(be32(f, off + 4))\n"
            + "\tAcknowledge number(4B)\t: \(Int32(bitPattern: be32(f, off + 8)))\n"
            + "\tHeader Length(4b)\t: \(Int(f[off + 12] >> 4) * 4)\n\tFlag(12b)\t\t: 0x\(hex(f[off + 13], 3))\n"
            + "\tWindow size value(2B)\t: \(be16(f, off + 14))\n\tChecksum(2B)\t\t: 0x\(hex(rawLE16(f, off + 16), 4))\n"
            + "\tUrgent pointer(2B)\t: \(rawLE16(f, off + 18))\n"
    }

    /// The TCP options line (xmap's addition; XMap's probes have none): `count` bytes in hex.
    public static func tcpOptions(_ f: UnsafeRawBufferPointer, at off: Int, count: Int) -> String {
        "\tOptions(\(count)B)\t\t: " + (0..<count).map { hex(f[off + $0], 2) }.joined(separator: " ") + "\n"
    }
}
