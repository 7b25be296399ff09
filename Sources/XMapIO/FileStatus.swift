#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// Small file helpers for the CLI.
public enum FileStatus {
    /// True when `path` exists and can be read.
    public static func isReadableFile(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// Creates or truncates `path` for writing; returns the descriptor.
    public static func openForWriting(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw XMapError("unable to open file '\(path)': \(String(cString: strerror(errno)))") }
        return fd
    }
}
