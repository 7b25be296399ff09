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
                    withUnsafeBytes(of: UInt32(truncatingIfNeeded: dst).bigEndian) { ip.replaceSubrange(12..<16, with: $0) }
                    withUnsafeBytes(of: UInt32(truncatingIfNeeded: src).bigEndian) { ip.replaceSubrange(16..<20, with: $0) }
                } else {
                    ip[0] = 0x60; ip[6] = proto; ip[7] = 64
                    ip.replaceSubrange(8..<24, with: IPAddress(family: .v6, value: dst).bytes)
                    ip.replaceSubrange(24..<40, with: IPAddress(family: .v6, value: src).bytes)
                }
                let body: [UInt8] = [0, 80, 0x80, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x50, 0x12, 0xFF, 0xFF, 0, 0, 0, 0]
                var packet = ip + body
                if f == .v4 { packet[3] = UInt8(packet.count) } else { packet[5] = UInt8(body.count) }
                seeds.append([UInt8(index), 0] + packet)
            }
        }
        return seeds
    }
}
