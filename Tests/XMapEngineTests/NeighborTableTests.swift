import Testing
import XMapCore
import XMapModules
@testable import XMapEngine

/// The on-link neighbour table and where the send loop addresses each frame.
@Suite struct NeighborTableTests {
    @Test("targets in, MACs resolved, lookups: not on-link, unresolved, the MAC")
    func table() {
        let table = NeighborTable(expected: 300)
        #expect(table.capacity == 1024)
        let base = IPAddress("192.0.2.0")!.value
        for i in 0..<300 { #expect(table.add(base + UInt128(i))) }
        #expect(table.count == 300 && table.resolvedCount == 0)
        #expect(table.resolve(base + 7, mac: MACAddress("02:00:00:00:01:07")!))
        #expect(!table.resolve(base + 7, mac: MACAddress("02:00:00:00:01:08")!))  // replaced, not new
        #expect(!table.resolve(base + 1000, mac: MACAddress("02:00:00:00:01:09")!))  // not a target
        #expect(!table.resolve(base + 8, mac: .zero))
        #expect(table.resolvedCount == 1)
        let view = table.view
        #expect(view.lookup(base + 7) == MACAddress("02:00:00:00:01:08")!.value)
        #expect(view.lookup(base + 8) == NeighborTable.unresolved)
        #expect(view.lookup(base + 1000) == NeighborTable.notOnLink)
        #expect(table.mac(for: base + 7) == MACAddress("02:00:00:00:01:08")!)
        #expect(table.mac(for: base + 8) == nil)
        // IPv6 keys that differ only in their high half.
        let v6 = NeighborTable(expected: 2)
        let a = IPAddress("2001:db8::1")!.value, b = IPAddress("2001:db9::1")!.value
        v6.add(a)
        v6.add(b)
        v6.resolve(b, mac: MACAddress("00:16:3e:00:00:01")!)
        #expect(v6.view.lookup(a) == NeighborTable.unresolved && v6.mac(for: b) == MACAddress("00:16:3e:00:00:01")!)
        // Never more than half full.
        let small = NeighborTable(expected: 1)
        for i in 0..<8 { #expect(small.add(UInt128(i + 1))) }
        #expect(!small.add(100))
    }

    @Test("link addressing: gateway, own MAC, none; broadcast ARP; solicited-node groups")
    func addressing() throws {
        var network = NetworkPlan()
        network.gatewayMAC = MACAddress("02:00:00:00:01:fe")!
        var targets = AddressList(family: .v4)
        let lan = IPAddress("192.0.2.11")!.value, dead = IPAddress("192.0.2.12")!.value
        targets.append(lan)
        targets.append(dead)
        let onLink = OnLinkPlan(prefixes: [try IPPrefix.parse("192.0.2.0/24")], targets: targets)
        onLink.neighbors.resolve(lan, mac: MACAddress("02:00:00:00:01:11")!)
        network.onLink = onLink
        // Before the neighbour stage: the header as it is.
        #expect(
            LinkAddressing(TCPSynProbe.V4.self, network: network, dryRun: false).destination(for: lan)
                == LinkAddressing.unchanged)
        onLink.neighbors.markResolved()
        let routed = LinkAddressing(TCPSynProbe.V4.self, network: network, dryRun: false)
        #expect(routed.destination(for: lan) == 0x0200_0000_0111)
        #expect(routed.destination(for: dead) == LinkAddressing.skip)
        #expect(routed.destination(for: IPAddress("198.51.100.5")!.value) == 0x0200_0000_01FE)
        #expect(
            LinkAddressing(TCPSynProbe.V4.self, network: network, dryRun: true).destination(for: lan)
                == LinkAddressing.unchanged)
        let arp = LinkAddressing(ARPProbe.V4.self, network: network, dryRun: true)
        #expect(arp.destination(for: lan) == 0xFFFF_FFFF_FFFF)
        var frame = [UInt8](repeating: 0, count: 64)
        frame.withUnsafeMutableBytes { arp.write(0xFFFF_FFFF_FFFF, before: $0.baseAddress! + 14) }
        #expect(Array(frame[0..<6]) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] && frame[12] == 0x08 && frame[13] == 0x06)
        let nd = LinkAddressing(NDProbe.V6.self, network: network, dryRun: false)
        #expect(nd.destination(for: IPAddress("2001:db8::12:3456")!.value) == 0x3333_FF12_3456)
    }
}
