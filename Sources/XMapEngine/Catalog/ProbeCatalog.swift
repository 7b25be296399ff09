import XMapCore
import XMapModules

/// Every probe module xmap has. Listing (`--list-probe-modules`), lookup (`-M`), module help,
/// the module-owned options, the fuzz targets and the engine's specialised send and receive
/// loops all come from this one list, so adding a probe module is its file plus one line here.
public enum ProbeCatalog {
    /// One line per module, registering it for each of its families, in XMap's listing order
    /// (each family's order is this order with the other family's modules left out).
    static let modules: [[ProbeModuleEntry]] = [
        ProbeModuleEntry.module(UDPProbe.self),
        ProbeModuleEntry.module(DNSProbe<DNS>.self),
        ProbeModuleEntry.module(DNSProbe<DNSR>.self),
        ProbeModuleEntry.module(DNSProbe<DNSX>.self),
        ProbeModuleEntry.module(DNSProbe<DNSF>.self),
        ProbeModuleEntry.module(DNSProbe<DNSZ>.self),
        ProbeModuleEntry.module(DNSProbe<DNSS>.self),
        ProbeModuleEntry.module(DNSProbe<DNSV>.self),
        ProbeModuleEntry.module(DNSProbe<DNSA>.self),
        ProbeModuleEntry.module(DNSProbe<DNSAE>.self),
        ProbeModuleEntry.module(DNSProbe<DNSAN>.self),
        ProbeModuleEntry.module(DNSProbe<DNSANE>.self),
        ProbeModuleEntry.module(DNSProbe<DNSANE16>.self),
        ProbeModuleEntry.module(DNSProbe<DNSAI>.self),
        ProbeModuleEntry.module(DNSProbe<DNSAIE>.self),
        ProbeModuleEntry.module(DNSProbe<DNSAP>.self),
        ProbeModuleEntry.module(DNSProbe<DNSAPE>.self),
        ProbeModuleEntry.module(DNSProbe<DNSAF>.self),
        ProbeModuleEntry.module(DNSProbe<DNSAFE>.self),
        ProbeModuleEntry.module(TCPScanProbe.self),
        ProbeModuleEntry.module(TCPSynProbe.self),
        ProbeModuleEntry.module(ICMPEchoProbe.self),
        ProbeModuleEntry.module(ICMPEchoGatewayProbe.self),
        ProbeModuleEntry.module(ICMPEchoTimeExceededProbe.self),
        // ZMap's modules that XMap lacks, after XMap's own.
        ProbeModuleEntry.module(TCPSynAckProbe.self),
        ProbeModuleEntry.module(ICMPEchoTimeProbe.self),
        ProbeModuleEntry.module(UDPServiceProbe<NTPService>.self),
        ProbeModuleEntry.module(UDPServiceProbe<UPnPService>.self),
        ProbeModuleEntry.module(UDPServiceProbe<BACnetService>.self),
        ProbeModuleEntry.module(IPIPProbe.self),
        // xmap's LAN discovery, last.
        ProbeModuleEntry.module(NDProbe.self),
        ProbeModuleEntry.module(ARPProbe.self)
    ]

    /// Every probe module for every family: the IPv6 ones, then the IPv4 ones.
    public static let entries: [ProbeModuleEntry] = {
        let all = modules.joined()
        return all.filter { $0.family == .v6 } + all.filter { $0.family == .v4 }
    }()

    /// The command-line options that modules own (`--dnsz-final`), each once, in catalog order.
    public static let options: [ProbeOptionDeclaration] = {
        var seen: Set<String> = []
        return entries.flatMap(\.options).filter { seen.insert($0.name).inserted }
    }()

    /// ZMap's module names that name an xmap module.
    public static let aliases = ["tcp_synscan": "tcp_syn", "tcp_synackscan": "tcp_synack", "icmp_echoscan": "icmp_echo"]

    /// The modules of `family`, in listing order.
    public static func entries(_ family: IPFamily) -> [ProbeModuleEntry] { entries.filter { $0.family == family } }

    /// The module named `name` for `family` (`default` means `icmp_echo`; ZMap's names work too).
    public static func entry(named name: String, family: IPFamily) -> ProbeModuleEntry? {
        let n = name == "default" ? "icmp_echo" : aliases[name] ?? name
        return entries.first { $0.family == family && $0.name == n }
    }

    /// `--list-probe-modules` output.
    public static var listing: String {
        "Probe-modules (IPv6):\n" + entries(.v6).map(\.name).joined(separator: "\n")
            + "\nProbe-modules (IPv4):\n" + entries(.v4).map(\.name).joined(separator: "\n") + "\n"
    }
}
