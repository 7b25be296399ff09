import Foundation
import Testing
@testable import XMapIO

@Suite struct LineReaderTests {
    func lines(_ content: [UInt8], max: Int = 1024) throws -> [(Int, String)] {
        let path = NSTemporaryDirectory() + "xmap-lines-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        _ = FileManager.default.createFile(atPath: path, contents: Data(content))
        defer { unlink(path) }
        var out: [(Int, String)] = []
        try LineReader.forEachLine(path: path, maxLineLength: max) { n, b in
            out.append((n, String(decoding: b, as: UTF8.self)))
        }
        return out
    }

    @Test func basics() throws {
        let r = try lines(Array("a\r\nbb\n\nlast".utf8))
        #expect(r.map { $0.0 } == [1, 2, 3, 4])
        #expect(r.map { $0.1 } == ["a", "bb", "", "last"])
        #expect(try lines([]).isEmpty)
    }

    @Test("long lines are truncated, counted once, and the block boundary is handled")
    func longLinesAndBlocks() throws {
        var content = Array(String(repeating: "x", count: 3000).utf8) + [10] + Array("ok\n".utf8)
        // Lines straddling the 1 MiB read block.
        for i in 0..<120_000 { content += Array("198.51.100.\(i % 256)\n".utf8) }
        let r = try lines(content, max: 64)
        #expect(r[0].0 == 1 && r[0].1.count == 64)
        #expect(r[1].0 == 2 && r[1].1 == "ok")
        #expect(r.count == 120_002)
        #expect(r.last?.1 == "198.51.100.\(119_999 % 256)")
        #expect(r.dropFirst(2).allSatisfy { $0.1.hasPrefix("198.51.100.") })
    }

    @Test func missingFile() {
        #expect(throws: Error.self) { try LineReader.forEachLine(path: "/nonexistent/x") { _, _ in } }
    }
}
