/// How replies are captured: the size of the kernel's capture ring.
///
/// The ring holds the replies that arrive while the receive thread is busy (writing results,
/// or descheduled). Its pages are mapped into the process, so its size is most of a scan's
/// resident memory; it is sized from the work instead of fixed: about two seconds of replies
/// at the send rate, for a slow scan a few MiB, for a full-rate scan enough that every reply
/// of a scan where every probe is answered is kept.
public struct CapturePlan: Sendable, Equatable {
    /// Bytes of capture buffer (`--capture-buffer`, or `automaticBufferBytes`).
    public var bufferBytes: Int

    public init(bufferBytes: Int = CapturePlan.unlimitedRateBufferBytes) {
        self.bufferBytes = bufferBytes
    }

    /// The smallest buffer chosen automatically: one of the ring's 256 KiB blocks (libpcap's
    /// TPACKET_V3 block size), about 1,500 replies, plenty for a slow scan's two seconds (libpcap's
    /// own default is 2 MiB; the ring is resident memory for the whole scan). Larger sizes are
    /// rounded up to whole blocks.
    public static let minimumBufferBytes = 256 << 10
    /// The largest buffer chosen automatically.
    public static let maximumBufferBytes = 256 << 20
    /// The buffer for an unlimited rate (`-R 0`), where the rate is not known in advance: it
    /// holds about 400,000 replies of 100 bytes.
    public static let unlimitedRateBufferBytes = 64 << 20
    /// Seconds of replies at the send rate the automatic buffer holds.
    public static let secondsOfReplies = 2

    /// The captured bytes a reply is assumed to take when the capture length allows more: replies
    /// to probes are small, and the ring (TPACKET_V3) packs frames by their real length.
    public static let typicalReplyBytes = 512

    /// Bytes one captured reply takes in the ring: its captured bytes (at most `snaplen`, taken
    /// as at most `typicalReplyBytes`) plus the ring's per-frame header and alignment
    /// (TPACKET_V3: 48-byte header, 20-byte link address, 16-byte alignment).
    public static func frameCost(snaplen: Int) -> Int {
        (min(max(0, snaplen), typicalReplyBytes) + 68 + 15) & ~15
    }

    /// The automatic size for a scan sending `rate` packets per second (0: unlimited) with
    /// replies captured up to `snaplen` bytes: `secondsOfReplies` of one reply per probe,
    /// between `minimumBufferBytes` and `maximumBufferBytes`.
    public static func automaticBufferBytes(rate: Int, snaplen: Int) -> Int {
        guard rate > 0 else { return unlimitedRateBufferBytes }
        let (wanted, overflow) = rate.multipliedReportingOverflow(by: secondsOfReplies * frameCost(snaplen: snaplen))
        if overflow { return maximumBufferBytes }
        let blocks =
            (min(max(wanted, minimumBufferBytes), maximumBufferBytes) + minimumBufferBytes - 1) / minimumBufferBytes
        return blocks * minimumBufferBytes
    }
}
