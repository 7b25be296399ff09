#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// Where result records go: stdout or a file, buffered, with an exact account of every record.
/// A record counts as written only once all of its bytes reached the file; when a write fails
/// (disk full, `EIO`, a closed pipe) the records not written are counted as lost, the error is
/// kept, a regular file is cut back to its last whole record (no partial line), and later
/// records are counted as lost without touching the file. Nothing is lost without a count.
///
/// The file is created only when the sink is opened, after all checks have passed, so a failed
/// start leaves no empty file behind. Written only by the receive thread during a scan;
/// Sendable only for that hand-off.
public final class OutputSink: @unchecked Sendable {
    public let fd: Int32
    /// What the user called the destination, for messages (`-` for stdout).
    public let name: String
    private let ownsFD: Bool
    private let isRegularFile: Bool
    private var buffer: [UInt8] = []
    /// Where each buffered record ends in `buffer`.
    private var recordEnds: [Int] = []
    /// Bytes at the front of `buffer` that are not a record (a header).
    private var headerBytes = 0
    /// Bytes that reached the file.
    public private(set) var bytesWritten: Int64 = 0
    /// Records whose bytes all reached the file.
    public private(set) var recordsWritten: UInt64 = 0
    /// Records that could not be written.
    public private(set) var recordsLost: UInt64 = 0
    /// The first write error; once set, nothing more is written.
    public private(set) var failure: SystemError?

    /// Opens `path` (`nil` or `-` for stdout), truncating it.
    public init(path: String?) throws {
        if let path, path != "-" {
            do { fd = try Posix.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644) } catch {
                throw XMapError("unable to open output file '\(path)': \(error.errnoText)")
            }
            name = path
            ownsFD = true
        } else {
            fd = 1
            name = "-"
            ownsFD = false
        }
        var st = stat()
        isRegularFile = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        buffer.reserveCapacity(1 << 17)
    }

    deinit {
        flush()
        if ownsFD { Posix.close(fd) }
    }

    /// Buffers bytes that are not a record (a CSV header).
    public func writeHeader(_ bytes: [UInt8]) {
        guard failure == nil else { return }
        buffer.append(contentsOf: bytes)
        if recordEnds.isEmpty { headerBytes = buffer.count }
    }

    /// Buffers one record, formatted straight into the buffer; flushes past 64 KiB.
    public func appendRecord(_ body: (inout [UInt8]) -> Void) {
        guard failure == nil else {
            recordsLost += 1
            return
        }
        body(&buffer)
        recordEnds.append(buffer.count)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes out what is buffered. Returns false once the sink has failed.
    @discardableResult
    public func flush() -> Bool {
        guard failure == nil else { return false }
        guard !buffer.isEmpty else { return true }
        var done = 0
        let error: SystemError? = buffer.withUnsafeBytes { bytes in
            while done < bytes.count {
                let n = Posix.attempt("write") { Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done) }
                switch n {
                case .success(let k): done += k
                case .failure(let e): return e
                }
            }
            return nil
        }
        let whole = recordEnds.prefix { $0 <= done }.count
        recordsWritten += UInt64(whole)
        bytesWritten += Int64(done)
        if let error {
            failure = error
            recordsLost += UInt64(recordEnds.count - whole)
            // Cut a regular file back to its last whole record, so no line is left half written.
            let keep = whole > 0 ? recordEnds[whole - 1] : min(done, headerBytes)
            if isRegularFile && done > keep {
                let cut = bytesWritten - Int64(done - keep)
                if ftruncate(fd, off_t(cut)) == 0 { bytesWritten = cut }
            }
        }
        buffer.removeAll(keepingCapacity: true)
        recordEnds.removeAll(keepingCapacity: true)
        headerBytes = 0
        return error == nil
    }

    /// One line describing a failure, e.g. `could not write results to 'out.csv': No space left
    /// on device (21 results written, 43 lost)`; nil when nothing failed.
    public var failureDescription: String? {
        guard let failure else { return nil }
        let place = name == "-" ? "standard output" : "'\(name)'"
        return "could not write results to \(place): \(failure.errnoText) (\(recordsWritten) results written, \(recordsLost) lost)"
    }
}
