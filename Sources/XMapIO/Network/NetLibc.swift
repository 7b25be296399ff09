#if canImport(Glibc)
import Glibc
#endif

/// An errno value captured immediately after a failed libc call.
struct NetErrno: Error, Equatable, Sendable, CustomStringConvertible {
    let code: Int32
    var description: String { NetLibc.errorText(code) }
}

/// The libc calls of network detection. Each wrapper is `@inline(never)` and reads `errno` right
/// after the call, before anything else can run; EINTR is retried inside the wrapper. No other code
/// of the Network folder reads `errno`.
enum NetLibc {
    /// The `strerror` text of an errno value.
    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    @inline(never)
    static func socket(domain: Int32, type: Int32, protocol proto: Int32) throws(NetErrno) -> Int32 {
        let fd = Glibc.socket(domain, type, proto)
        if fd < 0 { throw NetErrno(code: errno) }
        return fd
    }

    /// close(2); not retried on EINTR (Linux always releases the descriptor).
    @inline(never)
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    @inline(never)
    static func setOption(_ fd: Int32, level: Int32, name: Int32,
                          value: UnsafeRawBufferPointer) throws(NetErrno) {
        let rc = Glibc.setsockopt(fd, level, name, value.baseAddress, socklen_t(value.count))
        if rc != 0 { throw NetErrno(code: errno) }
    }

    /// sendto(2) of one datagram, retried on EINTR. Returns the number of bytes sent.
    @inline(never)
    static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, flags: Int32,
                     to address: UnsafePointer<sockaddr>, length: socklen_t) throws(NetErrno) -> Int {
        while true {
            let n = Glibc.sendto(fd, bytes.baseAddress, bytes.count, flags, address, length)
            if n >= 0 { return n }
            let e = errno
            if e != EINTR { throw NetErrno(code: e) }
        }
    }

    /// recvfrom(2) of one datagram into `buffer`, retried on EINTR. Returns what recvfrom returns
    /// (with MSG_TRUNC: the full datagram length, which may exceed `buffer.count`).
    @inline(never)
    static func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: Int32,
                        from address: UnsafeMutablePointer<sockaddr>,
                        length: UnsafeMutablePointer<socklen_t>) throws(NetErrno) -> Int {
        let capacity = length.pointee
        while true {
            length.pointee = capacity
            let n = Glibc.recvfrom(fd, buffer.baseAddress, buffer.count, flags, address, length)
            if n >= 0 { return n }
            let e = errno
            if e != EINTR { throw NetErrno(code: e) }
        }
    }

    /// if_nametoindex(3); returns 0 when there is no such interface.
    @inline(never)
    static func interfaceIndex(named name: String) -> UInt32 {
        Glibc.if_nametoindex(name)
    }

    /// CLOCK_MONOTONIC in seconds.
    @inline(never)
    static func monotonicSeconds() -> Double {
        var ts = timespec()
        _ = clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Sleeps for `seconds` (clamped at 0), resuming after signals.
    @inline(never)
    static func sleep(seconds: Double) {
        guard seconds > 0, seconds.isFinite else { return }
        let whole = seconds.rounded(.down)
        var request = timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 {
            if errno != EINTR { return }
            request = remaining
        }
    }

    /// SO_RCVTIMEO: blocking receives fail with EAGAIN after `seconds`.
    @inline(never)
    static func setReceiveTimeout(_ fd: Int32, seconds: Double) throws(NetErrno) {
        let whole = max(0, seconds.rounded(.down))
        var tv = timeval(tv_sec: Int(whole), tv_usec: Int((max(0, seconds) - whole) * 1e6))
        let rc = Glibc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if rc != 0 { throw NetErrno(code: errno) }
    }
}
