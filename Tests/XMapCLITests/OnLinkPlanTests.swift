import Testing
@testable import XMapCLI
import XMapCore
import XMapEngine
import XMapIO

/// Which targets of a plan are on-link, and which fields a scan reads.
@Suite("On-link targets")
struct OnLinkPlanTests {
    static func targets(_ arguments: [String]) throws -> ScanPlan {
        try ScanPlanner(options: try XMapOptions.parse(arguments + ["-q", "--seed", "1"])).plan()
    }

    @Test("the targets inside connected prefixes, less those routed through a gateway")
    func onLinkTargets() throws {
        let plan = try Self.targets(["-4", "-M", "tcp_syn", "-p", "80,443", "192.0.2.0/24", "198.51.100.0/24"])
        let routes = LinkRoutes(
            connected: [try IPPrefix.parse("192.0.2.0/24")],
            carvedOut: [try IPPrefix.parse("192.0.2.128/25")])
        let found = try OnLinkPlanBuilder.onLinkTargets(plan.targets, routes: routes)
        #expect(found.targets.count == 128)
        #expect(found.targets[0] == IPAddress("192.0.2.0")!.value)
        #expect(found.targets[127] == IPAddress("192.0.2.127")!.value)
        #expect(found.prefixes == [try IPPrefix.parse("192.0.2.0/24")])
        // IPv6 with --max-len 64: the IID decides the address; one per /64.
        let plan6 = try Self.targets(["-6", "-x", "64", "2001:db8:0:1::/63"])
        let found6 = try OnLinkPlanBuilder.onLinkTargets(
            plan6.targets, routes: LinkRoutes(connected: [try IPPrefix.parse("2001:db8:0:1::/64")], carvedOut: []))
        #expect(found6.targets.count == 1 && found6.targets[0] == IPAddress("2001:db8:0:1::1")!.value)
        // A list: its on-link entries, each once.
        let none = try OnLinkPlanBuilder.onLinkTargets(plan.targets, routes: LinkRoutes(connected: [], carvedOut: []))
        #expect(none.targets.count == 0)
    }

    @Test("rtt_us and fingerprint are wanted when output or filtered on")
    func requested() throws {
        func wants(_ arguments: [String]) throws -> RequestedFields {
            RequestedFields(options: try XMapOptions.parse(arguments))
        }
        #expect(try wants(["-f", "saddr,rtt_us"]).contains("rtt_us"))
        #expect(try !wants(["-f", "saddr,rtt_us"]).contains("fingerprint"))
        #expect(try wants(["-F", "success = 1 && fingerprint != ''"]).contains("fingerprint"))
        #expect(try wants(["-f", "*"]).contains("rtt_us"))
        #expect(try !wants([]).contains("rtt_us"))
        let plan = try Self.targets(["-4", "-M", "tcp_syn", "-p", "80", "-f", "saddr,rtt_us", "192.0.2.0/24"])
        #expect(plan.probe.settings.measuresRoundTrip && !plan.probe.settings.describesFingerprint)
    }
}
