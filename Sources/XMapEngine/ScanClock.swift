import XMapIO

/// The time the engine's threads run on: a monotonic clock for deadlines, rates and the
/// cooldown, sleeping, and the wall clock for timestamps. Scans run on `SystemClock`; tests run
/// the engine on a clock of their own, so no test waits for real time or depends on it. The
/// send and receive loops are generic over the clock, so reading it costs no existential call.
protocol ScanClock: Sendable {
    /// Monotonic nanoseconds.
    func now() -> UInt64
    /// Sleeps for `nanos` nanoseconds.
    func sleep(nanos: UInt64)
    /// Wall-clock time as seconds and microseconds since the Unix epoch.
    func wallClock() -> (seconds: Int, micros: Int)
}

/// The system's clocks (`CLOCK_MONOTONIC`, `nanosleep`, `gettimeofday`).
struct SystemClock: ScanClock {
    @inline(__always) func now() -> UInt64 { Posix.monotonicNanos() }
    func sleep(nanos: UInt64) { Posix.sleep(nanos: nanos) }
    func wallClock() -> (seconds: Int, micros: Int) { Posix.wallClock() }
}
