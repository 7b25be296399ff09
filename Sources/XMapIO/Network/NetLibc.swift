#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux

/// The socket calls of network detection, on top of the `Posix` funnel (which reads `errno`,
/// retries EINTR and names the call in its `SystemError`) and the `system_*` declarations.
enum NetLibc {
    static func socket(domain: Int32, type: Int32, protocol proto: Int32) throws(SystemError) -> Int32 {
        try Posix.syscall("socket") { system_socket(domain, type, proto) }
    }

    static func close(_ fd: Int32) { Posix.close(fd) }

    static func setOption(_ fd: Int32, level: Int32, name: Int32, value: UnsafeRawBufferPointer) throws(SystemError) {
        _ = try Posix.syscall("setsockopt") {
            system_setsockopt(fd, level, name, value.baseAddress, socklen_t(value.count))
        }
    }

    /// sendto(2) of one datagram. Returns the number of bytes sent.
    static func send(
        _ fd: Int32, _ bytes: UnsafeRawBufferPointer, flags: Int32,
        to address: UnsafePointer<sockaddr>, length: socklen_t
    ) throws(SystemError) -> Int {
        try Posix.syscall("sendto") { system_sendto(fd, bytes.baseAddress, bytes.count, flags, address, length) }
    }

    /// recvfrom(2) of one datagram into `buffer`. Returns what recvfrom returns (with MSG_TRUNC:
    /// the full datagram length, which may exceed `buffer.count`).
    static func receive(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: Int32,
        from address: UnsafeMutablePointer<sockaddr>,
        length: UnsafeMutablePointer<socklen_t>
    ) throws(SystemError) -> Int {
        let capacity = length.pointee
        return try Posix.syscall("recvfrom") { () -> Int in
            length.pointee = capacity
            return system_recvfrom(fd, buffer.baseAddress, buffer.count, flags, address, length)
        }
    }

    /// if_nametoindex(3); returns 0 when there is no such interface.
    static func interfaceIndex(named name: String) -> UInt32 { system_if_nametoindex(name) }

    /// CLOCK_MONOTONIC in seconds.
    static func monotonicSeconds() -> Double { Double(Posix.monotonicNanos()) / 1e9 }

    /// Sleeps for `seconds` (clamped at 0), resuming after signals.
    static func sleep(seconds: Double) {
        guard seconds > 0, seconds.isFinite else { return }
        Posix.sleep(nanos: UInt64(seconds * 1e9))
    }

    /// SO_RCVTIMEO: blocking receives fail with EAGAIN after `seconds`.
    static func setReceiveTimeout(_ fd: Int32, seconds: Double) throws(SystemError) {
        let whole = max(0, seconds.rounded(.down))
        var tv = timeval(tv_sec: Int(whole), tv_usec: Int((max(0, seconds) - whole) * 1e6))
        try withUnsafeBytes(of: &tv) { (b) throws(SystemError) in
            try setOption(fd, level: SOL_SOCKET, name: SO_RCVTIMEO, value: b)
        }
    }

    /// Moves the calling thread (only it) into the network namespace at `path`, e.g.
    /// /var/run/netns/NAME: open(2) then setns(2) with CLONE_NEWNET.
    static func enterNetworkNamespace(path: String) throws(SystemError) {
        let fd = try Posix.open(path, O_RDONLY)
        defer { Posix.close(fd) }
        _ = try Posix.syscall("setns") { system_setns_net(fd) }
    }
}
