#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// A NETLINK_ROUTE socket that sends one request at a time and collects its reply: a single
/// answer plus its ACK, or a multipart dump up to NLMSG_DONE. Replies are untrusted: datagrams
/// not sent by the kernel and messages with another sequence number are dropped, and every length
/// is checked by `NetlinkParser`.
struct NetlinkSocket: ~Copyable {
    private let fd: Int32
    private var nextSequence: UInt32
    private var buffer: [UInt8]
    /// How long to wait for each reply datagram.
    let replyTimeout: Double

    /// Dumps the kernel marked as inconsistent (NLM_F_DUMP_INTR) are retried this many times.
    static let dumpAttempts = 4

    init(replyTimeout: Double = 5) throws(XMapError) {
        let fd: Int32
        do {
            fd = try NetLibc.socket(
                domain: NetlinkConstant.family,
                type: Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                protocol: NetlinkConstant.routeProtocol)
        } catch {
            throw XMapError("cannot open a netlink socket: \(error)")
        }
        do {
            try NetLibc.setReceiveTimeout(fd, seconds: replyTimeout)
        } catch {
            NetLibc.close(fd)
            throw XMapError("cannot set the netlink socket timeout: \(error)")
        }
        // Optional: error text from the kernel, and errors without a copy of our request.
        var one: Int32 = 1
        withUnsafeBytes(of: &one) { b in
            _ = try? NetLibc.setOption(
                fd, level: NetlinkConstant.solNetlink, name: NetlinkConstant.extendedAck, value: b)
            _ = try? NetLibc.setOption(fd, level: NetlinkConstant.solNetlink, name: NetlinkConstant.capAck, value: b)
        }
        self.fd = fd
        self.replyTimeout = replyTimeout
        self.nextSequence = UInt32(truncatingIfNeeded: Int(NetLibc.monotonicSeconds() * 1000)) | 1
        self.buffer = [UInt8](repeating: 0, count: 65536)
    }

    deinit { NetLibc.close(fd) }

    /// Sends a request and returns the reply messages (NLMSG_ERROR/DONE/NOOP removed).
    /// - For a dump (`dump: true`) the reply ends with NLMSG_DONE; inconsistent dumps are retried.
    /// - Otherwise NLM_F_ACK is set and the reply ends with the ACK.
    /// Kernel errors are thrown as `NetlinkError`; everything else as `XMapError`.
    mutating func request(
        type: UInt16, flags: UInt16 = 0, dump: Bool = false, body: [UInt8],
        what: @autoclosure () -> String
    ) throws -> [NetlinkMessage] {
        var attempt = 1
        while true {
            let (messages, interrupted) = try exchange(type: type, flags: flags, dump: dump, body: body, what: what())
            if !interrupted || attempt >= NetlinkSocket.dumpAttempts { return messages }
            attempt += 1
        }
    }

    private mutating func exchange(
        type: UInt16, flags: UInt16, dump: Bool, body: [UInt8],
        what: String
    ) throws -> (messages: [NetlinkMessage], interrupted: Bool) {
        let sequence = nextSequence
        nextSequence &+= 1
        var requestFlags = flags | NetlinkConstant.fRequest
        requestFlags |= dump ? NetlinkConstant.fDump : NetlinkConstant.fAck
        let message = NetlinkEncoder.message(type: type, flags: requestFlags, sequence: sequence, body: body)
        try send(message, what: what)

        var results: [NetlinkMessage] = []
        var interrupted = false
        while true {
            let datagram = try receive(what: what)
            for m in try NetlinkParser.messages(in: datagram) where m.sequence == sequence {
                if m.flags & NetlinkConstant.fDumpInterrupted != 0 { interrupted = true }
                switch m.type {
                case NetlinkConstant.noop:
                    continue
                case NetlinkConstant.error:
                    if let error = try NetlinkParser.errorResult(of: m) { throw error }
                    if !dump { return (results, interrupted) }  // the ACK ends a non-dump request
                case NetlinkConstant.done:
                    if let error = NetlinkParser.doneResult(of: m) { throw error }
                    if dump { return (results, interrupted) }
                case NetlinkConstant.overrun:
                    throw XMapError("netlink \(what): the kernel reported lost data (NLMSG_OVERRUN)")
                default:
                    results.append(m)
                }
            }
        }
    }

    private func send(_ message: [UInt8], what: String) throws(XMapError) {
        var kernel = sockaddr_nl()
        kernel.nl_family = sa_family_t(NetlinkConstant.family)
        let fd = self.fd
        let sent: Int
        do {
            sent = try message.withUnsafeBytes { bytes in
                try withUnsafePointer(to: &kernel) { (p) throws(SystemError) in
                    try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { (sa) throws(SystemError) in
                        try NetLibc.send(fd, bytes, flags: 0, to: sa, length: socklen_t(MemoryLayout<sockaddr_nl>.size))
                    }
                }
            }
        } catch {
            throw XMapError("cannot send netlink \(what): \(error)")
        }
        guard sent == message.count else {
            throw XMapError("cannot send netlink \(what): sent \(sent) of \(message.count) bytes")
        }
    }

    /// Receives one datagram from the kernel (port 0); datagrams from other senders are dropped.
    /// The datagram's size is peeked first so a large one is never truncated.
    private mutating func receive(what: String) throws(XMapError) -> [UInt8] {
        while true {
            var from = sockaddr_nl()
            var fromLength = socklen_t(MemoryLayout<sockaddr_nl>.size)
            let peekFlags = Int32(MSG_PEEK) | Int32(MSG_TRUNC)
            let size = try receiveInto(flags: peekFlags, from: &from, fromLength: &fromLength, what: what)
            if size > buffer.count { buffer = [UInt8](repeating: 0, count: size) }
            fromLength = socklen_t(MemoryLayout<sockaddr_nl>.size)
            let n = try receiveInto(flags: 0, from: &from, fromLength: &fromLength, what: what)
            guard n <= buffer.count else {
                throw XMapError("netlink \(what): reply of \(n) bytes was truncated")
            }
            guard Int(fromLength) >= MemoryLayout<sockaddr_nl>.size,
                from.nl_family == sa_family_t(NetlinkConstant.family), from.nl_pid == 0
            else { continue }
            return Array(buffer[0..<n])
        }
    }

    private mutating func receiveInto(
        flags: Int32, from: inout sockaddr_nl, fromLength: inout socklen_t,
        what: String
    ) throws(XMapError) -> Int {
        let fd = self.fd
        do {
            return try buffer.withUnsafeMutableBytes { b in
                try withUnsafeMutablePointer(to: &from) { (p) throws(SystemError) in
                    try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { (sa) throws(SystemError) in
                        try NetLibc.receive(fd, into: b, flags: flags, from: sa, length: &fromLength)
                    }
                }
            }
        } catch let error as SystemError where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
            throw XMapError(
                "no netlink reply from the kernel to \(what) within \(formatNetworkSeconds(replyTimeout)) s")
        } catch {
            throw XMapError("cannot receive the netlink reply to \(what): \(error)")
        }
    }
}

/// "3" for 3.0, "0.5" for 0.5: seconds as the user would write them.
func formatNetworkSeconds(_ s: Double) -> String {
    if s.isFinite, s == s.rounded(), abs(s) < 1e15 { return String(Int(s)) }
    return String(s)
}
