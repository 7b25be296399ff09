#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// Reads files for the CLI and, as the `FileSource` handed to modules, for `--probe-args`:
/// payloads, templates, `dir:` payloads, question files.
public struct LocalFiles: FileSource {
    public init() {}

    public func contents(of path: String, limit: Int) throws -> [UInt8] { try Self.read(path, limit: limit) }

    public func exists(_ path: String) -> Bool { Posix.exists(path) }

    /// The whole file, or an `XMapError` naming the path and the system error.
    public static func read(_ path: String, limit: Int = 1 << 20) throws -> [UInt8] {
        let fd: Int32
        do { fd = try Posix.open(path, O_RDONLY) } catch {
            throw XMapError("unable to open file '\(path)': \(error.errnoText)")
        }
        defer { Posix.close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let read = buf.withUnsafeMutableBytes { b in
                Result { () throws(SystemError) in try Posix.read(fd, into: b) }
            }
            guard case .success(let n) = read else {
                if case .failure(let e) = read { throw XMapError("unable to read file '\(path)': \(e.errnoText)") }
                return out
            }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
            if out.count > limit { throw XMapError("file '\(path)' is too large (more than \(limit) bytes)") }
        }
        return out
    }

    /// Creates or truncates `path` for writing; returns the descriptor.
    public static func openForWriting(_ path: String) throws -> Int32 {
        do { return try Posix.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644) } catch {
            throw XMapError("unable to open file '\(path)': \(error.errnoText)")
        }
    }

    /// True when `path` exists and can be read.
    public static func isReadable(_ path: String) -> Bool { Posix.isReadable(path) }
}
