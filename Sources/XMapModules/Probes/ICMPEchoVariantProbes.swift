import XMapCore

/// `icmp_echo_gw` (IPv6 only): the same echo requests as `icmp_echo`, for discovering the
/// network periphery: a validated ICMPv6 error (from the last-hop router) is the success and
/// an echo reply is not. Each router is reported once (`outersaddr`), for the first target
/// that triggered it.
public struct ICMPEchoGatewayProbe6: CoreBackedProbe {
    public static let name = "icmp_echo_gw"
    public static let family = IPFamily.v6
    public static let usesPorts = false
    public static let helpText = "Probe module that sends ICMPv6 echo requests to hosts to discover the network periphery: ICMPv6 errors (e.g. address unreachable from the last-hop router) count as success. Use with --iid-module=low_fill. Payloads as for icmp_echo (--probe-args=file:, text:, hex:)."
    public let core: ICMPEchoCore

    public init(settings: ProbeSettings) throws { core = try ICMPEchoCore(family: .v6, settings: settings, variant: .gateway) }
    public var pcapFilter: String { ICMPEchoProbe6.filter }
    public var snaplen: Int { EthernetHeader.length + 2 * (40 + 8) + core.payload.count }
    public static func informationText(forProbeArgs args: String) -> String? { ICMPEchoProbe6.informationText(forProbeArgs: args) }
}

/// `icmp_echo_tmxd` (IPv6 only): echo requests with hop limit `--probe-ttl − probe number`, for
/// detecting routing loops: a Time Exceeded is the success. Replies are told apart by source and
/// ICMPv6 type.
public struct ICMPEchoTimeExceededProbe6: CoreBackedProbe {
    public static let name = "icmp_echo_tmxd"
    public static let family = IPFamily.v6
    public static let usesPorts = false
    public static let helpText = "Probe module that sends ICMPv6 echo requests with a hop limit of --probe-ttl minus the probe number, to detect routing loops: Time Exceeded replies count as success. Use with --iid-module=rand --iid-num=2 --probe-ttl=64 --probes=2."
    public let core: ICMPEchoCore

    public init(settings: ProbeSettings) throws {
        core = try ICMPEchoCore(family: .v6, settings: settings, variant: .timeExceeded)
    }
    public var pcapFilter: String { ICMPEchoProbe6.filter }
    public var snaplen: Int { EthernetHeader.length + 2 * (40 + 8) + core.payload.count }
    public static func informationText(forProbeArgs args: String) -> String? { ICMPEchoProbe6.informationText(forProbeArgs: args) }
}
