#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// Where result records go: stdout, a file or a Redis list, buffered, with an exact account of
/// every record.
/// A record counts as written only once all of its bytes reached the file. A write interrupted
/// by a signal (`EINTR`) is made again, and one refused because a non-blocking descriptor is
/// full (`EAGAIN`) is made again once it has room; when a write fails (disk full, `EIO`, a
/// closed pipe) the records not written are counted as lost, the error is kept, a regular file
/// is cut back to its last whole record (no partial line), and later records are counted as
/// lost without touching the file. Nothing is lost without a count.
///
/// A Redis sink pushes each record as one list element (pipelined `RPUSH`es of `batch` records);
/// when the server fails or the connection drops, it reconnects and sends what was not
/// acknowledged, up to three times, then fails the same way (records not acknowledged are lost
/// and counted). A command whose reply was lost with the connection may be sent twice.
///
/// The file is created only when the sink is opened, after all checks have passed, so a failed
/// start leaves no empty file behind. Written only by the receive thread during a scan;
/// Sendable only for that hand-off.
public final class OutputSink: @unchecked Sendable {
    public let fd: Int32
    /// The Redis list to push to instead of the file, and records per `RPUSH`.
    private let redis: RedisConnection?
    private let redisBatch: Int
    /// Attempts to deliver to Redis before failing.
    static let redisAttempts = 4
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
    /// The Redis error that ended delivery, if any.
    public private(set) var redisFailure: String?

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
        isRegularFile = Posix.isRegularFile(fd)
        redis = nil
        redisBatch = 0
        buffer.reserveCapacity(1 << 17)
    }

    /// Pushes records to a Redis list (`redis-csv`, `redis-packed`), `batch` per `RPUSH`.
    public init(redis: RedisConnection, batch: Int) {
        fd = -1
        name = redis.endpoint.description
        ownsFD = false
        isRegularFile = false
        self.redis = redis
        redisBatch = max(1, batch)
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

    /// Whether delivery has failed (nothing more is written; later records are counted as lost).
    public var hasFailed: Bool { failure != nil || redisFailure != nil }

    /// Buffers one record, formatted straight into the buffer; flushes past 64 KiB.
    public func appendRecord(_ body: (inout [UInt8]) -> Void) {
        guard !hasFailed else {
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
        guard !hasFailed else { return false }
        guard !buffer.isEmpty else { return true }
        if let redis { return flushToRedis(redis) }
        var done = 0
        let error: SystemError? = buffer.withUnsafeBytes { bytes in
            while done < bytes.count {
                let rest = UnsafeRawBufferPointer(rebasing: bytes[done...])
                do throws(SystemError) {
                    done += try Posix.write(fd, rest)
                } catch  where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
                    do throws(SystemError) {
                        _ = try Posix.wait(fd, for: Int16(POLLOUT), timeoutMillis: -1)
                    } catch {
                        return error
                    }
                } catch {
                    return error
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
                if (try? Posix.truncate(fd, to: off_t(cut))) != nil { bytesWritten = cut }
            }
        }
        buffer.removeAll(keepingCapacity: true)
        recordEnds.removeAll(keepingCapacity: true)
        headerBytes = 0
        return error == nil
    }

    /// Pushes the buffered records, reconnecting and resending what was not acknowledged.
    private func flushToRedis(_ redis: RedisConnection) -> Bool {
        var spans: [Range<Int>] = []
        spans.reserveCapacity(recordEnds.count)
        var from = headerBytes
        for end in recordEnds {
            spans.append(from..<end)
            from = end
        }
        var pending = spans
        var lastError: String?
        var firstError: String?
        buffer.withUnsafeBytes { bytes in
            for attempt in 0..<Self.redisAttempts {
                if attempt > 0 {
                    Log.warn(
                        "Redis at \(redis.endpoint): \(lastError ?? "error"); retrying \(pending.count) results "
                            + "(attempt \(attempt + 1) of \(Self.redisAttempts))",
                        module: "redis")
                    Posix.sleep(nanos: UInt64(attempt) * 500_000_000)
                    // A refused command (OOM) is retried on the same connection; only a broken
                    // one is reopened (which can fail once the scan has given up its privileges,
                    // so the first cause is kept for the message).
                    if !redis.isUsable {
                        do { try redis.connect() } catch let e as XMapError {
                            lastError = e.message
                            continue
                        } catch { continue }
                    }
                }
                let (failed, error) = redis.push(bytes, spans: pending, batch: redisBatch)
                pending = failed.map { pending[$0] }
                lastError = error
                if firstError == nil { firstError = error }
                if pending.isEmpty { lastError = nil; break }
            }
        }
        if let last = lastError, let first = firstError, first != last {
            lastError = first + " (then: " + last + ")"
        }
        recordsWritten += UInt64(spans.count - pending.count)
        if let lastError {
            redisFailure = lastError
            recordsLost += UInt64(pending.count)
        }
        buffer.removeAll(keepingCapacity: true)
        recordEnds.removeAll(keepingCapacity: true)
        headerBytes = 0
        return lastError == nil
    }

    /// One line describing a failure, e.g. `could not write results to 'out.csv': No space left
    /// on device (21 results written, 43 lost)`; nil when nothing failed.
    public var failureDescription: String? {
        if let redisFailure {
            return
                "could not push results to Redis at \(name): \(redisFailure) (\(recordsWritten) results written, "
                + "\(recordsLost) lost)"
        }
        guard let failure else { return nil }
        let place = name == "-" ? "standard output" : "'\(name)'"
        return
            "could not write results to \(place): \(failure.errnoText) (\(recordsWritten) results written, "
            + "\(recordsLost) lost)"
    }
}
