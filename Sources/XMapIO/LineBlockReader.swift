#if canImport(Glibc)
import Glibc
#endif

/// Reads a descriptor (a pipe, standard input) in blocks and hands out whole lines, many at a time:
/// each block it returns is one or more complete lines, every one ending in `\n` except possibly the
/// last line of the input. Bytes are passed through untouched (NUL, `\r`, invalid UTF-8).
public struct LineBlockReader {
    /// What `next()` found.
    public enum Block {
        /// One or more lines, the bytes as read.
        case lines([UInt8])
        /// A line grew longer than the limit (counting its `\n`) before it ended.
        case lineTooLong
        /// The end of the input.
        case end
    }

    private let fd: Int32
    private let blockSize: Int
    private let maxLineLength: Int?
    private var pending: [UInt8] = []  // an unfinished line
    private var finished = false
    private var tooLong = false  // report .lineTooLong on the next call

    /// - Parameters:
    ///   - maxLineLength: the longest line accepted, counting its `\n`; nil for no limit.
    public init(fd: Int32, blockSize: Int = 1 << 16, maxLineLength: Int? = nil) {
        self.fd = fd
        self.blockSize = blockSize
        self.maxLineLength = maxLineLength
    }

    /// The next complete lines; blocks until at least one line is complete or the input ends. A
    /// line over the limit ends the input: the lines before it come first, then `.lineTooLong`.
    /// - Throws: `SystemError` when reading fails.
    public mutating func next() throws(SystemError) -> Block {
        if tooLong { finished = true; tooLong = false; return .lineTooLong }
        if finished { return .end }
        var buffer = [UInt8](repeating: 0, count: blockSize)
        while true {
            let n = try buffer.withUnsafeMutableBytes { b in
                Result { () throws(SystemError) in try Posix.read(fd, into: b) }
            }.get()
            if n == 0 {
                finished = true
                if let limit = maxLineLength, pending.count > limit { return .lineTooLong }
                if pending.isEmpty { return .end }
                defer { pending = [] }
                return .lines(pending)
            }
            guard let lastNewline = buffer[0..<n].lastIndex(of: 10) else {
                pending += buffer[0..<n]
                if let limit = maxLineLength, pending.count > limit { finished = true; return .lineTooLong }
                continue
            }
            var out = pending
            out += buffer[0...lastNewline]
            pending = Array(buffer[(lastNewline + 1)..<n])
            guard let limit = maxLineLength else { return .lines(out) }
            if let start = Self.firstLine(in: out, longerThan: limit) {
                if start == 0 { finished = true; return .lineTooLong }
                tooLong = true
                return .lines(Array(out[..<start]))
            }
            if pending.count > limit { tooLong = true }
            return .lines(out)
        }
    }

    /// The offset of the first line of `bytes` longer than `limit` (counting its `\n`), if any.
    static func firstLine(in bytes: [UInt8], longerThan limit: Int) -> Int? {
        var start = 0
        for (i, b) in bytes.enumerated() where b == 10 {
            if i + 1 - start > limit { return start }
            start = i + 1
        }
        return bytes.count - start > limit ? start : nil
    }
}
