import XMapCore
import XMapModules

/// Seed replies: each module's probe turned around (the shape of a genuine reply), as raw IP.
enum ReplySeeds {
    static var all: [[UInt8]] {
        var seeds: [[UInt8]] = []
        for (index, subject) in ReplyFuzzing.subjects.enumerated() {
            let f = subject.family
            let src: UInt128 = f == .v4 ? 0xC000_0201 : (0x2001_0db8 << 96 | 1)
            let dst: UInt128 = f == .v4 ? 0xC633_6405 : (0x2001_0db8 << 96 | 5)
            for proto: UInt8 in [1, 6, 17, 58] {
                var ip = [UInt8](repeating: 0, count: f == .v4 ? 20 : 40)
                if f == .v4 {
                    ip[0] = 0x45; ip[9] = proto; ip[8] = 64
                    ip.replaceSubrange(12..<16, with: IPAddress(family: .v4, value: dst).bytes)
                    ip.replaceSubrange(16..<20, with: IPAddress(family: .v4, value: src).bytes)
                } else {
                    ip[0] = 0x60; ip[6] = proto; ip[7] = 64
                    ip.replaceSubrange(8..<24, with: IPAddress(family: .v6, value: dst).bytes)
                    ip.replaceSubrange(24..<40, with: IPAddress(family: .v6, value: src).bytes)
                }
                var body: [UInt8] = [0, 80, 0x80, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x50, 0x12, 0xFF, 0xFF, 0, 0, 0, 0]
                if proto == 6 {
                    // A SYN-ACK with every option the tcpopt_* fields read.
                    body[12] = 0xA0
                    body += [2, 4, 5, 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7]
                } else if proto == 17 {
                    // Payloads of the UDP services: an NTP header, an SSDP answer, a BACnet ACK.
                    body[4] = 0; body[5] = UInt8(body.count)
                    let payloads: [[UInt8]] = [
                        [0x24, 2, 6, 0xE9] + [UInt8](repeating: 7, count: 44),
                        Array("HTTP/1.1 200 OK\r\nServer: s\r\nLOCATION: http://x/\r\nusn:u\r\n\r\n".utf8),
                        [0x81, 0x0A, 0, 9, 1, 0, 0x30, 7, 0x0C]
                    ]
                    for payload in payloads { seeds.append([UInt8(index), 0] + Self.udp(ip, f, body[0..<8] + payload)) }
                }
                var packet = ip + body
                if f == .v4 { packet[3] = UInt8(packet.count) } else { packet[5] = UInt8(body.count) }
                seeds.append([UInt8(index), 0] + packet)
            }
        }
        return seeds
    }

    /// `ip` (a header template) carrying UDP datagram `udp`, lengths set.
    static func udp(_ ip: [UInt8], _ f: IPFamily, _ udp: ArraySlice<UInt8>) -> [UInt8] {
        var d = Array(udp)
        d[4] = UInt8(d.count >> 8); d[5] = UInt8(d.count & 0xFF)
        var packet = ip + d
        if f == .v4 {
            packet[2] = UInt8(packet.count >> 8); packet[3] = UInt8(packet.count & 0xFF)
        } else {
            packet[4] = UInt8(d.count >> 8); packet[5] = UInt8(d.count & 0xFF)
        }
        return packet
    }
}
