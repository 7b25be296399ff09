import Testing
@testable import XMapCore

/// The two-slot layout of files rewritten in place (the checkpoint): the newest complete copy
/// wins, a torn or damaged slot is skipped, a file with no complete copy reads as nothing.
@Suite("Two-slot files")
struct SlotFileFormatTests {
    let size = 4096

    func file(_ payloads: [(UInt64, String)]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 2 * size)
        for (seq, text) in payloads {
            let slot = SlotFileFormat.slot(Array(text.utf8), sequence: seq, slotSize: size)
            let at = Int((seq - 1) % 2) * size
            out.replaceSubrange(at..<(at + size), with: slot)
        }
        return out
    }

    @Test("CRC-32 check value")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test("the newest valid slot wins; one slot written so far also reads")
    func newest() {
        #expect(SlotFileFormat.newestPayload(ofFile: file([(1, "a"), (2, "b")])) == Array("b".utf8))
        #expect(SlotFileFormat.newestPayload(ofFile: file([(1, "a"), (2, "b"), (3, "c")])) == Array("c".utf8))
        let one = Array(file([(1, "only")]).prefix(size))
        #expect(SlotFileFormat.newestPayload(ofFile: one) == Array("only".utf8))
    }

    @Test("a torn write (any prefix of the new slot over the old one) leaves the previous copy")
    func torn() {
        let before = file([(1, "first"), (2, "second")])
        let next = SlotFileFormat.slot(Array("third, longer than the others".utf8), sequence: 3, slotSize: size)
        let complete = next.firstIndex(of: 10)! + 1 + 29  // header line and payload
        for cut in [0, 1, 10, 30, complete - 1, complete, 4095] {
            var f = before
            f.replaceSubrange(0..<cut, with: next.prefix(cut))
            let expected = cut >= complete ? "third, longer than the others" : "second"
            #expect(SlotFileFormat.newestPayload(ofFile: f) == Array(expected.utf8), "cut at \(cut)")
        }
        var damaged = file([(1, "first"), (2, "second")])
        damaged[size + damaged[size...].firstIndex(of: 10)! - size + 2] ^= 0xFF  // a payload byte of slot 2
        #expect(SlotFileFormat.newestPayload(ofFile: damaged) == Array("first".utf8))
        #expect(SlotFileFormat.newestPayload(ofFile: [UInt8](repeating: 7, count: 2 * size)) == nil)
    }
}
