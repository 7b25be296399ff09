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
    public static func spawn(name: String, _ body: sending @escaping () -> Void) throws(SystemError) -> OSThread {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { arg in
            let b = Unmanaged<ThreadBody>.fromOpaque(arg!).takeRetainedValue()
            b.run()
            return nil
        }, box)
        if rc != 0 { Unmanaged<ThreadBody>.fromOpaque(box).release() }
        try Posix.check("pthread_create (\(name))", rc)
        return OSThread(id: tid)
    }

    /// Waits for the thread to finish.
    public func join() { pthread_join(id, nil) }
}
