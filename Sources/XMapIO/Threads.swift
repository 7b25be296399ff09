#if canImport(Glibc)
import Glibc
#endif

private final class ThreadBody {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// A joinable OS thread for long-running loops (senders, receiver, monitor).
public struct OSThread: @unchecked Sendable {
    let id: pthread_t

    /// Starts `body` on a new pthread. `sending` lets the body own non-Sendable per-thread state.
    /// - Throws: `SystemError` when the system cannot create another thread.
    /// In builds with mocking, the thread inherits the caller's `MockingDriver`.
    public static func spawn(name: String, _ body: sending @escaping () -> Void) throws(SystemError) -> OSThread {
        #if ENABLE_MOCKING
        let driver = MockingDriver.current
        let box = Unmanaged.passRetained(
            ThreadBody {
                MockingDriver.setCurrent(driver)
                body()
                MockingDriver.setCurrent(nil)
            }
        ).toOpaque()
        #else
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        #endif
        var tid = pthread_t()
        let rc = system_pthread_create(
            &tid,
            { arg in
                let b = Unmanaged<ThreadBody>.fromOpaque(arg!).takeRetainedValue()
                b.run()
                return nil
            }, box)
        if rc != 0 { Unmanaged<ThreadBody>.fromOpaque(box).release() }
        try Posix.check("pthread_create (\(name))", rc)
        return OSThread(id: tid)
    }

    /// Waits for the thread to finish.
    public func join() { _ = system_pthread_join(id) }
}
