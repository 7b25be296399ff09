/// ztee's once-per-second statistics (`-m` on stderr, `-u` as CSV rows), computed as ZMap's ztee
/// computes them: rates are lines per second, the buffer is the number of lines read but not yet
/// written, and its "average" is the sum of the per-second samples divided by the elapsed seconds.
struct ZTeeStatistics {
    /// One sample.
    struct Row: Equatable {
        var seconds: UInt32
        var totalRead: UInt32
        var readLastSecond: UInt32
        var readPerSecondAverage: UInt32
        var buffered: UInt32
        var bufferedAverage: UInt32
    }

    /// The first line of the `-u` file.
    static let statusHeader =
        "time_past,total_read_in,read_in_last_sec,read_per_sec_avg,buffer_current_size,buffer_avg_size\n"

    private var lastAge = 0.0
    private var lastTotal: UInt32 = 0
    private var bufferSum: UInt64 = 0

    /// The sample at `age` seconds since the start, with `totalRead` lines read so far and
    /// `buffered` lines waiting.
    mutating func sample(age: Double, totalRead: Int, buffered: Int) -> Row {
        let delta = age - lastAge
        lastAge = age
        let total = UInt32(truncatingIfNeeded: totalRead)
        let current = UInt32(truncatingIfNeeded: buffered)
        bufferSum += UInt64(current)
        let row = Row(
            seconds: Self.clamp(age),
            totalRead: total,
            readLastSecond: Self.clamp(Double(total &- lastTotal) / delta),
            readPerSecondAverage: Self.clamp(Double(total) / age),
            buffered: current,
            bufferedAverage: Self.clamp(Double(bufferSum) / age))
        lastTotal = total
        return row
    }

    /// The `-m` line: ` 0:01 read_rate: 298295 rows/s (avg 298295 rows/s), buffer_size: 287231 (avg 285599)`.
    static func monitorLine(_ r: Row) -> String {
        let time = elapsedText(r.seconds)
        let padded = String(repeating: " ", count: max(0, 5 - time.count)) + time
        return "\(padded) read_rate: \(r.readLastSecond) rows/s (avg \(r.readPerSecondAverage) rows/s), "
            + "buffer_size: \(r.buffered) (avg \(r.bufferedAverage))\n"
    }

    /// The `-u` row.
    static func statusLine(_ r: Row) -> String {
        "\(r.seconds),\(r.totalRead),\(r.readLastSecond),\(r.readPerSecondAverage),\(r.buffered),\(r.bufferedAverage)\n"
    }

    /// Elapsed time as ZMap prints it: `m:ss`, `h:mm:ss`, or `Dd h:mm:ss`.
    static func elapsedText(_ seconds: UInt32) -> String {
        let d = seconds % 31_556_736 / 86_400, h = seconds % 86_400 / 3_600
        let m = seconds % 3_600 / 60, s = seconds % 60
        func two(_ v: UInt32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        if d > 0 { return "\(d)d\(h):\(two(m)):\(two(s))" }
        if h > 0 { return "\(h):\(two(m)):\(two(s))" }
        return "\(m):\(two(s))"
    }

    /// A non-negative finite value cut to 32 bits (C's conversion of a double to uint32_t for the
    /// values that occur; NaN and infinity, from a zero interval, count as 0).
    static func clamp(_ v: Double) -> UInt32 {
        guard v.isFinite, v > 0 else { return 0 }
        return v >= 4_294_967_295 ? UInt32.max : UInt32(v)
    }
}
