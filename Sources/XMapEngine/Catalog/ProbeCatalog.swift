import XMapCore
import XMapModules

/// Every probe module xmap has. Listing (`--list-probe-modules`), lookup (`-M`), module help and
/// the engine's specialised send and receive loops all come from this one list, so adding a
/// probe module is its file plus one line here. Per family, the order is XMap's listing order.
public enum ProbeCatalog {
    public static let entries: [ProbeModuleEntry] = [
        ProbeModuleEntry(UDPProbe6.self),
        ProbeModuleEntry(DNSProbe<DNSX6>.self),
        ProbeModuleEntry(DNSProbe<DNSA6>.self),
        ProbeModuleEntry(DNSProbe<DNSAE6>.self),
        ProbeModuleEntry(DNSProbe<DNSAN6>.self),
        ProbeModuleEntry(DNSProbe<DNSANE6>.self),
        ProbeModuleEntry(DNSProbe<DNSANE166>.self),
        ProbeModuleEntry(DNSProbe<DNSAI6>.self),
        ProbeModuleEntry(DNSProbe<DNSAIE6>.self),
        ProbeModuleEntry(DNSProbe<DNSAP6>.self),
        ProbeModuleEntry(DNSProbe<DNSAPE6>.self),
        ProbeModuleEntry(DNSProbe<DNSAF6>.self),
        ProbeModuleEntry(DNSProbe<DNSAFE6>.self),
        ProbeModuleEntry(UDPProbe4.self),
        ProbeModuleEntry(DNSProbe<DNS4>.self),
        ProbeModuleEntry(DNSProbe<DNSR4>.self),
        ProbeModuleEntry(DNSProbe<DNSX4>.self),
        ProbeModuleEntry(DNSProbe<DNSF4>.self),
        ProbeModuleEntry(DNSProbe<DNSZ4>.self),
        ProbeModuleEntry(DNSProbe<DNSS4>.self),
        ProbeModuleEntry(DNSProbe<DNSV4>.self),
        ProbeModuleEntry(DNSProbe<DNSA4>.self),
        ProbeModuleEntry(DNSProbe<DNSAE4>.self),
        ProbeModuleEntry(DNSProbe<DNSAN4>.self),
        ProbeModuleEntry(DNSProbe<DNSANE4>.self),
        ProbeModuleEntry(DNSProbe<DNSANE164>.self),
        ProbeModuleEntry(DNSProbe<DNSAI4>.self),
        ProbeModuleEntry(DNSProbe<DNSAIE4>.self),
        ProbeModuleEntry(DNSProbe<DNSAP4>.self),
        ProbeModuleEntry(DNSProbe<DNSAPE4>.self),
        ProbeModuleEntry(DNSProbe<DNSAF4>.self),
        ProbeModuleEntry(DNSProbe<DNSAFE4>.self),
        ProbeModuleEntry(TCPScanProbe4.self),
        ProbeModuleEntry(TCPSynProbe6.self),
        ProbeModuleEntry(TCPSynProbe4.self),
        ProbeModuleEntry(ICMPEchoProbe6.self),
        ProbeModuleEntry(ICMPEchoProbe4.self),
        ProbeModuleEntry(ICMPEchoGatewayProbe6.self),
        ProbeModuleEntry(ICMPEchoTimeExceededProbe6.self),
        // ZMap's modules that XMap lacks, after XMap's own.
        ProbeModuleEntry(TCPSynAckProbe6.self),
        ProbeModuleEntry(ICMPEchoTimeProbe6.self),
        ProbeModuleEntry(UDPServiceProbe<NTP6>.self),
        ProbeModuleEntry(UDPServiceProbe<UPnP6>.self),
        ProbeModuleEntry(UDPServiceProbe<BACnet6>.self),
        ProbeModuleEntry(NDProbe.self),   // xmap's LAN discovery, last
        ProbeModuleEntry(TCPSynAckProbe4.self),
        ProbeModuleEntry(ICMPEchoTimeProbe4.self),
        ProbeModuleEntry(UDPServiceProbe<NTP4>.self),
        ProbeModuleEntry(UDPServiceProbe<UPnP4>.self),
        ProbeModuleEntry(UDPServiceProbe<BACnet4>.self),
        ProbeModuleEntry(IPIPProbe4.self),
        ProbeModuleEntry(ARPProbe.self),   // xmap's LAN discovery, last
    ]

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
