import XMapCore

/// How the TCP modules measure a round-trip time (`rtt_us`) without keeping state per target.
///
/// * When the probe carries a timestamp option (`--probe-args=linux` or `bsd`), its TSval is the
///   send time in microseconds (wall clock, low 32 bits) and the answer's TSecr echoes it: the
///   round trip is the receive time minus TSecr, to the microsecond (it wraps after 71 minutes).
/// * Otherwise the send time is carried in the low `stampBits` bits of the sequence number (of
///   the acknowledgement number too for `tcp_synack`), in units of 2^`unitShift` µs: 1.024 ms,
///   wrapping after 2^16 units (67 s, well over a cooldown). A SYN-ACK acknowledges our sequence
///   number plus one, so the stamp comes back with it. The other 16 bits of the sequence number
///   are still checked against the validation block, as are the source port and addresses.
///   Each end of the difference is truncated to a whole unit, so the result is within one unit
///   (1.024 ms) of the true round trip.
///
/// Only a scan that outputs or filters on `rtt_us` stamps its probes (`ProbeSettings.measuresRoundTrip`);
/// other scans send exactly the packets they always did.
public enum TCPRoundTrip {
    /// Bits of the sequence number that carry the send time.
    public static let stampBits = 16
    /// The stamp's unit is 2^unitShift microseconds.
    public static let unitShift = 10
    /// The stamp's bits.
    public static let stampMask: UInt32 = (1 << 16) - 1

    /// Microseconds since the epoch.
    @inlinable public static func micros(seconds: UInt64, microseconds: UInt32) -> UInt64 {
        seconds &* 1_000_000 &+ UInt64(microseconds)
    }

    /// The stamp for a send time (wall clock).
    @inlinable public static func stamp(seconds: UInt64, microseconds: UInt32) -> UInt32 {
        let units = micros(seconds: seconds, microseconds: microseconds) >> UInt64(unitShift)
        return UInt32(truncatingIfNeeded: units) & stampMask
    }

    /// `base` (a sequence or acknowledgement number from the validation block) carrying `stamp`.
    @inlinable public static func stamped(_ base: UInt32, _ stamp: UInt32) -> UInt32 {
        (base & ~stampMask) | (stamp & stampMask)
    }

    /// Whether `value` is `base` with some stamp: the bits the stamp leaves are `base`'s.
    @inlinable public static func carries(_ value: UInt32, base: UInt32) -> Bool {
        (value ^ base) & ~stampMask == 0
    }

    /// The stamp `value` carries.
    @inlinable public static func stamp(of value: UInt32) -> UInt32 { value & stampMask }

    /// The round trip in microseconds from a stamp and the receive time.
    public static func micros(fromStamp stamp: UInt32, receivedSeconds: UInt64, receivedMicros: UInt32) -> UInt64 {
        let now = Self.stamp(seconds: receivedSeconds, microseconds: receivedMicros)
        return UInt64((now &- stamp) & stampMask) << UInt64(unitShift)
    }

    /// The TSval of a probe sent at this time: microseconds, low 32 bits.
    @inlinable public static func timestampValue(seconds: UInt64, microseconds: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: micros(seconds: seconds, microseconds: microseconds))
    }

    /// The round trip in microseconds from an echoed TSval and the receive time; nil when the
    /// echo would put the send after the receive or over half the 32-bit range before it (not
    /// our TSval).
    public static func micros(fromEcho echo: UInt32, receivedSeconds: UInt64, receivedMicros: UInt32) -> UInt64? {
        let now = timestampValue(seconds: receivedSeconds, microseconds: receivedMicros)
        let rtt = now &- echo
        return rtt < 1 << 31 ? UInt64(rtt) : nil
    }

    /// The receive time a record holds (the engine sets the system fields before the module's).
    public static func receiveTime(_ r: Record) -> (seconds: UInt64, micros: UInt32)? {
        guard let s = r[SystemField.timestampSeconds].numeric, let us = r[SystemField.timestampMicros].numeric else {
            return nil
        }
        return (s, UInt32(truncatingIfNeeded: us))
    }

    /// Where the TSval of option bytes `options` is, if they hold a timestamp option.
    public static func timestampOffset(in options: [UInt8]) -> Int? {
        var i = 0
        while i < options.count {
            switch options[i] {
            case 0: return nil
            case 1: i += 1
            case 8: return i + 2
            default:
                guard i + 1 < options.count, options[i + 1] >= 2 else { return nil }
                i += Int(options[i + 1])
            }
        }
        return nil
    }
}
