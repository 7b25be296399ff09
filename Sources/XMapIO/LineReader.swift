#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// Reads a file line by line in 1 MiB blocks and hands each line's bytes to a closure, without
/// building a String per line. Lines longer than `maxLineLength` are passed truncated.
public enum LineReader {
    /// Calls `body(lineNumber, bytes)` for every line (the newline and a trailing `\r` removed).
    public static func forEachLine(
        path: String, maxLineLength: Int = 1024,
        _ body: (Int, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let fd: Int32
        do { fd = try Posix.open(path, O_RDONLY) } catch {
            throw XMapError("unable to open file '\(path)': \(error.errnoText)")
        }
        defer { Posix.close(fd) }
        let blockSize = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize + maxLineLength, alignment: 16)
        defer { buffer.deallocate() }
        var carried = 0  // bytes of an unfinished line at the start of the buffer
        var lineNumber = 0
        var skipping = false  // inside an over-long line
        while true {
            let n: Int
            do {
                n = try Posix.read(
                    fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[carried..<(carried + blockSize)]))
            } catch {
                throw XMapError("unable to read file '\(path)': \(error.errnoText)")
            }
            let end = carried + n
            var start = 0
            var i = carried
            while i < end {
                if buffer[i] == 10 {
                    if skipping {
                        skipping = false  // end of an over-long line already passed on
                    } else {
                        lineNumber += 1
                        var e = i
                        if e > start && buffer[e - 1] == 13 { e -= 1 }
                        try body(
                            lineNumber, UnsafeRawBufferPointer(rebasing: buffer[start..<min(e, start + maxLineLength)]))
                    }
                    start = i + 1
                }
                i += 1
            }
            if n == 0 {
                if start < end && !skipping {
                    lineNumber += 1
                    try body(
                        lineNumber, UnsafeRawBufferPointer(rebasing: buffer[start..<min(end, start + maxLineLength)]))
                }
                return
            }
            // Keep the unfinished line (at most maxLineLength bytes of it).
            let rest = end - start
            if rest > maxLineLength {
                if !skipping {
                    lineNumber += 1
                    try body(lineNumber, UnsafeRawBufferPointer(rebasing: buffer[start..<(start + maxLineLength)]))
                }
                skipping = true
                carried = 0
            } else {
                if rest > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: rest) }
                carried = rest
            }
        }
    }
}
