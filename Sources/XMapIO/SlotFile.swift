#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// A file rewritten in place through a descriptor opened once (so it keeps working after the
/// scan gives up its privileges: no rename, no new file), crash-safe by its two-slot layout
/// (`SlotFileFormat`). Used for `--checkpoint`.
public final class SlotFile: @unchecked Sendable {
    public let path: String
    public let slotSize: Int
    private let fd: Int32
    private var sequence: UInt64 = 0

    /// Creates or truncates `path` for payloads of at most `capacity` bytes.
    /// - Throws: `XMapError` naming the file.
    public init(path: String, capacity: Int) throws {
        self.path = path
        slotSize = (capacity + SlotFileFormat.headerCapacity + 4095) / 4096 * 4096
        do { fd = try Posix.open(path, O_RDWR | O_CREAT | O_TRUNC, mode: 0o644) } catch {
            throw XMapError("unable to open file '\(path)': \(error.errnoText)")
        }
    }

    deinit { Posix.close(fd) }

    /// Writes `payload` into the older slot and syncs it.
    /// - Throws: `XMapError` when the write or the sync fails, or the payload does not fit.
    public func write(_ payload: [UInt8]) throws {
        guard payload.count + SlotFileFormat.headerCapacity <= slotSize else {
            throw XMapError("'\(path)': \(payload.count) bytes do not fit in a \(slotSize)-byte slot")
        }
        sequence += 1
        let bytes = SlotFileFormat.slot(payload, sequence: sequence, slotSize: slotSize)
        let offset = off_t(Int((sequence - 1) % 2) * slotSize)
        let result = bytes.withUnsafeBytes { b in
            Result { () throws(SystemError) in
                try Posix.writeAll(fd, b, at: offset)
                try Posix.dataSync(fd)
            }
        }
        if case .failure(let e) = result { throw XMapError("unable to write '\(path)': \(e.errnoText)") }
    }

    /// The newest valid payload of the file at `path` (a file that is not in the slot layout is
    /// returned whole, as an older xmap wrote it).
    /// - Throws: `XMapError` when it cannot be read or no slot is valid.
    public static func read(_ path: String, limit: Int = 1 << 24) throws -> [UInt8] {
        let bytes = try LocalFiles.read(path, limit: limit)
        if bytes.first == UInt8(ascii: "{") { return bytes }
        guard let payload = SlotFileFormat.newestPayload(ofFile: bytes) else {
            throw XMapError("'\(path)' holds no complete copy (both slots are damaged)")
        }
        return payload
    }
}
