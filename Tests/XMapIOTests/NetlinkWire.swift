@testable import XMapIO
import XMapCore

/// Hand-built netlink bytes for the parser tests, written field by field like the C structs
/// (native byte order) with the kernel ABI numbers spelled out, independent of NetlinkEncoder.
enum Wire {
    // Kernel ABI numbers.
    static let nlmsgError: UInt16 = 2, nlmsgDone: UInt16 = 3
    static let rtmNewLink: UInt16 = 16, rtmNewAddr: UInt16 = 20, rtmNewRoute: UInt16 = 24
    static let rtmNewNeigh: UInt16 = 28, rtmNewNexthop: UInt16 = 104
    static let afInet: UInt8 = 2, afInet6: UInt8 = 10
    static let rtaDst: UInt16 = 1, rtaOif: UInt16 = 4, rtaGateway: UInt16 = 5, rtaPriority: UInt16 = 6
    static let rtaPrefsrc: UInt16 = 7, rtaMultipath: UInt16 = 9, rtaTable: UInt16 = 15, rtaVia: UInt16 = 18
    static let rtaNhID: UInt16 = 30

    static func u16(_ v: UInt16) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }
    static func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }
    static func i32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }

    static func padded(_ b: [UInt8]) -> [UInt8] { b + [UInt8](repeating: 0, count: (4 - b.count % 4) % 4) }

    /// struct nlmsghdr + payload, padded to 4 unless `pad` is false.
    static func message(
        type: UInt16, flags: UInt16 = 0, seq: UInt32 = 7, pid: UInt32 = 0,
        payload: [UInt8], pad: Bool = true
    ) -> [UInt8] {
        let m = u32(UInt32(16 + payload.count)) + u16(type) + u16(flags) + u32(seq) + u32(pid) + payload
        return pad ? padded(m) : m
    }

    /// struct rtattr + payload, padded.
    static func attr(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        padded(u16(UInt16(4 + payload.count)) + u16(type) + payload)
    }

    static func attr32(_ type: UInt16, _ v: UInt32) -> [UInt8] { attr(type, u32(v)) }

    static func ip(_ s: String) -> [UInt8] { IPAddress(s)!.bytes }

    /// struct rtmsg.
    static func rtmsg(
        family: UInt8, dstLen: UInt8 = 0, srcLen: UInt8 = 0, table: UInt8 = 254,
        proto: UInt8 = 3, scope: UInt8 = 0, type: UInt8 = 1, flags: UInt32 = 0
    ) -> [UInt8] {
        [family, dstLen, srcLen, 0, table, proto, scope, type] + u32(flags)
    }

    /// struct ifaddrmsg.
    static func ifaddrmsg(family: UInt8, prefix: UInt8, flags: UInt8 = 0x80, scope: UInt8 = 0, index: UInt32) -> [UInt8]
    {
        [family, prefix, flags, scope] + u32(index)
    }

    /// struct ndmsg.
    static func ndmsg(family: UInt8, index: Int32, state: UInt16, flags: UInt8 = 0, type: UInt8 = 1) -> [UInt8] {
        [family, 0, 0, 0] + i32(index) + u16(state) + [flags, type]
    }

    /// struct ifinfomsg.
    static func ifinfomsg(index: Int32, type: UInt16 = 1, flags: UInt32 = 0x1043) -> [UInt8] {
        [0, 0] + u16(type) + i32(index) + u32(flags) + u32(0)
    }

    /// struct nlmsgerr: the error, then the request header (capped).
    static func errorPayload(_ code: Int32) -> [UInt8] {
        i32(code) + u32(32) + u16(26) + u16(5) + u32(7) + u32(0)
    }
}
