#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Makes the I/O layer's system calls fail on demand, for tests of error paths that a real
/// system produces rarely or only with privileges: a full disk (`ENOSPC`), `EIO`, a signal
/// (`EINTR`), a full socket buffer (`EAGAIN`, `ENOBUFS`).
///
/// A driver is installed for the calling thread by `withMocking`, and the threads that thread
/// starts through `OSThread.spawn` inherit it. Every `system_*` call (`Syscalls.swift`) made
/// while it is installed is recorded in `trace` by its C function's name, and fails with the
/// errno queued for that name instead of running, if one is. Only builds compiled with
/// `ENABLE_MOCKING` (debug builds) consult it; `isAvailable` says whether this one does.
public final class MockingDriver: Sendable {
    private struct State {
        var queued: [String: [Int32]] = [:]
        var always: [String: Int32] = [:]
        var trace: [String] = []
    }

    private let state = Mutex(State())

    /// Whether this build routes system calls through the driver (debug builds).
    public static var isAvailable: Bool {
        #if ENABLE_MOCKING
        true
        #else
        false
        #endif
    }

    /// Runs `body` with a new driver installed for the calling thread (and the threads it starts).
    public static func withMocking<R>(_ body: (MockingDriver) throws -> R) rethrows -> R {
        let driver = MockingDriver()
        let previous = current
        setCurrent(driver)
        defer { setCurrent(previous) }
        return try body(driver)
    }

    /// Makes the next `times` calls of `call` (a C function's name, e.g. `write`) fail with
    /// `errno`, after any failures already queued for it.
    public func fail(_ call: String, errno: Int32, times: Int = 1) {
        state.withLock { $0.queued[call, default: []] += Array(repeating: errno, count: times) }
    }

    /// Makes every call of `call` fail with `errno` once the queued failures are used up.
    public func failAlways(_ call: String, errno: Int32) {
        state.withLock { $0.always[call] = errno }
    }

    /// Lets `call` run again (drops its queued and permanent failures).
    public func stopFailing(_ call: String) {
        state.withLock {
            $0.queued[call] = nil; $0.always[call] = nil
        }
    }

    /// The calls made so far, in order, by name.
    public var trace: [String] { state.withLock { $0.trace } }

    /// How many times `call` was made (failed or not).
    public func count(_ call: String) -> Int { state.withLock { $0.trace.filter { $0 == call }.count } }

    /// Records `call` and returns the errno it must fail with, if any.
    func intercept(_ call: String) -> Int32? {
        state.withLock { s in
            s.trace.append(call)
            if var queue = s.queued[call], !queue.isEmpty {
                let e = queue.removeFirst()
                s.queued[call] = queue
                return e
            }
            return s.always[call]
        }
    }

    // The calling thread's driver, in a pthread key (a driver installed on one thread does not
    // affect tests running on others).
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create")
        return key
    }()

    /// The calling thread's driver.
    static var current: MockingDriver? {
        guard let p = pthread_getspecific(key) else { return nil }
        return Unmanaged<MockingDriver>.fromOpaque(p).takeUnretainedValue()
    }

    /// Installs `driver` for the calling thread (nil: none), keeping it alive while installed.
    static func setCurrent(_ driver: MockingDriver?) {
        if let old = pthread_getspecific(key) { Unmanaged<MockingDriver>.fromOpaque(old).release() }
        let new = driver.map { Unmanaged.passRetained($0).toOpaque() }
        pthread_setspecific(key, new)
    }
}

#if ENABLE_MOCKING
/// For a call that returns -1 and sets `errno`: true when the driver fails it (errno is set).
@inline(never)
func mockedFailure(_ call: String) -> Bool {
    guard let driver = MockingDriver.current, let e = driver.intercept(call) else { return false }
    errno = e
    return true
}

/// For a call that returns an errno value (0 for success): the value the driver fails it with.
@inline(never)
func mockedErrno(_ call: String) -> Int32? {
    MockingDriver.current?.intercept(call)
}
#endif
