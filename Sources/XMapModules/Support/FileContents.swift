#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// Reads small files (payloads, module arguments) without Foundation.
public enum FileContents {
    /// Whether `path` names something that exists.
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The whole file, or an `XMapError` naming the path and the system error.
    public static func read(_ path: String, limit: Int = 1 << 20) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw XMapError("unable to open file '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw XMapError("unable to read file '\(path)': \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
            if out.count > limit { throw XMapError("file '\(path)' is too large (more than \(limit) bytes)") }
        }
        return out
    }
}
