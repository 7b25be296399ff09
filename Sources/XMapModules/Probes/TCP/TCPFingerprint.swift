import XMapCore

/// A stable text form of a TCP SYN-ACK: what the answering stack chose, not what varies per
/// connection or per path. The layout follows p0f's signatures (`ver:ittl:olen:mss:wsize,scale:
/// olayout:quirks:pclass`); the code and the details are xmap's own:
///
/// * `ver`: 4 or 6.
/// * `ittl`: the initial TTL guessed from the received one (the next of 32, 64, 128, 255), so the
///   number of hops does not show.
/// * `olen`: bytes of IPv4 options (0 for IPv6).
/// * `mss`: the MSS option, `*` without one.
/// * `wsize,scale`: the window, written `mss*N` when it is a whole multiple of the MSS; the
///   window scale shift, `*` without the option.
/// * `olayout`: the options in order: `mss`, `ws`, `sok` (SACK permitted), `sack`, `ts`, `nop`,
///   `eol+N` (end of list and N bytes after it), `?K` for an unknown kind K.
/// * `quirks`: `df` (don't fragment), `id+` (DF with a non-zero IP ID), `id-` (no DF, zero ID),
///   `0+` (reserved IPv4 flag), `ecn` (ECN bits or the ECE/CWR flags), `flow` (an IPv6 flow
///   label), `seq-` (zero sequence number), `ack-` (ACK flag, zero acknowledgement), `ack+`
///   (no ACK flag, non-zero acknowledgement), `uptr+` (urgent pointer without URG), `urgf+`,
///   `pushf+`, `ts1-` (own timestamp zero), `opt+` (non-zero bytes after end of list), `exws`
///   (window scale over 14), `bad` (malformed options). Empty when there are none.
/// * `pclass`: `0` without payload, `+` with.
public struct TCPFingerprint: Sendable, Equatable, CustomStringConvertible {
    public var version: Int
    public var initialTTL: Int
    public var ipOptionsLength: Int
    public var mss: UInt16?
    public var window: UInt16
    public var windowScale: UInt8?
    public var layout: [String]
    public var quirks: [String]
    public var hasPayload: Bool

    /// The signature of the TCP segment in `p`, an IP packet whose header is `h`; nil when the
    /// TCP header is not all there.
    public init?(_ p: ReplyPacket, header h: IPHeaderView) {
        let o = h.payloadOffset
        guard let flags = p.u8(o + 13), let doffByte = p.u8(o + 12), let seq = p.u32(o + 4), let ack = p.u32(o + 8),
            let window = p.u16(o + 14), let urgent = p.u16(o + 18)
        else { return nil }
        let tcpLength = Int(doffByte >> 4) * 4
        guard tcpLength >= 20 else { return nil }
        version = h.family == .v4 ? 4 : 6
        initialTTL = Self.initialTTL(h.ttl)
        ipOptionsLength = h.family == .v4 ? max(0, o - 20) : 0
        self.window = window
        var quirks: [String] = []
        if h.family == .v4 {
            let frag = p.u16(6) ?? 0, tos = p.u8(1) ?? 0
            let df = frag & 0x4000 != 0
            if df { quirks.append("df") }
            if df && h.ipid != 0 { quirks.append("id+") }
            if !df && h.ipid == 0 { quirks.append("id-") }
            if frag & 0x8000 != 0 { quirks.append("0+") }
            if tos & 0x03 != 0 || flags & 0xC0 != 0 { quirks.append("ecn") }
        } else {
            let word = p.u32(0) ?? 0
            if (word >> 20) & 0x03 != 0 || flags & 0xC0 != 0 { quirks.append("ecn") }
            if word & 0xF_FFFF != 0 { quirks.append("flow") }
        }
        if seq == 0 { quirks.append("seq-") }
        if flags & TCPFlags.ack != 0 && ack == 0 { quirks.append("ack-") }
        if flags & TCPFlags.ack == 0 && ack != 0 { quirks.append("ack+") }
        if flags & 0x20 == 0 && urgent != 0 { quirks.append("uptr+") }
        if flags & 0x20 != 0 { quirks.append("urgf+") }
        if flags & TCPFlags.psh != 0 { quirks.append("pushf+") }
        let options = Self.options(p, from: o + 20, to: min(o + tcpLength, p.count), truncated: o + tcpLength > p.count)
        mss = options.mss
        windowScale = options.scale
        layout = options.layout
        self.quirks = quirks + options.quirks
        hasPayload = Self.payloadLength(p, header: h, tcpLength: tcpLength) > 0
    }

    /// The initial TTL a received TTL most likely started from.
    public static func initialTTL(_ ttl: UInt8) -> Int {
        ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255
    }

    public var description: String {
        let mssText = mss.map { String($0) } ?? "*"
        var windowText = String(window)
        if let m = mss, m > 0, window > 0, window % m == 0 { windowText = "mss*\(window / m)" }
        let scaleText = windowScale.map { String($0) } ?? "*"
        return "\(version):\(initialTTL):\(ipOptionsLength):\(mssText):\(windowText),\(scaleText):"
            + "\(layout.joined(separator: ",")):\(quirks.joined(separator: ",")):\(hasPayload ? "+" : "0")"
    }

    /// Walks the options between `start` and `end`.
    static func options(
        _ p: ReplyPacket, from start: Int, to end: Int,
        truncated: Bool
    ) -> (layout: [String], quirks: [String], mss: UInt16?, scale: UInt8?) {
        var layout: [String] = [], quirks: [String] = []
        var mss: UInt16? = nil, scale: UInt8? = nil
        var i = start
        walk: while i < end {
            guard let kind = p.u8(i) else { break }
            switch kind {
            case 0:
                layout.append("eol+\(end - i - 1)")
                if (i + 1..<end).contains(where: { p.u8($0) != 0 }) { quirks.append("opt+") }
                break walk
            case 1:
                layout.append("nop")
                i += 1
                continue walk
            default:
                break
            }
            guard let length = p.u8(i + 1).map(Int.init), length >= 2, i + length <= end else {
                quirks.append("bad")
                break walk
            }
            switch (kind, length) {
            case (2, 4):
                layout.append("mss")
                mss = p.u16(i + 2)
            case (3, 3):
                layout.append("ws")
                let shift = p.u8(i + 2) ?? 0
                scale = shift
                if shift > 14 { quirks.append("exws") }
            case (4, 2): layout.append("sok")
            case (5, _): layout.append("sack")
            case (8, 10):
                layout.append("ts")
                if p.u32(i + 2) == 0 { quirks.append("ts1-") }
            case (2, _), (3, _), (4, _), (8, _):
                quirks.append("bad")
                break walk
            default: layout.append("?\(kind)")
            }
            i += length
        }
        if truncated && !quirks.contains("bad") { quirks.append("bad") }
        return (layout, quirks, mss, scale)
    }

    /// Bytes of TCP payload the IP header announces.
    static func payloadLength(_ p: ReplyPacket, header h: IPHeaderView, tcpLength: Int) -> Int {
        if h.family == .v4 {
            return Int(p.u16(2) ?? 0) - h.payloadOffset - tcpLength
        }
        return Int(p.u16(4) ?? 0) - tcpLength
    }
}
