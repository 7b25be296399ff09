#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import XMapIO
import XMapCore

/// The real thing, in two private network namespaces (root only). Nothing is sent from the
/// root namespace: every detector call runs on a thread inside namespace A or B.
@Suite(
    "Network detection in network namespaces", .serialized,
    .enabled(if: NamespaceLab.available, "needs root, /bin/sh and iproute2"))
struct NamespaceDetectionTests {
    @Test func routesInterfacesAndAddresses() throws {
        try NamespaceLab.with { lab in
            try lab.run(in: lab.a) {
                let eth = try NetworkDetector.interface(named: "xnd0")
                #expect(eth.name == "xnd0")
                #expect(eth.mac == NamespaceLab.macA)
                #expect(eth.index == Int32(if_nametoindex("xnd0")))
                #expect(try NetworkDetector.interfaceName(index: eth.index) == "xnd0")
                let ula = try NetworkDetector.interface(named: "xnd2")
                #expect(ula.mac == NamespaceLab.macA2)
                #expect(throws: XMapError("unknown interface 'xnd1'")) { try NetworkDetector.interface(named: "xnd1") }

                // Default routes: the lowest metric wins.
                #expect(
                    try NetworkDetector.defaultRoute(family: .v4)
                        == RouteInfo(
                            interfaceIndex: eth.index, interfaceName: "xnd0",
                            gateway: IPAddress("198.51.100.2"), preferredSource: nil))
                #expect(
                    try NetworkDetector.defaultRoute(family: .v6)
                        == RouteInfo(
                            interfaceIndex: eth.index, interfaceName: "xnd0",
                            gateway: IPAddress("fe80::2"), preferredSource: nil))

                // ip route get.
                #expect(
                    try NetworkDetector.route(to: IPAddress("192.0.2.55")!)
                        == RouteInfo(
                            interfaceIndex: eth.index, interfaceName: "xnd0",
                            gateway: IPAddress("198.51.100.2"), preferredSource: IPAddress("198.51.100.1")))
                #expect(
                    try NetworkDetector.route(to: IPAddress("198.51.100.2")!)
                        == RouteInfo(
                            interfaceIndex: eth.index, interfaceName: "xnd0",
                            gateway: nil, preferredSource: IPAddress("198.51.100.1")))
                #expect(
                    try NetworkDetector.route(to: IPAddress("2001:db8:ff::2")!)
                        == RouteInfo(
                            interfaceIndex: eth.index, interfaceName: "xnd0",
                            gateway: nil, preferredSource: IPAddress("2001:db8:ff::1")))
                let far6 = try NetworkDetector.route(to: IPAddress("2001:db8:1234::1")!)
                #expect(far6.gateway == IPAddress("fe80::2"))
                #expect(far6.interfaceName == "xnd0")
                let ula6 = try NetworkDetector.route(to: IPAddress("fd00:db8::2")!)
                #expect(ula6.interfaceName == "xnd2")
                #expect(ula6.gateway == nil)

                // Source addresses: primary IPv4, global IPv6 (not the deprecated one, not
                // link-local), a ULA on a ULA-only link.
                #expect(try NetworkDetector.sourceAddress(family: .v4, interface: eth) == IPAddress("198.51.100.1"))
                #expect(try NetworkDetector.sourceAddress(family: .v6, interface: eth) == IPAddress("2001:db8:ff::1"))
                #expect(try NetworkDetector.sourceAddress(family: .v6, interface: ula) == IPAddress("fd00:db8::1"))
                #expect(throws: XMapError("no IPv4 address on interface xnd2; use -S")) {
                    try NetworkDetector.sourceAddress(family: .v4, interface: ula)
                }
            }
            try lab.run(in: lab.b) {
                #expect(try NetworkDetector.defaultRoute(family: .v4) == nil)
                #expect(try NetworkDetector.defaultRoute(family: .v6) == nil)
                #expect(throws: XMapError("no route to 192.0.2.1: Network is unreachable")) {
                    try NetworkDetector.route(to: IPAddress("192.0.2.1")!)
                }
                // xnd3 has only its link-local address.
                let linkLocalOnly = try NetworkDetector.interface(named: "xnd3")
                #expect(throws: XMapError("no IPv6 address on interface xnd3; use -S")) {
                    try NetworkDetector.sourceAddress(family: .v6, interface: linkLocalOnly)
                }
            }
        }
    }

    /// Each way of soliciting, starting from an empty neighbour table.
    @Test(arguments: [NeighborSolicitation.automatic, .netlink, .datagram])
    func neighborResolution(_ solicitation: NeighborSolicitation) throws {
        try NamespaceLab.with { lab in
            for peer in ["198.51.100.2", "2001:db8:ff::2", "fe80::2"] {
                try lab.flushNeighbors()
                let address = IPAddress(peer)!
                let mac = try lab.run(in: lab.a) { () throws -> MACAddress in
                    let eth = try NetworkDetector.interface(named: "xnd0")
                    var socket = try NetlinkSocket()
                    let before = try NeighborLookup.entry(for: address, index: eth.index, socket: &socket)
                    #expect(before == nil, "the neighbour table is not empty: \(String(describing: before))")
                    let start = NetLibc.monotonicSeconds()
                    let mac = try NetworkDetector.neighborMAC(
                        for: address, interface: eth, timeout: 3,
                        solicitation: solicitation)
                    let elapsed = NetLibc.monotonicSeconds() - start
                    #expect(elapsed < 1, "\(peer) via \(solicitation) took \(elapsed) s")
                    // Now in the table; a second call answers from it.
                    let after = try NeighborLookup.entry(for: address, index: eth.index, socket: &socket)
                    #expect(after?.usableMAC == NamespaceLab.macB)
                    #expect(
                        try NetworkDetector.neighborMAC(for: address, interface: eth, timeout: 0) == NamespaceLab.macB)
                    return mac
                }
                #expect(mac == NamespaceLab.macB, "\(peer) via \(solicitation)")
            }
        }
    }

    @Test func neighborTimeout() throws {
        try NamespaceLab.with { lab in
            try lab.run(in: lab.a) {
                let eth = try NetworkDetector.interface(named: "xnd0")
                var start = NetLibc.monotonicSeconds()
                #expect(
                    throws: XMapError(
                        "could not resolve the MAC address of gateway 198.51.100.99 on xnd0 within 1 s; use -G")
                ) {
                    try NetworkDetector.neighborMAC(for: IPAddress("198.51.100.99")!, interface: eth, timeout: 1)
                }
                var elapsed = NetLibc.monotonicSeconds() - start
                #expect(elapsed >= 1 && elapsed < 2.5)

                start = NetLibc.monotonicSeconds()
                #expect(
                    throws: XMapError(
                        "could not resolve the MAC address of gateway 2001:db8:ff::77 on xnd0 within 0.5 s; use -G")
                ) {
                    try NetworkDetector.neighborMAC(for: IPAddress("2001:db8:ff::77")!, interface: eth, timeout: 0.5)
                }
                elapsed = NetLibc.monotonicSeconds() - start
                #expect(elapsed >= 0.5 && elapsed < 2)
            }
        }
    }
}
