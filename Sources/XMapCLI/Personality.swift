/// Whose command line, defaults and formats a run follows: XMap 2.0.2's (`xmap`) or ZMap 4.3's
/// (the binary invoked as `zmap`). The engine is the same; the personality picks defaults,
/// names, the dry-run text, log and status lines and the metadata document.
enum Personality: Sendable {
    case xmap, zmap

    /// The name in log lines and messages.
    var program: String { self == .xmap ? "xmap" : "zmap" }

    /// The probe module without `-M`.
    var defaultProbeModule: String { self == .xmap ? "icmp_echo" : "tcp_synscan" }
    /// Packets per second without `-R`/`-r` or `-B`.
    var defaultRate: Int { self == .xmap ? 1 : 10_000 }
    /// Seconds of receiving after the last probe.
    var defaultCooldown: Int { self == .xmap ? 5 : 8 }
    /// Send attempts per batch.
    var defaultRetries: Int { self == .xmap ? 1 : 10 }
    /// IPv4 TTL / IPv6 hop limit.
    var defaultTTL: Int { self == .xmap ? 255 : 64 }
    /// The config file read when it exists (or named with `-C`).
    var defaultConfigPath: String { self == .xmap ? "/etc/xmap/xmap.conf" : "/etc/zmap/zmap.conf" }
}
