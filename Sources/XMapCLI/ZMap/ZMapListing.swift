import XMapEngine
import XMapModules

/// `zmap --list-probe-modules` and `--list-output-modules`: ZMap's names first, in ZMap's order,
/// then the modules xmap adds (IPv4 only: the zmap personality scans IPv4).
enum ZMapListing {
    /// ZMap 4.3's probe modules, in its order.
    static let zmapProbeModules = [
        "tcp_synscan", "tcp_synackscan", "icmp_echoscan", "icmp_echo_time", "udp", "ntp",
        "upnp", "dns", "bacnet", "ipip"
    ]

    static var probeModules: String {
        let xmapNames = Set(ZMapModuleNames.xmapNames(of: zmapProbeModules))
        let more = ProbeCatalog.entries(.v4).map(\.name).filter { !xmapNames.contains($0) }
        return (zmapProbeModules + more).joined(separator: "\n") + "\n"
    }

    static var outputModules: String {
        OutputCatalog.modules.map { $0.name }.joined(separator: "\n") + "\n"
    }
}

/// ZMap's module names and the xmap modules they select.
enum ZMapModuleNames {
    /// The catalog names behind ZMap's names (the rest are the same).
    static func xmapNames(of names: [String]) -> [String] { names.map { ProbeCatalog.aliases[$0] ?? $0 } }
}
