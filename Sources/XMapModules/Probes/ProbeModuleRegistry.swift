import XMapCore

/// Every probe module, per family, in listing order.
public enum ProbeModuleRegistry {
    public static let ipv6: [any ProbeModule.Type] = [UDPProbe6.self, TCPSynProbe6.self, ICMPEchoProbe6.self,
                                                      ICMPEchoGatewayProbe6.self, ICMPEchoTimeExceededProbe6.self]
    public static let ipv4: [any ProbeModule.Type] = [UDPProbe4.self, TCPScanProbe4.self, TCPSynProbe4.self, ICMPEchoProbe4.self]

    /// The module named `name` for `family` (`default` means `icmp_echo`).
    public static func module(named name: String, family: IPFamily) -> (any ProbeModule.Type)? {
        let n = name == "default" ? "icmp_echo" : name
        return (family == .v4 ? ipv4 : ipv6).first { $0.name == n }
    }

    /// `--list-probe-modules` output.
    public static var listing: String {
        "Probe-modules (IPv6):\n" + ipv6.map { $0.name }.joined(separator: "\n")
            + "\n\nProbe-modules (IPv4):\n" + ipv4.map { $0.name }.joined(separator: "\n") + "\n"
    }
}
