import XMapCore

/// What one module of XMap's DNS family does differently from the others. Every DNS module is
/// the same codec and the same probe core; a module is one of these values plus a name.
public struct DNSBehavior: Sendable {
    /// Query types `--probe-args` may name.
    public enum TypeSet: Sendable {
        /// XMap's 10 classic types (`dns`, `dnsf`, `dnss`, `dnsv`, `dnsr`, `dnsz`).
        case classic
        /// The 19 types of the x/a modules.
        case extended
        /// The 19 plus OPT (the EDNS0 `e` modules).
        case extendedWithOPT

        public var names: [String] {
            let classic = ["A", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "AAAA", "RRSIG", "ANY"]
            let extended = classic + ["SIG", "SRV", "DS", "DNSKEY", "TLSA", "SVCB", "HTTPS", "CAA", "HTTPSSVC"]
            switch self {
            case .classic: return classic
            case .extended: return extended
            case .extendedWithOPT: return extended + ["OPT"]
            }
        }
    }

    /// The answer some replies get from the receive side.
    public enum FollowUp: Sendable, Equatable {
        case none
        /// `dnsr`: a NOERROR answer to a question that is not NS is followed by a
        /// non-recursive NS query for the same name.
        case nameServers
        /// `dnsz`: a NOERROR answer from any address but `final` is followed by the same query
        /// again (once per resolver and question).
        case sameQuery
    }

    /// Whether the source port moves with the probe number (`first + (base + p) mod n`).
    public var sourcePortPerProbe = true
    /// Whether the transaction ID moves with the probe number (`base + p`).
    public var transactionIDPerProbe = false
    /// The EDNS0 record every query carries, if any.
    public var opt: DNSQuery.OPTRecord? = nil
    /// QCLASS: 1 (IN), or 3 (CHAOS) for `dnsv`.
    public var queryClass: UInt16 = 1
    /// Spoofed source: the scanned address is the IP source and the `-S` addresses are the
    /// destinations (the resolvers).
    public var spoofed = false
    /// How a `time`, `random` or `dst-ip` label joins the name: `-` makes it part of the first
    /// label, `.` a label of its own.
    public var labelJoin: UInt8 = UInt8(ascii: "-")
    /// Letters of a `random` label.
    public var randomLabelLength = 8
    /// Whether the `dst-ip` label exists, and whether it is `dnsf`'s long form.
    public var destinationLabel = true
    public var longDestinationLabel = false
    public var types = TypeSet.extended
    public var followUp = FollowUp.none
    /// Whether NXDOMAIN counts as `app_success` (`dnsr`, `dnsz`).
    public var nameErrorIsAppSuccess = false
    /// XMap's ZMap-era `dns` module: questions chosen by probe number, no labels.
    public var legacy = false

    /// The `e` modules' dry run also prints the OPT record, and a longer separator.
    public var printsAdditionalRecords: Bool { opt != nil && !opt!.dnssecOK }

    static let edns = DNSQuery.OPTRecord(udpPayloadSize: 4096)

    public static let x = DNSBehavior()
    public static let a = DNSBehavior(transactionIDPerProbe: true)
    public static let ae = DNSBehavior(transactionIDPerProbe: true, opt: edns, types: .extendedWithOPT)
    public static let an = DNSBehavior(sourcePortPerProbe: false)
    public static let ane = DNSBehavior(sourcePortPerProbe: false, opt: edns, types: .extendedWithOPT)
    public static let ane16 = DNSBehavior(
        sourcePortPerProbe: false, opt: DNSQuery.OPTRecord(udpPayloadSize: 65535),
        types: .extendedWithOPT)
    public static let ai = DNSBehavior(sourcePortPerProbe: false, transactionIDPerProbe: true)
    public static let aie = DNSBehavior(
        sourcePortPerProbe: false, transactionIDPerProbe: true, opt: edns,
        types: .extendedWithOPT)
    public static let ap = DNSBehavior()
    public static let ape = DNSBehavior(opt: edns, types: .extendedWithOPT)
    public static let af = DNSBehavior(transactionIDPerProbe: true, spoofed: true)
    public static let afe = DNSBehavior(transactionIDPerProbe: true, opt: edns, spoofed: true, types: .extendedWithOPT)
    public static let f = DNSBehavior(
        spoofed: true, labelJoin: UInt8(ascii: "."), longDestinationLabel: true,
        types: .classic)
    public static let s = DNSBehavior(opt: DNSQuery.OPTRecord(udpPayloadSize: 4096, dnssecOK: true), types: .classic)
    public static let v = DNSBehavior(queryClass: 3, types: .classic)
    public static let r = DNSBehavior(
        labelJoin: UInt8(ascii: "."), randomLabelLength: 17, destinationLabel: false,
        types: .classic, followUp: .nameServers, nameErrorIsAppSuccess: true)
    public static let z = DNSBehavior(
        labelJoin: UInt8(ascii: "."), randomLabelLength: 17, destinationLabel: false,
        types: .classic, followUp: .sameQuery, nameErrorIsAppSuccess: true)
    public static let zmap = DNSBehavior(types: .classic, legacy: true)
}
