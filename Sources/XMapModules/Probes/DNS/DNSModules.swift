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
/// `dns`: XMap's ZMap-era module: one question per probe, no labels (IPv4).
public enum DNS: DNSVariant { public static let name = "dns", families = [IPFamily.v4], behavior = DNSBehavior.zmap }
/// `dnsr`: recursion probing: a NOERROR answer is followed by a non-recursive NS query (IPv4).
public enum DNSR: DNSVariant { public static let name = "dnsr", families = [IPFamily.v4], behavior = DNSBehavior.r }
/// `dnsx`: the basic query of the x/a modules.
public enum DNSX: DNSVariant { public static let name = "dnsx", behavior = DNSBehavior.x }
/// `dnsf`: spoofed queries with a long dst-ip label (IPv4).
public enum DNSF: DNSVariant { public static let name = "dnsf", families = [IPFamily.v4], behavior = DNSBehavior.f }
/// `dnsz`: a NOERROR answer is followed by the same query again, unless it is from --dnsz-final (IPv4).
public enum DNSZ: DNSVariant { public static let name = "dnsz", families = [IPFamily.v4], behavior = DNSBehavior.z }
/// `dnss`: queries with the DO bit: DNSSEC records (IPv4).
public enum DNSS: DNSVariant { public static let name = "dnss", families = [IPFamily.v4], behavior = DNSBehavior.s }
/// `dnsv`: queries in class CHAOS (IPv4).
public enum DNSV: DNSVariant { public static let name = "dnsv", families = [IPFamily.v4], behavior = DNSBehavior.v }
/// `dnsa`: the transaction ID changes with each probe.
public enum DNSA: DNSVariant { public static let name = "dnsa", behavior = DNSBehavior.a }
/// `dnsae`: `dnsa` with EDNS0.
public enum DNSAE: DNSVariant { public static let name = "dnsae", behavior = DNSBehavior.ae }
/// `dnsan`: the same source port for every probe.
public enum DNSAN: DNSVariant { public static let name = "dnsan", behavior = DNSBehavior.an }
/// `dnsane`: `dnsan` with EDNS0.
public enum DNSANE: DNSVariant { public static let name = "dnsane", behavior = DNSBehavior.ane }
/// `dnsane16`: `dnsan` with EDNS0 and a 65535-byte UDP payload size.
public enum DNSANE16: DNSVariant { public static let name = "dnsane16", behavior = DNSBehavior.ane16 }
/// `dnsai`: the same source port, the transaction ID changing with each probe.
public enum DNSAI: DNSVariant { public static let name = "dnsai", behavior = DNSBehavior.ai }
/// `dnsaie`: `dnsai` with EDNS0.
public enum DNSAIE: DNSVariant { public static let name = "dnsaie", behavior = DNSBehavior.aie }
/// `dnsap`: the source port changes with each probe.
public enum DNSAP: DNSVariant { public static let name = "dnsap", behavior = DNSBehavior.ap }
/// `dnsape`: `dnsap` with EDNS0.
public enum DNSAPE: DNSVariant { public static let name = "dnsape", behavior = DNSBehavior.ape }
/// `dnsaf`: spoofed queries, the transaction ID changing with each probe.
public enum DNSAF: DNSVariant { public static let name = "dnsaf", behavior = DNSBehavior.af }
/// `dnsafe`: `dnsaf` with EDNS0.
public enum DNSAFE: DNSVariant { public static let name = "dnsafe", behavior = DNSBehavior.afe }
