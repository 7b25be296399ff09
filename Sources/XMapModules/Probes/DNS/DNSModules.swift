import XMapCore

/// One module of XMap's DNS family: a name, a family and a `DNSBehavior`.
public protocol DNSVariant: Sendable {
    static var name: String { get }
    static var family: IPFamily { get }
    static var behavior: DNSBehavior { get }
}

/// A DNS probe module, specialised for its variant (so the send and receive loops stay static).
public struct DNSProbe<V: DNSVariant>: CoreBackedProbe {
    public static var name: String { V.name }
    public static var family: IPFamily { V.family }
    public static var usesPorts: Bool { true }
    public static var needsDynamicOutput: Bool { true }
    /// Every DNS module but the legacy `dns` seeds a random stream per thread (XMap's order).
    public static var drawsThreadSeed: Bool { !V.behavior.legacy }
    public static var sendsFollowUps: Bool { V.behavior.followUp != .none }
    /// A resolver is asked again at most once per question: repeats get no follow-up.
    public static var followsUpRepeats: Bool { false }
    public static var helpText: String { DNSHelp.text(name: V.name, behavior: V.behavior) }
    public typealias ThreadState = AESRandom
    public let core: DNSCore

    public init(settings: ProbeSettings) throws {
        core = try DNSCore(family: V.family, behavior: V.behavior, module: V.name, settings: settings)
    }

    public var pcapFilter: String { V.family == .v4 ? "udp || icmp" : "ip6 proto 17 || icmp6" }
    public var snaplen: Int { 1500 }
    public var targetIndexCount: Int? { V.behavior.legacy ? nil : core.questionCount }
    public var dryRunSeparator: String { core.dryRunSeparator }
    public var startWarning: String? {
        guard V.behavior.spoofed else { return nil }
        return "spoofed source: each query goes to a -S resolver with a scanned address as its source, so the resolvers answer the scanned addresses, not this host (expect no results here)"
    }
    public static func informationText(forProbeArgs args: String) -> String? {
        args == "icmp-type-code-str" ? ICMPStrings.table(family: V.family) : nil
    }
    public func followUp(_ p: ReplyPacket, header h: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int {
        core.followUp(p, header: h, into: buffer)
    }
}

// IPv4, in XMap's listing order.
public enum DNS4: DNSVariant { public static let name = "dns", family = IPFamily.v4, behavior = DNSBehavior.zmap }
public enum DNSR4: DNSVariant { public static let name = "dnsr", family = IPFamily.v4, behavior = DNSBehavior.r }
public enum DNSX4: DNSVariant { public static let name = "dnsx", family = IPFamily.v4, behavior = DNSBehavior.x }
public enum DNSF4: DNSVariant { public static let name = "dnsf", family = IPFamily.v4, behavior = DNSBehavior.f }
public enum DNSZ4: DNSVariant { public static let name = "dnsz", family = IPFamily.v4, behavior = DNSBehavior.z }
public enum DNSS4: DNSVariant { public static let name = "dnss", family = IPFamily.v4, behavior = DNSBehavior.s }
public enum DNSV4: DNSVariant { public static let name = "dnsv", family = IPFamily.v4, behavior = DNSBehavior.v }
public enum DNSA4: DNSVariant { public static let name = "dnsa", family = IPFamily.v4, behavior = DNSBehavior.a }
public enum DNSAE4: DNSVariant { public static let name = "dnsae", family = IPFamily.v4, behavior = DNSBehavior.ae }
public enum DNSAN4: DNSVariant { public static let name = "dnsan", family = IPFamily.v4, behavior = DNSBehavior.an }
public enum DNSANE4: DNSVariant { public static let name = "dnsane", family = IPFamily.v4, behavior = DNSBehavior.ane }
public enum DNSANE164: DNSVariant { public static let name = "dnsane16", family = IPFamily.v4, behavior = DNSBehavior.ane16 }
public enum DNSAI4: DNSVariant { public static let name = "dnsai", family = IPFamily.v4, behavior = DNSBehavior.ai }
public enum DNSAIE4: DNSVariant { public static let name = "dnsaie", family = IPFamily.v4, behavior = DNSBehavior.aie }
public enum DNSAP4: DNSVariant { public static let name = "dnsap", family = IPFamily.v4, behavior = DNSBehavior.ap }
public enum DNSAPE4: DNSVariant { public static let name = "dnsape", family = IPFamily.v4, behavior = DNSBehavior.ape }
public enum DNSAF4: DNSVariant { public static let name = "dnsaf", family = IPFamily.v4, behavior = DNSBehavior.af }
public enum DNSAFE4: DNSVariant { public static let name = "dnsafe", family = IPFamily.v4, behavior = DNSBehavior.afe }

// IPv6, in XMap's listing order (`dnsafe` is spoofed here too; XMap's is not, by mistake).
public enum DNSX6: DNSVariant { public static let name = "dnsx", family = IPFamily.v6, behavior = DNSBehavior.x }
public enum DNSA6: DNSVariant { public static let name = "dnsa", family = IPFamily.v6, behavior = DNSBehavior.a }
public enum DNSAE6: DNSVariant { public static let name = "dnsae", family = IPFamily.v6, behavior = DNSBehavior.ae }
public enum DNSAN6: DNSVariant { public static let name = "dnsan", family = IPFamily.v6, behavior = DNSBehavior.an }
public enum DNSANE6: DNSVariant { public static let name = "dnsane", family = IPFamily.v6, behavior = DNSBehavior.ane }
public enum DNSANE166: DNSVariant { public static let name = "dnsane16", family = IPFamily.v6, behavior = DNSBehavior.ane16 }
public enum DNSAI6: DNSVariant { public static let name = "dnsai", family = IPFamily.v6, behavior = DNSBehavior.ai }
public enum DNSAIE6: DNSVariant { public static let name = "dnsaie", family = IPFamily.v6, behavior = DNSBehavior.aie }
public enum DNSAP6: DNSVariant { public static let name = "dnsap", family = IPFamily.v6, behavior = DNSBehavior.ap }
public enum DNSAPE6: DNSVariant { public static let name = "dnsape", family = IPFamily.v6, behavior = DNSBehavior.ape }
public enum DNSAF6: DNSVariant { public static let name = "dnsaf", family = IPFamily.v6, behavior = DNSBehavior.af }
public enum DNSAFE6: DNSVariant { public static let name = "dnsafe", family = IPFamily.v6, behavior = DNSBehavior.afe }
