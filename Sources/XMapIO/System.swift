#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import XMapCore

/// A failed system call: which call, the errno it left, and (for messages) what it means.
public struct SystemError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The C function that failed, e.g. `write` or `sendmmsg`.
    public let call: String
    public let errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// The `strerror` text.
    public var errnoText: String { Posix.errorText(errno) }

    /// Whether the call may succeed if tried again later (EAGAIN, EWOULDBLOCK, ENOBUFS).
    public var isTemporary: Bool { errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS }

    public var description: String { "\(call): \(errnoText)" }
}

/// The one funnel for system calls that can fail. Each wrapper runs the call (one of the
/// `system_*` functions of `Internals/Syscalls.swift`, where every call XMapIO makes into the
/// kernel is declared), reads `errno` right after it (the wrappers are `@inline(never)`, so no
/// ARC traffic can run in between), retries `EINTR`, and turns failure into a `SystemError`
/// naming the call. Calls that cannot fail (clocks, `strerror`) are made directly.
public enum Posix {
    /// Runs `body` until it does not fail with EINTR; a result of -1 becomes a `SystemError`.
    @inline(never)
    public static func syscall<T: FixedWidthInteger>(
        _ call: @autoclosure () -> String,
        _ body: () -> T
    ) throws(SystemError) -> T {
        while true {
            let r = body()
            if r != -1 { return r }
            let e = Glibc.errno
            if e == EINTR { continue }
            throw SystemError(call: call(), errno: e)
        }
    }

    /// Like `syscall`, but a temporary failure (EAGAIN, EWOULDBLOCK, ENOBUFS) returns nil.
    @inline(never)
    public static func nonBlocking<T: FixedWidthInteger>(
        _ call: @autoclosure () -> String,
        _ body: () -> T
    ) throws(SystemError) -> T? {
        do {
            return try syscall(call(), body)
        } catch  where error.isTemporary {
            return nil
        }
    }

    /// Like `syscall`, for hot paths that handle failure inline instead of throwing.
    @inline(never)
    public static func attempt<T: FixedWidthInteger>(
        _ call: @autoclosure () -> String = "",
        _ body: () -> T
    ) -> Result<T, SystemError> {
        do {
            return .success(try syscall(call(), body))
        } catch {
            return .failure(error)
        }
    }

    /// For functions that return 0 or an error number (pthreads): a non-zero result becomes a
    /// `SystemError`.
    @inline(never)
    public static func check(_ call: @autoclosure () -> String, _ result: Int32) throws(SystemError) {
        if result != 0 { throw SystemError(call: call(), errno: result) }
    }

    /// close(2); not retried on EINTR (Linux always releases the descriptor).
    @inline(never)
    public static func close(_ fd: Int32) { _ = system_close(fd) }

    /// open(2), with `O_CLOEXEC`.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) throws(SystemError) -> Int32 {
        try syscall("open") { system_open(path, flags | O_CLOEXEC, mode) }
    }

    /// Writes all of `bytes` to `fd` (write(2) until done).
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var off = 0
        while off < bytes.count {
            let n = try syscall("write") { system_write(fd, bytes.baseAddress! + off, bytes.count - off) }
            off += n
        }
    }

    /// write(2) of `bytes`: how many were written.
    public static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int {
        try syscall("write") { system_write(fd, bytes.baseAddress, bytes.count) }
    }

    /// pwrite(2) of all of `bytes` at `offset`.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: off_t) throws(SystemError) {
        var done = 0
        while done < bytes.count {
            done += try syscall("pwrite") {
                system_pwrite(fd, bytes.baseAddress! + done, bytes.count - done, offset + off_t(done))
            }
        }
    }

    /// fdatasync(2).
    public static func dataSync(_ fd: Int32) throws(SystemError) {
        _ = try syscall("fdatasync") { system_fdatasync(fd) }
    }

    /// ftruncate(2).
    public static func truncate(_ fd: Int32, to length: off_t) throws(SystemError) {
        _ = try syscall("ftruncate") { system_ftruncate(fd, length) }
    }

    /// Whether `fd` is a regular file (fstat(2); false when it cannot say).
    public static func isRegularFile(_ fd: Int32) -> Bool {
        var st = stat()
        guard (try? syscall("fstat", { system_fstat(fd, &st) })) != nil else { return false }
        return (st.st_mode & S_IFMT) == S_IFREG
    }

    /// read(2) into `buffer`; 0 at the end of the file.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        try syscall("read") { system_read(fd, buffer.baseAddress, buffer.count) }
    }

    /// poll(2) of one descriptor for `events`, for at most `timeoutMillis` (-1: no limit).
    /// Returns whether it became ready; EINTR is retried with the whole timeout again.
    public static func wait(_ fd: Int32, for events: Int16, timeoutMillis: Int32) throws(SystemError) -> Bool {
        var p = pollfd(fd: fd, events: events, revents: 0)
        return try syscall("poll") { system_poll(&p, 1, timeoutMillis) } > 0
    }

    /// Whether `path` exists (`access(F_OK)`).
    public static func exists(_ path: String) -> Bool { system_access(path, F_OK) == 0 }

    /// Whether `path` exists and can be read (`access(R_OK)`).
    public static func isReadable(_ path: String) -> Bool { system_access(path, R_OK) == 0 }

    /// The names in directory `path` (`opendir`, `readdir`), without `.` and `..`.
    public static func directoryEntries(_ path: String) throws(SystemError) -> [String] {
        guard let dir = system_opendir(path) else { throw SystemError(call: "opendir", errno: Glibc.errno) }
        defer { _ = system_closedir(dir) }
        var names: [String] = []
        while true {
            Glibc.errno = 0
            guard let e = system_readdir(dir) else {
                if Glibc.errno != 0 { throw SystemError(call: "readdir", errno: Glibc.errno) }
                return names
            }
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    /// The text of a NUL-terminated C buffer (up to the first NUL, or all of it).
    public static func string(fromCString buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `strerror` text of an errno value.
    public static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
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

    /// This host's name (`gethostname`), and its canonical name as the resolver knows it
    /// (`getaddrinfo` with `AI_CANONNAME`; the short name when that fails).
    public static func hostNames() -> (local: String, full: String) {
        var buf = [CChar](repeating: 0, count: 256)
        guard (try? syscall("gethostname", { system_gethostname(&buf, buf.count - 1) })) != nil else { return ("", "") }
        let local = Posix.string(fromCString: buf)
        var hints = addrinfo()
        hints.ai_flags = AI_CANONNAME
        var result: UnsafeMutablePointer<addrinfo>?
        guard system_getaddrinfo(local, nil, &hints, &result) == 0, let first = result else { return (local, local) }
        defer { system_freeaddrinfo(first) }
        return (local, first.pointee.ai_canonname.map { String(cString: $0) } ?? local)
    }

    /// The number of transmit queues of interface `name` (`/sys/class/net/NAME/queues/tx-*`;
    /// 1 when that cannot be read).
    public static func transmitQueues(_ name: String) -> Int {
        guard !name.contains("/"), let entries = try? directoryEntries("/sys/class/net/\(name)/queues") else {
            return 1
        }
        return max(1, entries.filter { $0.hasPrefix("tx-") }.count)
    }

    /// Gives the CPU to another thread (a spin wait's pause).
    public static func yield() { _ = system_sched_yield() }

    /// Sleeps for `nanos` nanoseconds (restarting after signals).
    public static func sleep(nanos: UInt64) {
        var req = timespec(tv_sec: Int(nanos / 1_000_000_000), tv_nsec: Int(nanos % 1_000_000_000))
        var rem = timespec()
        while system_nanosleep(&req, &rem) == -1 && Glibc.errno == EINTR { req = rem }
    }

    /// The CPUs this process may run on (its affinity mask), ascending.
    public static func allowedCPUs() throws(SystemError) -> [Int] {
        var cpus = [Int32](repeating: 0, count: 1024)
        let n = try syscall("sched_getaffinity") { system_allowed_cpus(&cpus, Int32(cpus.count)) }
        return cpus[0..<Int(n)].map(Int.init)
    }

    /// Pins the calling thread to `cpu`.
    public static func pinCurrentThread(to cpu: Int) throws(SystemError) {
        try check("pthread_setaffinity_np (CPU \(cpu))", system_pin_current_thread(Int32(truncatingIfNeeded: cpu)))
    }
}
