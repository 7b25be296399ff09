#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// A buffered byte sink on stdout or a file. The file is created only when the sink is opened,
/// after all checks have passed, so a failed start leaves no empty file behind.
/// Written only by the receive thread during a scan; Sendable only for that hand-off.
public final class OutputSink: @unchecked Sendable {
    public let fd: Int32
    private let ownsFD: Bool
    public private(set) var buffer: [UInt8] = []
    /// Bytes written so far.
    public private(set) var written: UInt64 = 0

    /// Opens `path` (`nil` or `-` for stdout), truncating it.
    public init(path: String?) throws {
        if let path, path != "-" {
            do { fd = try Posix.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644) } catch {
                throw XMapError("unable to open output file '\(path)': \(error.errnoText)")
            }
            ownsFD = true
        } else {
            fd = 1
            ownsFD = false
        }
        buffer.reserveCapacity(1 << 17)
    }

    deinit {
        try? flush()
        if ownsFD { Posix.close(fd) }
    }

    /// Appends bytes; flushes when the buffer passes 64 KiB.
    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Lets a caller format straight into the buffer.
    public func append(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes out what is buffered.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try Posix.writeAll(fd, $0) }
        written += UInt64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }
}
