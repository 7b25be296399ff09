#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux
import Synchronization
import XMapCore

/// Log levels as XMap numbers them for `-v` (0 fatal … 5 trace).
public enum LogLevel: Int, Sendable, Comparable {
    case fatal = 0, error, warn, info, debug, trace

    var label: String { ["FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"][rawValue] }
    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// XMap-style log lines on stderr (or a log file): `Nov 23 11:11:11.123 [INFO] xmap: message`.
public enum Log {
    private static let state = Mutex<(level: LogLevel, fd: Int32, syslog: Bool)>((.info, 2, false))

    /// Sets the verbosity and destination (fd 2 unless a log file was opened).
    public static func configure(level: LogLevel, fd: Int32 = 2) {
        state.withLock {
            $0.level = level; $0.fd = fd
        }
    }

    private static let programName = Mutex("xmap")

    /// The name of the tool in log lines (`xmap`, or `zmap` for the ZMap personality): the
    /// module of messages that name none.
    public static var program: String {
        get { programName.withLock { $0 } }
        set { programName.withLock { $0 = newValue } }
    }

    /// The descriptor log lines go to.
    public static var destination: Int32 { state.withLock { $0.fd } }

    /// Also sends every line that passes the level to syslog (ident `xmap`, or the companion
    /// tool's name; facility user), as XMap does unless `--disable-syslog` is given.
    public static func enableSyslog(ident: String? = nil) {
        system_openlog(ident ?? program)
        state.withLock { $0.syslog = true }
    }

    /// Whether a message of `level` would be written (to skip building costly messages).
    public static func isEnabled(_ level: LogLevel) -> Bool { state.withLock { level <= $0.level } }

    public static func log(_ level: LogLevel, _ module: String, _ message: String) {
        let (current, fd, toSyslog) = state.withLock { ($0.level, $0.fd, $0.syslog) }
        guard level <= current else { return }
        let line = timestamp() + " [\(level.label)] \(module): \(message)\n"
        let bytes = Array(line.utf8)
        state.withLock { _ in bytes.withUnsafeBytes { try? Posix.writeAll(fd, $0) } }
        if toSyslog { system_syslog(Int32(level.rawValue), module + ": " + message) }
    }

    public static func info(_ m: String, module: String = Log.program) { log(.info, module, m) }
    public static func warn(_ m: String, module: String = Log.program) { log(.warn, module, m) }
    public static func debug(_ m: String, module: String = Log.program) { log(.debug, module, m) }
    public static func error(_ m: String, module: String = Log.program) { log(.error, module, m) }

    /// `%b %d %H:%M:%S.%03ld` in local time.
    static func timestamp() -> String {
        let (sec, usec) = Posix.wallClock()
        var t = time_t(sec)
        var tmv = tm()
        localtime_r(&t, &tmv)
        var buf = [CChar](repeating: 0, count: 64)
        let n = strftime(&buf, 64, "%b %d %H:%M:%S", &tmv)
        let ms = usec / 1000
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) + "." + msText
    }

    /// Local time formatted with strftime, e.g. `%Y-%m-%d %H:%M:%S`.
    public static func localTime(_ format: String, seconds: Int) -> String {
        var t = time_t(seconds)
        var tmv = tm()
        localtime_r(&t, &tmv)
        var buf = [CChar](repeating: 0, count: 128)
        let n = strftime(&buf, 128, format, &tmv)
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Local time as XMap's `timestamp_str`: `%Y-%m-%dT%H:%M:%S.%03d%z`.
    public static func isoTimestamp(seconds: Int, micros: Int) -> String {
        var t = time_t(seconds)
        var tmv = tm()
        localtime_r(&t, &tmv)
        var a = [CChar](repeating: 0, count: 64), b = [CChar](repeating: 0, count: 16)
        let n = strftime(&a, 64, "%Y-%m-%dT%H:%M:%S", &tmv)
        let m = strftime(&b, 16, "%z", &tmv)
        let ms = micros / 1000
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return String(decoding: a[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) + "." + msText
            + String(decoding: b[0..<m].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Writes a line to stderr directly (status lines, fatal errors).
public func writeStderr(_ s: String) {
    let bytes = Array(s.utf8)
    bytes.withUnsafeBytes { try? Posix.writeAll(2, $0) }
}

/// Writes to stdout directly (dry-run packets, lists).
public func writeStdout(_ s: String) {
    let bytes = Array(s.utf8)
    bytes.withUnsafeBytes { try? Posix.writeAll(1, $0) }
}
