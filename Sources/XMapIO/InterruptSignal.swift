#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Counts SIGINT and SIGTERM once `install()` has run, so a scan can wind down cleanly: the
/// monitor polls `count` (the handler only increments an atomic, which is async-signal-safe).
public enum InterruptSignal {
    private static let received = Atomic<Int>(0)

    /// Signals received since `install()`.
    public static var count: Int { received.load(ordering: .relaxed) }

    /// Routes SIGINT and SIGTERM to the counter instead of killing the process.
    public static func install() {
        _ = received.load(ordering: .relaxed)  // initialise the static before any signal
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in InterruptSignal.received.add(1, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        // sigaction fails only for an invalid signal number: these cannot fail.
        _ = try? Posix.syscall("sigaction") { system_sigaction(SIGINT, &action, nil) }
        _ = try? Posix.syscall("sigaction") { system_sigaction(SIGTERM, &action, nil) }
        // A parent may have started us with these signals blocked; threads created from here
        // on inherit this thread's mask.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        _ = try? Posix.check("pthread_sigmask", system_pthread_sigmask(SIG_UNBLOCK, &set, nil))
    }

    /// Restores the default actions (a further signal kills the process).
    public static func uninstall() { setAction(SIG_DFL, for: [SIGINT, SIGTERM]) }

    /// Ignores SIGPIPE, so writing to a closed pipe fails with EPIPE (which the output code
    /// reports) instead of killing the process with nothing said.
    public static func ignoreBrokenPipes() { setAction(SIG_IGN, for: [SIGPIPE]) }

    /// Sets the action of `signals` to `handler` (SIG_DFL or SIG_IGN).
    private static func setAction(_ handler: __sighandler_t?, for signals: [Int32]) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        for signal in signals { _ = try? Posix.syscall("sigaction") { system_sigaction(signal, &action, nil) } }
    }
}
