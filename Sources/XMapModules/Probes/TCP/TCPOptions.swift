import XMapCore

/// The TCP options a SYN carries (`tcp_syn --probe-args=windows|linux|bsd|smallest-probes`),
/// laid out byte for byte as ZMap's `tcp_synscan` does, so a probe looks like a SYN from that
/// operating system. Without probe-args the SYN has no options, as XMap's.
public enum TCPOptionLayout: String, Sendable, CaseIterable {
    /// XMap's bare 20-byte header.
    case none
    /// MSS 1460, NOP, window scale 8, NOP, NOP, SACK permitted (12 bytes).
    case windows
    /// MSS 1460, SACK permitted, timestamps, NOP, window scale 7 (20 bytes).
    case linux
    /// MSS 1460, NOP, window scale 6, NOP, NOP, timestamps, SACK permitted, EOL, EOL (24 bytes).
    case bsd
    /// MSS 1460 only (4 bytes): the smallest probe that still fits the Ethernet minimum frame.
    case smallestProbes = "smallest-probes"

    /// The option bytes; `timestamp` is the TSval (the sender's clock in seconds, as ZMap's).
    public func bytes(timestamp: UInt32) -> [UInt8] {
        let mss: [UInt8] = [2, 4, 0x05, 0xB4]
        let ts: [UInt8] = [
            UInt8(timestamp >> 24), UInt8(truncatingIfNeeded: timestamp >> 16),
            UInt8(truncatingIfNeeded: timestamp >> 8), UInt8(truncatingIfNeeded: timestamp), 0, 0, 0, 0
        ]
        switch self {
        case .none: return []
        case .smallestProbes: return mss
        case .windows: return mss + [1, 3, 3, 8, 1, 1, 4, 2]
        case .linux: return mss + [4, 2, 8, 10] + ts + [1, 3, 3, 7]
        case .bsd: return mss + [1, 3, 3, 6, 1, 1, 8, 10] + ts + [4, 2, 0, 0]
        }
    }

    /// The option block's length in bytes (a multiple of 4).
    public var length: Int { bytes(timestamp: 0).count }

    /// The layout `--probe-args` names; nil or empty means none.
    /// - Throws: `XMapError` with ZMap's message for anything else.
    public init(probeArgs: String?) throws {
        guard let a = probeArgs, !a.isEmpty else {
            self = .none
            return
        }
        guard a != "none", let layout = TCPOptionLayout(rawValue: a) else {
            throw XMapError(
                "unknown probe-args value: \(a), probe-args should have format: \"--probe-args=os\" "
                    + "where os can be \"smallest-probes\", \"bsd\", \"windows\", and \"linux\"")
        }
        self = layout
    }
}

/// The options of a received TCP header that `tcp_syn` reports (`tcpopt_*`), read as ZMap
/// reads them, but never past the captured bytes. Kinds 0 (EOL) and 1 (NOP) are skipped, a
/// malformed or truncated option ends the walk keeping what was read, and a repeated option
/// overwrites the earlier one.
public struct TCPReceivedOptions: Equatable, Sendable {
    public var mss: UInt16?
    /// The window scale as a multiplier, 2^shift (shift 7 → 128); shifts over 63 report 2^63.
    public var windowScale: UInt64?
    public var sackPermitted = false
    public var timestampValue: UInt32?
    public var timestampEcho: UInt32?

    public init() {}

    /// Parses the options of the TCP header at `offset` in `p`.
    public init(_ p: ReplyPacket, tcpHeaderAt offset: Int) {
        guard let doff = p.u8(offset + 12) else { return }
        // The header's own length, but never beyond what was captured.
        let end = min(offset + Int(doff >> 4) * 4, p.count)
        var i = offset + 20
        while i < end {
            guard let kind = p.u8(i) else { break }
            if kind <= 1 {
                i += 1
                continue
            }
            guard i + 1 < end, let len = p.u8(i + 1).map(Int.init), len >= 2, i + len <= end else { break }
            switch (kind, len) {
            case (2, 4): mss = p.u16(i + 2)
            case (3, 3):
                let shift = p.u8(i + 2).map(Int.init) ?? 0
                windowScale = UInt64(1) << UInt64(min(shift, 63))
            case (4, 2): sackPermitted = true
            case (8, 10):
                timestampValue = p.u32(i + 2)
                timestampEcho = p.u32(i + 6)
            case (2, _), (3, _), (4, _), (8, _): return  // a known option with a wrong length
            default: break
            }
            i += len
        }
    }
}
