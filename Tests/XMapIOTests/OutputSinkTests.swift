#if canImport(Glibc)
import Glibc
#endif
import Testing
import XMapCore
@testable import XMapIO

/// The results sink accounts for every record: written, or counted as lost with the error.
@Suite("Output sink")
struct OutputSinkTests {
    func record(_ i: Int) -> (inout [UInt8]) -> Void { { $0.append(contentsOf: Array("record \(i)\n".utf8)) } }

    @Test("a full disk (/dev/full): nothing written, every record counted as lost, one line says so")
    func diskFull() throws {
        let sink = try OutputSink(path: "/dev/full")
        for i in 0..<10 { sink.appendRecord(record(i)) }
        #expect(!sink.flush())
        for i in 10..<15 { sink.appendRecord(record(i)) }
        #expect(sink.recordsWritten == 0 && sink.recordsLost == 15)
        #expect(sink.failure?.errno == ENOSPC)
        #expect(
            sink.failureDescription
                == "could not write results to '/dev/full': No space left on device (0 results written, 15 lost)")
    }

    @Test("a closed pipe: EPIPE, not a signal; records before the close count as written")
    func closedPipe() throws {
        InterruptSignal.ignoreBrokenPipes()
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let path = "/dev/fd/\(fds[1])"
        let sink = try OutputSink(path: path)
        sink.appendRecord(record(1))
        #expect(sink.flush())
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(read(fds[0], &buffer, 64) == 9)
        close(fds[0])
        fds[0] = -1
        sink.appendRecord(record(2))
        sink.appendRecord(record(3))
        #expect(!sink.flush())
        #expect(sink.failure?.errno == EPIPE)
        #expect(sink.recordsWritten == 1 && sink.recordsLost == 2)
    }

    @Test(
        "a partial write leaves no half record in a regular file", .enabled(if: geteuid() == 0, "mounts a tiny tmpfs"))
    func partialWrite() throws {
        // A 4 KiB tmpfs, mounted for this test only.
        let dir =
            (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
            + "/xmap-sink-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(dir, 0o755)
        defer { rmdir(dir) }
        guard mount("tmpfs", dir, "tmpfs", 0, "size=4k") == 0 else { Issue.record("mount: \(errno)"); return }
        defer { umount(dir) }
        let sink = try OutputSink(path: dir + "/out.csv")
        sink.writeHeader(Array("header\n".utf8))
        let line = String(repeating: "x", count: 99) + "\n"  // 100 bytes a record
        for _ in 0..<100 { sink.appendRecord { $0.append(contentsOf: Array(line.utf8)) } }
        #expect(!sink.flush())
        #expect(sink.failure?.errno == ENOSPC)
        #expect(sink.recordsWritten + sink.recordsLost == 100 && sink.recordsWritten > 0)
        var st = stat()
        #expect(stat(dir + "/out.csv", &st) == 0)
        #expect(Int(st.st_size) == 7 + 100 * Int(sink.recordsWritten))  // whole records only
    }
}
