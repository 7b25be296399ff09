/// Where modules get the files their arguments name (`--probe-args=file:…`, `dir:`, `template:`,
/// DNS question files). Modules do no I/O: the I/O layer passes its file reader in through
/// `ProbeSettings`, and tests pass an in-memory one.
public protocol FileSource: Sendable {
    /// The whole file at `path`.
    /// - Throws: `XMapError` naming the path and the reason (missing, unreadable, over `limit` bytes).
    func contents(of path: String, limit: Int) throws -> [UInt8]
    /// Whether something exists at `path`.
    func exists(_ path: String) -> Bool
}

/// A `FileSource` for settings that name no files: every read fails with a clear error.
public struct NoFiles: FileSource {
    public init() {}

    public func contents(of path: String, limit: Int) throws -> [UInt8] {
        throw XMapError("unable to open file '\(path)': no file access here")
    }

    public func exists(_ path: String) -> Bool { false }
}

/// Files held in memory, by path (for tests and tools).
public struct InMemoryFiles: FileSource {
    public var files: [String: [UInt8]]

    public init(_ files: [String: [UInt8]] = [:]) { self.files = files }

    public func contents(of path: String, limit: Int) throws -> [UInt8] {
        guard let bytes = files[path] else {
            throw XMapError("unable to open file '\(path)': No such file or directory")
        }
        guard bytes.count <= limit else { throw XMapError("file '\(path)' is too large (more than \(limit) bytes)") }
        return bytes
    }

    public func exists(_ path: String) -> Bool { files[path] != nil }
}
