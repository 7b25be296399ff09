import XMapCore

/// One module of XMap's DNS family: a name, its families and a `DNSBehavior`.
public protocol DNSVariant: Sendable {
    static var name: String { get }
    /// IPv4 has every DNS module; IPv6 has the x/a modules (XMap's lists).
    static var families: [IPFamily] { get }
    static var behavior: DNSBehavior { get }
}

extension DNSVariant {
    public static var families: [IPFamily] { [.v6, .v4] }
}

/// A DNS probe module: `DNSCore` with a variant's behavior (specialised for the variant, so the
/// send and receive loops stay static).
public enum DNSProbe<V: DNSVariant>: ProbeDefinition {
    public static var name: String { V.name }
    public static var families: [IPFamily] { V.families }
    public static var usesPorts: Bool { true }
    public static var needsDynamicOutput: Bool { true }
    /// Every DNS module but the legacy `dns` seeds a random stream per thread (XMap's order).
    public static var drawsThreadSeed: Bool { !V.behavior.legacy }
    public static var sendsFollowUps: Bool { V.behavior.followUp != .none }
    /// A resolver is asked again at most once per question: repeats get no follow-up.
    public static var followsUpRepeats: Bool { false }
    /// `dnsz` owns `--dnsz-final`.
    public static var options: [ProbeOptionDeclaration] {
        V.behavior.followUp == .sameQuery ? [DNSCore.finalAddressOption.declaration] : []
    }

    public static func helpText(for family: IPFamily) -> String { DNSHelp.text(name: V.name, behavior: V.behavior) }

    public static func informationText(forProbeArgs args: String, family: IPFamily) -> String? {
        args == "icmp-type-code-str" ? ICMPStrings.table(family: family) : nil
    }

    public static func makeCore(family: IPFamily, settings: ProbeSettings) throws -> DNSCore {
        try DNSCore(family: family, behavior: V.behavior, module: V.name, settings: settings)
    }
}

// In XMap's listing order; the IPv4-only modules say so (`dnsafe` is spoofed over IPv6 too;
// XMap's is not, by mistake).
public enum DNS: DNSVariant { public static let name = "dns", families = [IPFamily.v4], behavior = DNSBehavior.zmap }
public enum DNSR: DNSVariant { public static let name = "dnsr", families = [IPFamily.v4], behavior = DNSBehavior.r }
public enum DNSX: DNSVariant { public static let name = "dnsx", behavior = DNSBehavior.x }
public enum DNSF: DNSVariant { public static let name = "dnsf", families = [IPFamily.v4], behavior = DNSBehavior.f }
public enum DNSZ: DNSVariant { public static let name = "dnsz", families = [IPFamily.v4], behavior = DNSBehavior.z }
public enum DNSS: DNSVariant { public static let name = "dnss", families = [IPFamily.v4], behavior = DNSBehavior.s }
public enum DNSV: DNSVariant { public static let name = "dnsv", families = [IPFamily.v4], behavior = DNSBehavior.v }
public enum DNSA: DNSVariant { public static let name = "dnsa", behavior = DNSBehavior.a }
public enum DNSAE: DNSVariant { public static let name = "dnsae", behavior = DNSBehavior.ae }
public enum DNSAN: DNSVariant { public static let name = "dnsan", behavior = DNSBehavior.an }
public enum DNSANE: DNSVariant { public static let name = "dnsane", behavior = DNSBehavior.ane }
public enum DNSANE16: DNSVariant { public static let name = "dnsane16", behavior = DNSBehavior.ane16 }
public enum DNSAI: DNSVariant { public static let name = "dnsai", behavior = DNSBehavior.ai }
public enum DNSAIE: DNSVariant { public static let name = "dnsaie", behavior = DNSBehavior.aie }
public enum DNSAP: DNSVariant { public static let name = "dnsap", behavior = DNSBehavior.ap }
public enum DNSAPE: DNSVariant { public static let name = "dnsape", behavior = DNSBehavior.ape }
public enum DNSAF: DNSVariant { public static let name = "dnsaf", behavior = DNSBehavior.af }
public enum DNSAFE: DNSVariant { public static let name = "dnsafe", behavior = DNSBehavior.afe }
