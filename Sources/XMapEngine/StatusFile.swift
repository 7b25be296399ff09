import XMapCore
import XMapIO

/// The `-u` status file: XMap's CSV header, then one row per second from the monitor.
final class StatusFile: @unchecked Sendable {
    private let fd: Int32

    /// Opens (truncates) `path` and writes the header; nil when `path` is nil.
    convenience init?(path: String?) throws {
        guard let path else { return nil }
        try self.init(path: path)
    }

    init(path: String) throws {
        fd = try LocalFiles.openForWriting(path)
        write(Monitor.csvHeader)
    }

    deinit { Posix.close(fd) }

    /// Appends one line.
    func write(_ line: String) {
        Array((line + "\n").utf8).withUnsafeBytes { try? Posix.writeAll(fd, $0) }
    }
}
