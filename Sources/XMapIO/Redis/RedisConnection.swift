#if canImport(Glibc)
import Glibc
#endif
import CHiredis
import XMapCore

/// A blocking connection to a Redis server through hiredis (the library XMap and ZMap use),
/// for the Redis output modules: pipelined `RPUSH` of many records per command. Used by the
/// receive thread only.
public final class RedisConnection: @unchecked Sendable {
    public let endpoint: RedisEndpoint
    private var context: UnsafeMutablePointer<redisContext>?
    /// Seconds a connect, a send or a reply may take.
    static let timeout = timeval(tv_sec: 2, tv_usec: 0)

    /// Connects and checks the server answers `PING`.
    /// - Throws: `XMapError` naming the server and hiredis's reason.
    public init(endpoint: RedisEndpoint) throws {
        self.endpoint = endpoint
        try connect()
    }

    deinit { if let context { redisFree(context) } }

    /// True while the connection works (hiredis sets an error on the context when it breaks; a
    /// server's error reply, such as OOM, leaves it usable).
    public var isUsable: Bool { context.map { $0.pointee.err == 0 } ?? false }

    /// (Re)connects; throws with one line when the server cannot be reached or does not answer.
    public func connect() throws {
        if let context { redisFree(context) }
        context = nil
        let c: UnsafeMutablePointer<redisContext>?
        switch endpoint.server {
        case .tcp(let host, let port): c = redisConnectWithTimeout(host, Int32(port), Self.timeout)
        case .unix(let path): c = redisConnectUnixWithTimeout(path, Self.timeout)
        }
        guard let c else { throw XMapError("could not connect to Redis at \(endpoint): out of memory") }
        context = c
        if c.pointee.err != 0 { throw XMapError("could not connect to Redis at \(endpoint): \(errorText(c))") }
        redisSetTimeout(c, Self.timeout)
        var argv: [UnsafePointer<CChar>?] = []
        let ping = strdup("PING")
        defer { free(ping) }
        argv.append(UnsafePointer(ping))
        var lengths = [4]
        guard redisAppendCommandArgv(c, 1, &argv, &lengths) == REDIS_OK else {
            throw XMapError("could not talk to Redis at \(endpoint): \(errorText(c))")
        }
        if let failure = readReply(c) { throw XMapError("Redis at \(endpoint) does not answer: \(failure)") }
    }

    func errorText(_ c: UnsafeMutablePointer<redisContext>) -> String {
        let text = withUnsafeBytes(of: c.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return text.isEmpty ? "error \(c.pointee.err)" : text
    }

    /// Reads one reply; nil when it is not an error.
    func readReply(_ c: UnsafeMutablePointer<redisContext>) -> String? {
        var reply: UnsafeMutableRawPointer?
        guard redisGetReply(c, &reply) == REDIS_OK, let reply else { return errorText(c) }
        defer { freeReplyObject(reply) }
        let r = reply.assumingMemoryBound(to: redisReply.self).pointee
        if r.type == REDIS_REPLY_ERROR {
            return r.str.map { String(cString: $0) } ?? "error reply"
        }
        return nil
    }

    /// Pushes records to the list: record i is `records[spans[i]]`. Sends `RPUSH list r1 … rN`
    /// commands of at most `batch` records, all pipelined, then reads every reply. Returns the
    /// records whose command the server did not acknowledge (their indexes in `spans`, in
    /// order) and the first error, if any. A server can refuse one command and take the next
    /// (out of memory), so every reply is read.
    public func push(
        _ records: UnsafeRawBufferPointer, spans: [Range<Int>], batch: Int
    ) -> (failed: [Int], error: String?) {
        guard !spans.isEmpty else { return ([], nil) }
        guard let c = context, let base = records.baseAddress else { return (Array(spans.indices), "not connected") }
        let list = strdup(endpoint.list)
        defer { free(list) }
        let rpush = strdup("RPUSH")
        defer { free(rpush) }
        var commands: [Range<Int>] = []
        var i = 0
        var firstError: String?
        while i < spans.count {
            let n = min(batch, spans.count - i)
            var argv: [UnsafePointer<CChar>?] = [UnsafePointer(rpush), UnsafePointer(list)]
            var lengths: [Int] = [5, endpoint.list.utf8.count]
            argv.reserveCapacity(n + 2)
            lengths.reserveCapacity(n + 2)
            for k in i..<(i + n) {
                argv.append((base + spans[k].lowerBound).assumingMemoryBound(to: CChar.self))
                lengths.append(spans[k].count)
            }
            guard redisAppendCommandArgv(c, Int32(argv.count), &argv, &lengths) == REDIS_OK else {
                firstError = errorText(c)
                break
            }
            commands.append(i..<(i + n))
            i += n
        }
        var failed: [Int] = []
        var connectionLost = false
        for command in commands {
            if connectionLost {
                failed.append(contentsOf: command)
                continue
            }
            var reply: UnsafeMutableRawPointer?
            guard redisGetReply(c, &reply) == REDIS_OK, let reply else {
                firstError = firstError ?? errorText(c)
                connectionLost = true
                failed.append(contentsOf: command)
                continue
            }
            let r = reply.assumingMemoryBound(to: redisReply.self).pointee
            if r.type == REDIS_REPLY_ERROR {
                firstError = firstError ?? (r.str.map { String(cString: $0) } ?? "error reply")
                failed.append(contentsOf: command)
            }
            freeReplyObject(reply)
        }
        if i < spans.count { failed.append(contentsOf: i..<spans.count) }
        return (failed, firstError)
    }
}
