import Testing
@testable import XMapCore

@Suite struct ChecksumTests {
    /// Independent RFC 1071 computation: byte pairs summed with end-around carry, folded per step.
    static func reference(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var i = 0
        while i < bytes.count {
            let hi = UInt32(bytes[i]), lo = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            sum += hi << 8 | lo
            sum = (sum & 0xFFFF) + (sum >> 16)
            i += 2
        }
        return ~UInt16(sum & 0xFFFF)
    }

    @Test(
        "RFC 1071 examples and random buffers",
        arguments: [
            [UInt8]([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]),
            [
                0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0,
                0xa8, 0x00, 0xc7
            ],
            [0xff],
            []
        ])
    func matchesReference(bytes: [UInt8]) {
        let s = bytes.withUnsafeBytes {
            Checksum.finish(Checksum.add($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: $0.count))
        }
        #expect(s == Self.reference(bytes))
    }

    @Test func knownIPHeader() {
        // Wikipedia's IPv4 header example: checksum 0xb861.
        let h: [UInt8] = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8,
            0x00, 0xc7
        ]
        #expect(h.withUnsafeBytes { Checksum.finish(Checksum.add($0.baseAddress!, count: 20)) } == 0xb861)
    }

    @Test func randomBuffers() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let n = Int.random(in: 0..<300, using: &rng)
            let b = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let s = b.withUnsafeBytes {
                Checksum.finish(Checksum.add($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: $0.count))
            }
            #expect(s == Self.reference(b))
        }
    }

    @Test("running sums chain: a sum carried into the next call, from any starting value, as one buffer")
    func chained() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let a = (0..<(2 * Int.random(in: 0..<40, using: &rng))).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let b = (0..<Int.random(in: 0..<80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let first = a.withUnsafeBytes {
                Checksum.add($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: $0.count)
            }
            #expect(first <= 0xFFFF)
            let both = b.withUnsafeBytes {
                Checksum.finish(
                    Checksum.add($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: $0.count, to: first))
            }
            #expect(both == Self.reference(a + b))
            // A large starting sum (a caller's pseudo-header) folds the same way.
            let start: UInt32 = 0xFFFF_FFF0
            let withStart = b.withUnsafeBytes {
                Checksum.finish(
                    Checksum.add($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: $0.count, to: start))
            }
            #expect(withStart == Self.reference([0xFF, 0xFF, 0xFF, 0xF0] + b))
        }
    }
}
