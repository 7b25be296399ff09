import XMapCore

/// ZMap's dry-run text (`zmap --dryrun`), read back from the built frame: per probe the module's
/// line (`tcp { … }`, `icmp { … }`, `udp { … }`), `ip { … }`, `eth { … }` (not with `-X`) and a
/// line of 54 dashes; the DNS module prints the dashes before its block too, IP-in-IP prints the
/// inner datagram's `udp` line and both IP headers. Checksums are printed as C's `%#04X` of the
/// host-order value (`0X91F4`, `0X9F5`, and `0000` for zero). Pure: IPv4 frames in, text out.
public enum ZMapDryRunFormat {
    /// What a probe module prints besides the IP and Ethernet lines.
    public enum Style: Sendable {
        case plain, dns, ipip, ntp

        /// The style of the xmap module `name` (by the name the catalog gives it).
        public init(module name: String) {
            switch name {
            case "ipip": self = .ipip
            case "ntp": self = .ntp
            case _ where name.hasPrefix("dns"): self = .dns
            default: self = .plain
            }
        }
    }

    /// The 54 dashes after every probe.
    public static let separator = String(repeating: "-", count: 54)

    /// The lines for one probe: `packet` is the IPv4 packet, `link` its Ethernet header (nil with
    /// `-X`). Ends with the separator line.
    public static func describe(
        _ packet: UnsafeRawBufferPointer, link: UnsafeRawBufferPointer?,
        style: Style
    ) -> String {
        let p = ReplyPacket(packet)
        var out = style == .dns ? separator + "\n" : ""
        guard let first = p.u8(0), first >> 4 == 4 else { return out + separator + "\n" }
        let o = Int(first & 0x0F) * 4
        let proto = p.u8(9) ?? 0
        switch (style, proto) {
        case (.ipip, IPProtocol.ipip):
            let inner = o + Int((p.u8(o) ?? 0x45) & 0x0F) * 4
            out += udpLine(p, at: inner, name: "udp")
            out += ipLine(p, at: o)
        case (.ntp, IPProtocol.udp):
            out +=
                "ntp { LI_VN_MODE: \(p.u8(o + 8) ?? 0) | stratum: \(p.u8(o + 9) ?? 0) | "
                + "poll: \(p.u8(o + 10) ?? 0) }\n"
            out += udpLine(p, at: o, name: "udp")
        case (_, IPProtocol.tcp):
            out +=
                "tcp { source: \(p.u16(o) ?? 0) | dest: \(p.u16(o + 2) ?? 0) | seq: \(p.u32(o + 4) ?? 0)"
                + " | checksum: \(hex(p.u16(o + 16) ?? 0)) }\n"
        case (_, IPProtocol.udp):
            out += udpLine(p, at: o, name: style == .dns ? "dns" : "udp")
        case (_, IPProtocol.icmp):
            out +=
                "icmp { type: \(p.u8(o) ?? 0) | code: \(p.u8(o + 1) ?? 0) | checksum: \(hex(p.u16(o + 2) ?? 0))"
                + " | id: \(p.u16(o + 4) ?? 0) | seq: \(p.u16(o + 6) ?? 0) }\n"
        default:
            break
        }
        out += ipLine(p, at: 0)
        if let link, link.count >= 12 {
            func mac(_ at: Int) -> String {
                (0..<6).map { i in
                    let b = link[at + i]
                    return (b < 16 ? "0" : "") + String(b, radix: 16)
                }.joined(separator: ":")
            }
            out += "eth { shost: \(mac(6)) | dhost: \(mac(0)) }\n"
        }
        return out + separator + "\n"
    }

    static func udpLine(_ p: ReplyPacket, at o: Int, name: String) -> String {
        "\(name) { source: \(p.u16(o) ?? 0) | dest: \(p.u16(o + 2) ?? 0) | checksum: \(hex(p.u16(o + 6) ?? 0)) }\n"
    }

    static func ipLine(_ p: ReplyPacket, at o: Int) -> String {
        func address(_ at: Int) -> String { (0..<4).map { "\(p.u8(at + $0) ?? 0)" }.joined(separator: ".") }
        return "ip { saddr: \(address(o + 12)) | daddr: \(address(o + 16)) | checksum: \(hex(p.u16(o + 10) ?? 0)) }\n"
    }

    /// C's `%#04X`: `0X` and upper-case digits, zero-padded to four characters in all, and no
    /// prefix for zero.
    public static func hex(_ v: UInt16) -> String {
        if v == 0 { return "0000" }
        let digits = String(v, radix: 16, uppercase: true)
        return "0X" + String(repeating: "0", count: max(0, 2 - digits.count)) + digits
    }
}
