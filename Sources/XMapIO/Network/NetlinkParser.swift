import XMapCore

/// One netlink message: its `nlmsghdr` fields and the bytes after the header.
struct NetlinkMessage: Equatable, Sendable {
    var type: UInt16
    var flags: UInt16
    var sequence: UInt32
    var portID: UInt32
    /// The bytes after the 16-byte header, up to `nlmsg_len` (no trailing alignment padding).
    var payload: [UInt8]
}

/// One route attribute (`rtattr` / `nlattr`): its type without the nested/byte-order bits.
struct NetlinkAttribute: Equatable, Sendable {
    var type: UInt16
    var isNested: Bool
    var payload: [UInt8]
}

/// An error the kernel reported in an NLMSG_ERROR (or NLMSG_DONE) message.
struct NetlinkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The positive errno value.
    let code: Int32
    /// The extended-ACK message (NLMSGERR_ATTR_MSG), when the kernel sent one.
    let extendedMessage: String?

    var description: String {
        let text = Posix.errorText(code)
        guard let extra = extendedMessage, !extra.isEmpty else { return text }
        return "\(text) (\(extra))"
    }
}

/// Pure decoding of netlink byte buffers. Everything here treats its input as untrusted: every
/// length is checked against the buffer before it is used, and malformed input throws
/// `XMapError`, it never traps.
enum NetlinkParser {
    /// Netlink's 4-byte alignment (NLMSG_ALIGN / RTA_ALIGN), saturating instead of overflowing.
    @inline(__always) static func align(_ n: Int) -> Int {
        n > Int.max - 3 ? Int.max & ~3 : (n + 3) & ~3
    }

    // MARK: bounds-checked native-endian reads

    static func u8(_ b: UnsafeRawBufferPointer, _ offset: Int) -> UInt8? {
        guard offset >= 0, offset < b.count else { return nil }
        return b[offset]
    }

    static func u16(_ b: UnsafeRawBufferPointer, _ offset: Int) -> UInt16? {
        guard offset >= 0, b.count >= 2, offset <= b.count - 2 else { return nil }
        return b.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
    }

    static func u32(_ b: UnsafeRawBufferPointer, _ offset: Int) -> UInt32? {
        guard offset >= 0, b.count >= 4, offset <= b.count - 4 else { return nil }
        return b.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    }

    static func u16(_ b: [UInt8], _ offset: Int) -> UInt16? { b.withUnsafeBytes { u16($0, offset) } }
    static func u32(_ b: [UInt8], _ offset: Int) -> UInt32? { b.withUnsafeBytes { u32($0, offset) } }

    /// A 4-byte native-endian attribute value (u32 / s32 attributes must be exactly 4 bytes).
    static func u32(attribute a: NetlinkAttribute, _ what: String) throws(XMapError) -> UInt32 {
        guard a.payload.count == 4, let v = u32(a.payload, 0) else {
            throw XMapError("malformed netlink \(what): attribute of \(a.payload.count) bytes, expected 4")
        }
        return v
    }

    /// An address attribute: exactly 4 bytes for IPv4 or 16 for IPv6.
    static func address(
        attribute a: NetlinkAttribute, family: IPFamily,
        _ what: String
    ) throws(XMapError) -> IPAddress {
        guard a.payload.count == family.bytes else {
            throw XMapError("malformed netlink \(what): \(family) address of \(a.payload.count) bytes")
        }
        return a.payload.withUnsafeBytes { IPAddress(family: family, bytes: $0) }
    }

    /// A NUL-terminated (or unterminated) string attribute; invalid UTF-8 is repaired, not trusted.
    static func string(attribute a: NetlinkAttribute) -> String {
        let end = a.payload.firstIndex(of: 0) ?? a.payload.count
        return String(decoding: a.payload[..<end], as: UTF8.self)
    }

    /// The IP family of an `AF_*` byte, or nil for other families.
    static func family(_ af: UInt8) -> IPFamily? {
        switch af {
        case NetlinkConstant.inet: .v4
        case NetlinkConstant.inet6: .v6
        default: nil
        }
    }

    // MARK: messages

    /// Splits a datagram into netlink messages. Throws when a header is cut short, when
    /// `nlmsg_len` is smaller than the header or runs past the buffer, or when bytes are left over
    /// that cannot hold a header.
    static func messages(in b: UnsafeRawBufferPointer) throws(XMapError) -> [NetlinkMessage] {
        var out: [NetlinkMessage] = []
        var offset = 0
        let hdr = NetlinkConstant.headerLength
        while offset < b.count {
            let remaining = b.count - offset
            guard remaining >= hdr, let length32 = u32(b, offset), let type = u16(b, offset + 4),
                let flags = u16(b, offset + 6), let seq = u32(b, offset + 8),
                let pid = u32(b, offset + 12)
            else {
                throw XMapError("malformed netlink reply: truncated message header (\(remaining) bytes left)")
            }
            let length = Int(length32)
            guard length >= hdr else {
                throw XMapError("malformed netlink reply: message length \(length) is shorter than its header")
            }
            guard length <= remaining else {
                throw XMapError(
                    "malformed netlink reply: message length \(length) runs past the \(remaining) bytes left")
            }
            let payload = [UInt8](b[(offset + hdr)..<(offset + length)])
            out.append(NetlinkMessage(type: type, flags: flags, sequence: seq, portID: pid, payload: payload))
            // The last message may omit its alignment padding.
            offset += min(align(length), remaining)
        }
        return out
    }

    static func messages(in bytes: [UInt8]) throws(XMapError) -> [NetlinkMessage] {
        try bytes.withUnsafeBytes { b in
            Result { () throws(XMapError) in try messages(in: b) }
        }.get()
    }

    // MARK: attributes

    /// Splits an attribute area (after a message's fixed header) into attributes. Throws when an
    /// attribute's length is below the 4-byte header or runs past the area; up to 3 trailing
    /// bytes (padding) are ignored.
    static func attributes(in b: UnsafeRawBufferPointer) throws(XMapError) -> [NetlinkAttribute] {
        var out: [NetlinkAttribute] = []
        var offset = 0
        while b.count - offset >= 4 {
            let remaining = b.count - offset
            guard let length16 = u16(b, offset), let rawType = u16(b, offset + 2) else { break }
            let length = Int(length16)
            guard length >= 4 else {
                throw XMapError("malformed netlink attribute: length \(length) is shorter than its header")
            }
            guard length <= remaining else {
                throw XMapError("malformed netlink attribute: length \(length) runs past the \(remaining) bytes left")
            }
            out.append(
                NetlinkAttribute(
                    type: rawType & NetlinkConstant.attributeTypeMask,
                    isNested: rawType & NetlinkConstant.attributeNested != 0,
                    payload: [UInt8](b[(offset + 4)..<(offset + length)])))
            offset += min(align(length), remaining)
        }
        return out
    }

    /// The attributes of `bytes` starting at `offset` (the aligned size of the fixed header).
    static func attributes(in bytes: [UInt8], from offset: Int) throws(XMapError) -> [NetlinkAttribute] {
        guard offset >= 0, offset <= bytes.count else {
            throw XMapError("malformed netlink message: \(bytes.count) bytes, expected at least \(offset)")
        }
        return try bytes.withUnsafeBytes { b in
            Result { () throws(XMapError) in try attributes(in: UnsafeRawBufferPointer(rebasing: b[offset...])) }
        }.get()
    }

    // MARK: NLMSG_ERROR / NLMSG_DONE

    /// Decodes an NLMSG_ERROR message: 0 for an acknowledgement, otherwise a `NetlinkError` with
    /// the positive errno and the extended-ACK text if present.
    static func errorResult(of m: NetlinkMessage) throws(XMapError) -> NetlinkError? {
        guard let raw = u32(m.payload, 0) else {
            throw XMapError("malformed netlink reply: error message of \(m.payload.count) bytes")
        }
        let code = Int32(bitPattern: raw)
        if code == 0 { return nil }
        guard code < 0, code != Int32.min else {
            throw XMapError("malformed netlink reply: error code \(code) is not a negative errno")
        }
        return NetlinkError(code: -code, extendedMessage: extendedAckMessage(of: m))
    }

    /// NLMSGERR_ATTR_MSG from an NLMSG_ERROR that carries extended-ACK TLVs (best effort: a
    /// malformed TLV area yields nil rather than an error, the errno is what matters).
    static func extendedAckMessage(of m: NetlinkMessage) -> String? {
        guard m.flags & NetlinkConstant.fAckTLVs != 0 else { return nil }
        let hdr = NetlinkConstant.headerLength
        // struct nlmsgerr { int error; struct nlmsghdr msg; } then the request's payload unless capped.
        var start = 4 + hdr
        if m.flags & NetlinkConstant.fCapped == 0 {
            guard let original = u32(m.payload, 4), Int(original) >= hdr else { return nil }
            start = 4 + align(Int(original))
        }
        guard start <= m.payload.count,
            let attrs = try? attributes(in: m.payload, from: start)
        else { return nil }
        return attrs.first { $0.type == NetlinkConstant.errorAttributeMessage }.map(string(attribute:))
    }

    /// The error an NLMSG_DONE may carry (a dump that failed part-way), or nil.
    static func doneResult(of m: NetlinkMessage) -> NetlinkError? {
        guard let raw = u32(m.payload, 0) else { return nil }
        let code = Int32(bitPattern: raw)
        guard code < 0, code != Int32.min else { return nil }
        return NetlinkError(code: -code, extendedMessage: extendedAckMessage(of: m))
    }
}
