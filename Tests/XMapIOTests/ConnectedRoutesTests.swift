import Testing
@testable import XMapIO
import XMapCore

/// Which routes of an interface make a target on-link.
@Suite("Connected routes")
struct ConnectedRoutesTests {
    static func route(
        _ family: UInt8, _ destination: String, length: UInt8, oif: UInt32, gateway: String? = nil,
        type: UInt8 = 1, table: UInt8 = 254
    ) throws -> RouteMessage {
        var payload = Wire.rtmsg(family: family, dstLen: length, table: table, type: type)
        if length > 0 { payload += Wire.attr(Wire.rtaDst, Wire.ip(destination)) }
        payload += Wire.attr32(Wire.rtaOif, oif)
        if let gateway { payload += Wire.attr(Wire.rtaGateway, Wire.ip(gateway)) }
        return try RouteMessage(payload: payload)
    }

    @Test("connected prefixes of the interface, minus routes through a gateway inside them")
    func linkRoutes() throws {
        let routes = [
            try Self.route(Wire.afInet, "0.0.0.0", length: 0, oif: 3, gateway: "192.0.2.254"),  // default
            try Self.route(Wire.afInet, "192.0.2.0", length: 24, oif: 3),  // connected
            try Self.route(Wire.afInet, "192.0.2.128", length: 26, oif: 3, gateway: "192.0.2.254"),
            try Self.route(Wire.afInet, "203.0.113.0", length: 24, oif: 4),  // another interface
            try Self.route(Wire.afInet, "198.51.100.0", length: 24, oif: 3, type: 6),  // blackhole
            try Self.route(Wire.afInet, "192.0.2.1", length: 32, oif: 3, type: 2, table: 255),  // local
            try Self.route(Wire.afInet, "0.0.0.0", length: 0, oif: 3)  // default dev
        ]
        let link = NetworkDetector.linkRoutes(routes, family: .v4, interfaceIndex: 3)
        #expect(link.connected == [try IPPrefix.parse("192.0.2.0/24")])
        #expect(link.carvedOut == [try IPPrefix.parse("192.0.2.128/26")])
        #expect(link.isOnLink(IPAddress("192.0.2.11")!))
        #expect(!link.isOnLink(IPAddress("192.0.2.130")!))
        #expect(!link.isOnLink(IPAddress("203.0.113.5")!))
        let v6 = [
            try Self.route(Wire.afInet6, "2001:db8:0:1::", length: 64, oif: 3),
            try Self.route(Wire.afInet6, "fe80::", length: 64, oif: 3)
        ]
        let link6 = NetworkDetector.linkRoutes(v6, family: .v6, interfaceIndex: 3)
        #expect(link6.connected.count == 2 && link6.isOnLink(IPAddress("2001:db8:0:1::a1")!))
    }
}
