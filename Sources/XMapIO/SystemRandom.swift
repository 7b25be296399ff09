#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux

/// Random bytes from the kernel: `getrandom(2)`, which needs no file (a chroot or a private
/// `/dev` without `urandom` is fine), and `/dev/urandom` if that system call is missing.
public enum SystemRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { system_getrandom($0.baseAddress! + got, UInt(count - got)) }
            if n > 0 { got += n; continue }
            if n < 0 && errno == EINTR { continue }
            return fromDevice(count)
        }
        return out
    }

    static func fromDevice(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        do {
            let fd = try Posix.open("/dev/urandom", O_RDONLY)
            defer { Posix.close(fd) }
            var got = 0
            while got < count {
                let n = try out.withUnsafeMutableBytes { (b) throws(SystemError) -> Int in
                    try Posix.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: b[got...]))
                }
                guard n > 0 else { fatalError("/dev/urandom returned no data") }
                got += n
            }
        } catch {
            fatalError("the kernel's random source failed: \(error)")
        }
        return out
    }

    public static func uint64() -> UInt64 { bytes(8).reduce(0) { $0 << 8 | UInt64($1) } }
}
