/// Where the Redis output modules push results: XMap's `--output-args`, either
/// `tcp://HOST:PORT/LIST` (every part required) or `local:///PATH/TO/SOCKET/LIST` (the last
/// path component is the list). Without `--output-args`, XMap's default
/// `local:///tmp/redis.sock/xmap`.
public struct RedisEndpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Server: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public let server: Server
    public let list: String

    public static let defaultArguments = "local:///tmp/redis.sock/xmap"

    public init(server: Server, list: String) {
        self.server = server
        self.list = list
    }

    /// Parses `--output-args`. - Throws: `XMapError` with the accepted forms.
    public init(arguments text: String?) throws {
        let text = text ?? Self.defaultArguments
        let usage =
            "invalid Redis output arguments '\(text)' (expected tcp://host:port/list or local:///path/to/socket/list)"
        if text.hasPrefix("tcp://") {
            let rest = text.dropFirst(6)
            guard let slash = rest.firstIndex(of: "/"), let colon = rest[..<slash].lastIndex(of: ":") else {
                throw XMapError(usage)
            }
            let host = String(rest[..<colon]), portText = rest[rest.index(after: colon)..<slash]
            let list = String(rest[rest.index(after: slash)...])
            guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port), !list.isEmpty,
                !list.contains("/")
            else { throw XMapError(usage) }
            self.init(
                server: .tcp(
                    host: host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host,
                    port: port), list: list)
        } else if text.hasPrefix("local://") {
            let rest = text.dropFirst(8)
            guard rest.hasPrefix("/"), let slash = rest.lastIndex(of: "/"), slash != rest.startIndex else {
                throw XMapError(usage)
            }
            let path = String(rest[..<slash]), list = String(rest[rest.index(after: slash)...])
            guard !list.isEmpty else { throw XMapError(usage) }
            self.init(server: .unix(path: path), list: list)
        } else {
            throw XMapError(usage)
        }
    }

    public var description: String {
        switch server {
        case .tcp(let host, let port): return "tcp://\(host.contains(":") ? "[\(host)]" : host):\(port)/\(list)"
        case .unix(let path): return "local://\(path)/\(list)"
        }
    }
}
