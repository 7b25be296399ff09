#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// ZMap's `--netmap-wait-ping ADDR`, on every backend: before the scan starts, send ADDR an ICMP
/// (or ICMPv6) echo request once a second until an echo reply to one of them comes back, so a
/// scan does not start into a link that is not up yet. Uses a raw ICMP socket of the kernel;
/// the netmap backend runs the same `loop` through its rings (`NetmapEchoWait`).
public enum EchoWait {
    /// Waits for an echo reply from `address`; gives up after `timeoutSeconds`.
    /// - Throws: `XMapError` when no reply came in time, or the socket cannot be used.
    public static func wait(for address: IPAddress, timeoutSeconds: Int = 60) throws {
        let v4 = address.family == .v4
        let fd: Int32
        do {
            fd = try Posix.syscall("socket(\(v4 ? "ICMP" : "ICMPv6"))") {
                system_socket(
                    v4 ? AF_INET : AF_INET6, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                    v4 ? Int32(IPPROTO_ICMP) : Int32(IPPROTO_ICMPV6))
            }
        } catch {
            throw XMapError("--netmap-wait-ping: \(error)")
        }
        defer { Posix.close(fd) }
        try loop(for: address, timeoutSeconds: timeoutSeconds) { identifier, sequence in
            try send(fd, to: address, identifier: identifier, sequence: sequence)
        } answered: { identifier, until in
            let left = Int32((until - min(until, Posix.monotonicNanos())) / 1_000_000)
            guard try Posix.wait(fd, for: Int16(POLLIN), timeoutMillis: max(1, left)) else { return false }
            return isReply(fd, from: address, identifier: identifier)
        }
    }

    /// The wait, whatever carries the packets: `send(identifier, sequence)` sends one echo
    /// request a second; `answered(identifier, until)` watches for a while (at most until the
    /// monotonic time `until`) and says whether the reply came.
    /// - Throws: `XMapError` after `timeoutSeconds` without a reply.
    public static func loop(
        for address: IPAddress, timeoutSeconds: Int, send: (UInt16, UInt16) throws -> Void,
        answered: (UInt16, UInt64) throws -> Bool
    ) throws {
        let identifier = UInt16(truncatingIfNeeded: SystemRandom.uint64())
        let deadline = Posix.monotonicNanos() + UInt64(timeoutSeconds) * 1_000_000_000
        var sequence: UInt16 = 0
        Log.info("waiting for an echo reply from \(address) before scanning (--netmap-wait-ping)")
        while Posix.monotonicNanos() < deadline {
            sequence &+= 1
            try send(identifier, sequence)
            let second = min(deadline, Posix.monotonicNanos() + 1_000_000_000)
            while Posix.monotonicNanos() < second {
                if try answered(identifier, second) {
                    Log.info("echo reply from \(address): starting the scan")
                    return
                }
            }
        }
        throw XMapError("--netmap-wait-ping: no echo reply from \(address) within \(timeoutSeconds) seconds")
    }

    static func send(_ fd: Int32, to address: IPAddress, identifier: UInt16, sequence: UInt16) throws {
        let v4 = address.family == .v4
        var message: [UInt8] =
            [
                v4 ? 8 : 128, 0, 0, 0, UInt8(identifier >> 8), UInt8(identifier & 0xFF),
                UInt8(sequence >> 8), UInt8(sequence & 0xFF)
            ] + Array("xmap-wait".utf8)
        if v4 {  // The kernel sums ICMPv6 itself.
            let sum = message.withUnsafeBytes { Checksum.finish(Checksum.add($0.baseAddress!, count: $0.count)) }
            message[2] = UInt8(sum >> 8)
            message[3] = UInt8(sum & 0xFF)
        }
        var storage = sockaddr_storage()
        let length = withUnsafeMutableBytes(of: &storage) { raw -> socklen_t in
            let bytes = address.bytes
            if v4 {
                var sa = sockaddr_in()
                sa.sin_family = sa_family_t(AF_INET)
                withUnsafeMutableBytes(of: &sa.sin_addr) { $0.copyBytes(from: bytes) }
                raw.storeBytes(of: sa, as: sockaddr_in.self)
                return socklen_t(MemoryLayout<sockaddr_in>.size)
            }
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            withUnsafeMutableBytes(of: &sa.sin6_addr) { $0.copyBytes(from: bytes) }
            raw.storeBytes(of: sa, as: sockaddr_in6.self)
            return socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        let result = message.withUnsafeBytes { m in
            withUnsafePointer(to: &storage) { s in
                s.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    Posix.attempt("sendto") { system_sendto(fd, m.baseAddress, m.count, 0, sa, length) }
                }
            }
        }
        // No route yet, or the link is down: keep waiting, as ZMap does.
        if case .failure(let e) = result { Log.debug("--netmap-wait-ping: \(e)") }
    }

    /// Reads one message; true when it is the echo reply we wait for.
    static func isReply(_ fd: Int32, from address: IPAddress, identifier: UInt16) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1500)
        var from = sockaddr_storage()
        var fromLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let n = buffer.withUnsafeMutableBytes { b in
            withUnsafeMutablePointer(to: &from) { f in
                f.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    // Nothing there yet (EAGAIN) or a failed read: not the reply.
                    (try? Posix.syscall("recvfrom") {
                        system_recvfrom(fd, b.baseAddress, b.count, Int32(MSG_DONTWAIT), sa, &fromLength)
                    }) ?? -1
                }
            }
        }
        guard n > 0 else { return false }
        let source = withUnsafeBytes(of: &from) { raw -> UInt128 in
            let sa = raw.load(as: sockaddr_in6.self)
            return withUnsafeBytes(of: sa.sin6_addr) { IPAddress(family: .v6, bytes: $0).value }
        }
        return buffer.withUnsafeBytes { bytes in
            let packet = ReplyPacket(UnsafeRawBufferPointer(rebasing: bytes[0..<n]))
            if address.family == .v4 {  // A raw IPv4 socket delivers the IP header too.
                guard let h = IPHeaderView(packet, family: .v4), h.source == address.value, h.proto == IPProtocol.icmp
                else { return false }
                return packet.u8(h.payloadOffset) == 0 && packet.u16(h.payloadOffset + 4) == identifier
            }
            return source == address.value && packet.u8(0) == 129 && packet.u16(4) == identifier
        }
    }
}
