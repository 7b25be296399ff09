import Testing
import XMapCore
import XMapModules
@testable import XMapEngine

/// The probe catalog is the one list of modules: listing, lookup, schemas and construction.
@Suite struct ProbeCatalogTests {
    @Test("listing order per family is XMap's")
    func listing() {
        #expect(
            ProbeCatalog.entries(.v6).map(\.name) == [
                "udp", "dnsx", "dnsa", "dnsae", "dnsan", "dnsane", "dnsane16", "dnsai",
                "dnsaie", "dnsap", "dnsape", "dnsaf", "dnsafe", "tcp_syn", "icmp_echo",
                "icmp_echo_gw", "icmp_echo_tmxd", "tcp_synack", "icmp_echo_time", "ntp", "upnp",
                "bacnet", "nd"
            ])
        #expect(
            ProbeCatalog.entries(.v4).map(\.name) == [
                "udp", "dns", "dnsr", "dnsx", "dnsf", "dnsz", "dnss", "dnsv", "dnsa",
                "dnsae", "dnsan", "dnsane", "dnsane16", "dnsai", "dnsaie", "dnsap",
                "dnsape", "dnsaf", "dnsafe", "tcp_scan", "tcp_syn", "icmp_echo",
                "tcp_synack", "icmp_echo_time", "ntp", "upnp", "bacnet",
                "ipip", "arp"
            ])
        #expect(ProbeCatalog.listing.hasPrefix("Probe-modules (IPv6):\nudp\n"))
    }

    @Test("names are unique per family; lookup by name and family; default is icmp_echo")
    func lookup() {
        for f in [IPFamily.v4, .v6] {
            let names = ProbeCatalog.entries(f).map(\.name)
            #expect(Set(names).count == names.count)
            for n in names { #expect(ProbeCatalog.entry(named: n, family: f)?.family == f) }
            #expect(ProbeCatalog.entry(named: "default", family: f)?.name == "icmp_echo")
        }
        #expect(ProbeCatalog.entry(named: "icmp_echo_gw", family: .v4) == nil)
        #expect(ProbeCatalog.entry(named: "tcp_scan", family: .v6) == nil)
        #expect(ProbeCatalog.entry(named: "nosuch", family: .v6) == nil)
        // ZMap's names.
        for f in [IPFamily.v4, .v6] {
            #expect(ProbeCatalog.entry(named: "tcp_synscan", family: f)?.name == "tcp_syn")
            #expect(ProbeCatalog.entry(named: "tcp_synackscan", family: f)?.name == "tcp_synack")
            #expect(ProbeCatalog.entry(named: "icmp_echoscan", family: f)?.name == "icmp_echo")
        }
    }

    @Test(
        "every entry's schema opens with the IP fields, has success and a classification, and ends with the system fields"
    )
    func schemas() {
        for e in ProbeCatalog.entries {
            let names = e.schema.fields.map(\.name)
            #expect(names.first == "saddr")
            #expect(e.schema.fields[e.schema.success].name == "success")
            #expect(names.contains("clas") || names.contains("classification"))
            // Both names find it, and ZMap's raw address fields exist.
            #expect(e.schema.index(of: "clas") != nil && e.schema.index(of: "classification") != nil)
            #expect(e.schema.index(of: "saddr_raw") != nil && e.schema.index(of: "daddr_raw") != nil)
            #expect(Array(names.suffix(5)) == ["repeat", "cooldown", "timestamp_str", "timestamp_ts", "timestamp_us"])
            #expect(e.fields == Array(e.schema.fields[e.schema.moduleStart..<e.schema.systemStart]))
        }
    }

    @Test("configure builds the module once, with its settings; bad --probe-args are errors")
    func configure() throws {
        let entry = try #require(ProbeCatalog.entry(named: "udp", family: .v4))
        let probe = try entry.configure(ProbeSettings(family: .v4, probeArgs: "text:abc", targetPorts: [53]))
        #expect(probe.name == "udp" && probe.family == .v4)
        #expect(probe.packetLength == 20 + 8 + 3)
        #expect(probe.instance is UDPProbe.V4)
        #expect(throws: XMapError.self) { try entry.configure(ProbeSettings(family: .v4, probeArgs: "bogus")) }
    }
}
