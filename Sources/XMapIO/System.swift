#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// An error from a system call, with the errno and what was being done.
public struct IOError: Error, CustomStringConvertible, Sendable {
    public let errnoCode: Int32
    public let reason: String

    public init(errnoCode: Int32, reason: String) {
        self.errnoCode = errnoCode
        self.reason = reason
    }

    public var description: String { "\(reason): \(String(cString: strerror(errnoCode)))" }
}

/// The one place that calls libc for sockets and files. Each wrapper is `@inline(never)` so no
/// ARC traffic can happen between the call and the read of `errno`; `EINTR` is retried.
public enum Posix {
    /// Runs `body` until it does not fail with EINTR; throws `IOError` on other failures.
    @inline(never)
    public static func syscall<T: FixedWidthInteger>(_ reason: @autoclosure () -> String, _ body: () -> T) throws -> T {
        while true {
            let r = body()
            if r != -1 { return r }
            let e = errno
            if e == EINTR { continue }
            throw IOError(errnoCode: e, reason: reason())
        }
    }

    /// Like `syscall`, but returns nil instead of throwing for EAGAIN/EWOULDBLOCK/ENOBUFS.
    @inline(never)
    public static func nonBlocking<T: FixedWidthInteger>(_ reason: @autoclosure () -> String, _ body: () -> T) throws -> T? {
        while true {
            let r = body()
            if r != -1 { return r }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS { return nil }
            throw IOError(errnoCode: e, reason: reason())
        }
    }

    @inline(never)
    public static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Writes all of `bytes` to `fd`.
    @inline(never)
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < bytes.count {
            let n = try syscall("write") { Glibc.write(fd, bytes.baseAddress! + off, bytes.count - off) }
            off += n
        }
    }

    /// Monotonic clock in nanoseconds.
    @inlinable public static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Wall clock as (seconds, microseconds).
    public static func wallClock() -> (seconds: Int, micros: Int) {
        var tv = timeval()
        gettimeofday(&tv, nil)
        return (Int(tv.tv_sec), Int(tv.tv_usec))
    }

    /// Sleeps for `nanos` nanoseconds (restarting after signals).
    public static func sleep(nanos: UInt64) {
        var req = timespec(tv_sec: Int(nanos / 1_000_000_000), tv_nsec: Int(nanos % 1_000_000_000))
        var rem = timespec()
        while nanosleep(&req, &rem) == -1 && errno == EINTR { req = rem }
    }

    /// The CPUs this process may run on (its affinity mask), ascending.
    public static func allowedCPUs() throws -> [Int] {
        var cpus = [Int32](repeating: 0, count: 1024)
        let n = try syscall("sched_getaffinity") { CXMap_allowed_cpus(&cpus, Int32(cpus.count)) }
        return cpus[0..<Int(n)].map(Int.init)
    }

    /// Pins the calling thread to `cpu`.
    public static func pinCurrentThread(to cpu: Int) throws {
        let rc = CXMap_pin_current_thread(Int32(truncatingIfNeeded: cpu))
        if rc != 0 { throw IOError(errnoCode: rc, reason: "pinning a thread to CPU \(cpu)") }
    }
}
