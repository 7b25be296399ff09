/// Paces one sender thread. Packets due within the next millisecond go out together in one
/// batch; when the schedule is further ahead the caller flushes and the limiter sleeps, so no
/// packet waits in a buffer while the thread sleeps.
struct RateLimiter<K: ScanClock> {
    /// Nanoseconds between packets for this thread; 0 = unlimited.
    let interval: UInt64
    var due: UInt64
    let clock: K
    static var window: UInt64 { 1_000_000 }

    init(packetsPerSecond: Double, clock: K) {
        interval = packetsPerSecond <= 0 ? 0 : UInt64(max(1, 1e9 / packetsPerSecond))
        self.clock = clock
        due = clock.now()
    }

    /// True when the next packet may not be sent within the batching window: flush, then `sleep()`.
    @inline(__always) mutating func mustWait() -> Bool {
        if interval == 0 { return false }
        let now = clock.now()
        if due &+ 100_000_000 < now { due = now }  // after a stall, do not burst to catch up
        return due > now &+ RateLimiter.window
    }

    /// Sleeps until the next packet is due.
    mutating func sleep() {
        let now = clock.now()
        if due > now { clock.sleep(nanos: due - now) }
    }

    /// Accounts for one packet.
    @inline(__always) mutating func consume() { due &+= interval }
}
