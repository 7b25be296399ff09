import Testing
@testable import XMapIO
import XMapCore

@Suite("Netlink message and attribute parsing")
struct NetlinkParserTests {
    /// A reply to `ip route get 192.0.2.55`: one RTM_NEWROUTE with table, destination, output
    /// interface, preferred source and gateway.
    static let routeReply: [UInt8] = Wire.message(
        type: Wire.rtmNewRoute, seq: 42, pid: 1234,
        payload: Wire.rtmsg(family: Wire.afInet, dstLen: 32)
            + Wire.attr32(Wire.rtaTable, 254)
            + Wire.attr(Wire.rtaDst, Wire.ip("192.0.2.55"))
            + Wire.attr32(Wire.rtaOif, 3)
            + Wire.attr(Wire.rtaPrefsrc, Wire.ip("198.51.100.1"))
            + Wire.attr(Wire.rtaGateway, Wire.ip("198.51.100.2")))

    @Test func validRouteReply() throws {
        let messages = try NetlinkParser.messages(in: Self.routeReply)
        #expect(messages.count == 1)
        let m = try #require(messages.first)
        #expect(m.type == Wire.rtmNewRoute)
        #expect(m.sequence == 42)
        #expect(m.portID == 1234)
        #expect(m.payload.count == Self.routeReply.count - 16)

        let route = try RouteMessage(payload: m.payload)
        #expect(route.family == .v4)
        #expect(route.destinationLength == 32)
        #expect(route.table == 254)
        #expect(route.type == 1)
        #expect(route.destination == IPAddress("192.0.2.55"))
        #expect(route.outputInterface == 3)
        #expect(route.gateway == IPAddress("198.51.100.2"))
        #expect(route.preferredSource == IPAddress("198.51.100.1"))
        #expect(route.priority == nil)
        let hop = try #require(route.firstHop)
        #expect(hop.interfaceIndex == 3)
        #expect(hop.gateway == IPAddress("198.51.100.2"))
        #expect(route.isForwarding)
    }

    @Test func attributesOfAnIPv6Route() throws {
        let payload =
            Wire.rtmsg(family: Wire.afInet6, table: 254)
            + Wire.attr32(Wire.rtaPriority, 1024)
            + Wire.attr32(Wire.rtaOif, 7)
            + Wire.attr(Wire.rtaGateway, Wire.ip("fe80::1"))
        let route = try RouteMessage(payload: payload)
        #expect(route.family == .v6)
        #expect(route.priority == 1024)
        #expect(route.gateway == IPAddress("fe80::1"))
        #expect(route.outputInterface == 7)
        #expect(route.destination == nil)
    }

    @Test func viaGatewayOfTheOtherFamily() throws {
        let via = Wire.u16(UInt16(Wire.afInet6)) + Wire.ip("fe80::2")
        let payload = Wire.rtmsg(family: Wire.afInet) + Wire.attr32(Wire.rtaOif, 2) + Wire.attr(Wire.rtaVia, via)
        let route = try RouteMessage(payload: payload)
        #expect(route.gateway == IPAddress("fe80::2"))
        // A via whose address length does not match its family.
        let bad =
            Wire.rtmsg(family: Wire.afInet) + Wire.attr(Wire.rtaVia, Wire.u16(UInt16(Wire.afInet6)) + [1, 2, 3, 4])
        #expect(throws: XMapError.self) { try RouteMessage(payload: bad) }
    }

    @Test func multipathRoute() throws {
        let hop1 = Wire.padded([16, 0, 1, 0] + Wire.i32(4) + Wire.attr(Wire.rtaGateway, Wire.ip("192.0.2.1")))
        let hop2 = Wire.padded([16, 0, 0, 0] + Wire.i32(5) + Wire.attr(Wire.rtaGateway, Wire.ip("192.0.2.9")))
        let payload = Wire.rtmsg(family: Wire.afInet) + Wire.attr(Wire.rtaMultipath, hop1 + hop2)
        let route = try RouteMessage(payload: payload)
        #expect(
            route.nexthops == [
                RouteNexthop(interfaceIndex: 4, flags: 1, gateway: IPAddress("192.0.2.1")),
                RouteNexthop(interfaceIndex: 5, flags: 0, gateway: IPAddress("192.0.2.9"))
            ])
        // The first hop is dead (RTNH_F_DEAD): the live one is used.
        let hop = try #require(route.firstHop)
        #expect(hop.interfaceIndex == 5)
        #expect(hop.gateway == IPAddress("192.0.2.9"))

        // A next hop whose length runs past the attribute.
        let long = [200, 0, 0, 0] + Wire.i32(4)
        #expect(throws: XMapError.self) {
            try RouteMessage(payload: Wire.rtmsg(family: Wire.afInet) + Wire.attr(Wire.rtaMultipath, long))
        }
    }

    @Test func nexthopObjectRoute() throws {
        let payload = Wire.rtmsg(family: Wire.afInet) + Wire.attr32(Wire.rtaNhID, 17)
        let route = try RouteMessage(payload: payload)
        #expect(route.nexthopID == 17)
        #expect(route.firstHop == nil)

        let group = Wire.u32(21) + [1, 0, 0, 0] + Wire.u32(22) + [1, 0, 0, 0]
        let nh = try NexthopMessage(payload: [2, 0, 4, 0] + Wire.u32(0) + Wire.attr32(1, 20) + Wire.attr(2, group))
        #expect(nh.id == 20)
        #expect(nh.group == [21, 22])
        let single = try NexthopMessage(
            payload: [2, 0, 4, 0] + Wire.u32(0) + Wire.attr32(1, 21)
                + Wire.attr32(5, 3) + Wire.attr(6, Wire.ip("192.0.2.1")))
        #expect(single.outputInterface == 3)
        #expect(single.gateway == IPAddress("192.0.2.1"))
        #expect(throws: XMapError.self) {
            try NexthopMessage(payload: [2, 0, 4, 0] + Wire.u32(0) + Wire.attr(2, [1, 2, 3]))
        }
    }

    @Test func truncatedMessage() throws {
        // The header claims more bytes than the datagram holds.
        let cut = Array(Self.routeReply.prefix(Self.routeReply.count - 5))
        #expect(throws: XMapError.self) { try NetlinkParser.messages(in: cut) }
        // Fewer bytes than a header.
        #expect(throws: XMapError.self) { try NetlinkParser.messages(in: Array(Self.routeReply.prefix(10))) }
        // nlmsg_len below the header size (0 would loop forever if trusted).
        var zero = Self.routeReply
        zero.replaceSubrange(0..<4, with: Wire.u32(0))
        #expect(throws: XMapError.self) { try NetlinkParser.messages(in: zero) }
        var short = Self.routeReply
        short.replaceSubrange(0..<4, with: Wire.u32(15))
        #expect(throws: XMapError.self) { try NetlinkParser.messages(in: short) }
        // nlmsg_len of 4 GiB - 1.
        var huge = Self.routeReply
        huge.replaceSubrange(0..<4, with: Wire.u32(.max))
        #expect(throws: XMapError.self) { try NetlinkParser.messages(in: huge) }
        // A route payload shorter than struct rtmsg.
        #expect(throws: XMapError.self) { try RouteMessage(payload: [2, 32, 0]) }
        // An empty datagram has no messages.
        #expect(try NetlinkParser.messages(in: []).isEmpty)
    }

    @Test func attributeRunningPastTheBuffer() throws {
        // RTA_GATEWAY claims 40 bytes; only 8 follow.
        let payload = Wire.rtmsg(family: Wire.afInet) + Wire.u16(40) + Wire.u16(Wire.rtaGateway) + Wire.ip("192.0.2.1")
        #expect(throws: XMapError.self) { try RouteMessage(payload: payload) }
        #expect(throws: XMapError.self) { try NetlinkParser.attributes(in: payload, from: 12) }
        // An attribute length below its own header.
        let tiny = Wire.rtmsg(family: Wire.afInet) + Wire.u16(2) + Wire.u16(Wire.rtaOif) + Wire.u32(1)
        #expect(throws: XMapError.self) { try RouteMessage(payload: tiny) }
        // An address attribute of the wrong size.
        let odd = Wire.rtmsg(family: Wire.afInet) + Wire.attr(Wire.rtaGateway, [192, 0, 2])
        #expect(throws: XMapError.self) { try RouteMessage(payload: odd) }
        // A u32 attribute of the wrong size.
        let oif = Wire.rtmsg(family: Wire.afInet) + Wire.attr(Wire.rtaOif, [1, 0])
        #expect(throws: XMapError.self) { try RouteMessage(payload: oif) }
        // A start offset beyond the message.
        #expect(throws: XMapError.self) { try NetlinkParser.attributes(in: [1, 2], from: 12) }
        // Up to 3 trailing bytes are padding, not an error.
        let trailing = try NetlinkParser.attributes(in: Wire.attr32(Wire.rtaOif, 9) + [0, 0, 0], from: 0)
        #expect(trailing == [NetlinkAttribute(type: Wire.rtaOif, isNested: false, payload: Wire.u32(9))])
    }

    @Test func nestedFlagIsStrippedFromTheType() throws {
        let a = try NetlinkParser.attributes(in: Wire.attr(0x8000 | Wire.rtaMultipath, []), from: 0)
        #expect(a == [NetlinkAttribute(type: Wire.rtaMultipath, isNested: true, payload: [])])
    }

    @Test func nlmsgError() throws {
        let datagram = Wire.message(type: Wire.nlmsgError, flags: 0x100, payload: Wire.errorPayload(-101))
        let m = try #require(try NetlinkParser.messages(in: datagram).first)
        #expect(m.type == Wire.nlmsgError)
        let error = try #require(try NetlinkParser.errorResult(of: m))
        #expect(error.code == 101)
        #expect(error.description == "Network is unreachable")

        // An acknowledgement is error 0.
        let ack = try #require(
            try NetlinkParser.messages(in: Wire.message(type: Wire.nlmsgError, payload: Wire.errorPayload(0))).first)
        #expect(try NetlinkParser.errorResult(of: ack) == nil)

        // Too short to hold the error code.
        let cut = try #require(
            try NetlinkParser.messages(in: Wire.message(type: Wire.nlmsgError, payload: [0xFF, 0xFF])).first)
        #expect(throws: XMapError.self) { try NetlinkParser.errorResult(of: cut) }
        // A positive "errno".
        let positive = try #require(
            try NetlinkParser.messages(in: Wire.message(type: Wire.nlmsgError, payload: Wire.errorPayload(5))).first)
        #expect(throws: XMapError.self) { try NetlinkParser.errorResult(of: positive) }
    }

    @Test func nlmsgErrorWithExtendedAck() throws {
        // NLM_F_CAPPED | NLM_F_ACK_TLVS, then NLMSGERR_ATTR_MSG.
        let payload = Wire.errorPayload(-22) + Wire.attr(1, Array("bad attribute".utf8) + [0])
        let m = try #require(
            try NetlinkParser.messages(in: Wire.message(type: Wire.nlmsgError, flags: 0x300, payload: payload)).first)
        let error = try #require(try NetlinkParser.errorResult(of: m))
        #expect(error.code == 22)
        #expect(error.extendedMessage == "bad attribute")
        #expect(error.description == "Invalid argument (bad attribute)")
        // Not capped: the whole request (32 bytes per its header) comes before the TLVs.
        let full = Wire.errorPayload(-22) + [UInt8](repeating: 0, count: 16) + Wire.attr(1, Array("x".utf8))
        let m2 = try #require(
            try NetlinkParser.messages(in: Wire.message(type: Wire.nlmsgError, flags: 0x200, payload: full)).first)
        #expect(NetlinkParser.extendedAckMessage(of: m2) == "x")
        // A broken TLV area costs the text, not the errno.
        let broken = Wire.errorPayload(-22) + Wire.u16(99) + Wire.u16(1)
        let m3 = try #require(
            try NetlinkParser.messages(in: Wire.message(type: Wire.nlmsgError, flags: 0x300, payload: broken)).first)
        #expect(try NetlinkParser.errorResult(of: m3) == NetlinkError(code: 22, extendedMessage: nil))
    }

    @Test func multipartDumpWithDone() throws {
        let route = Wire.rtmsg(family: Wire.afInet) + Wire.attr32(Wire.rtaOif, 2)
        let datagram =
            Wire.message(type: Wire.rtmNewRoute, flags: 2, payload: route + [1])  // 1 byte of padding follows
            + Wire.message(type: Wire.rtmNewRoute, flags: 2, payload: route)
            // unpadded last message
            + Wire.message(type: Wire.nlmsgDone, flags: 2, payload: Wire.i32(0) + [9], pad: false)
        let messages = try NetlinkParser.messages(in: datagram)
        #expect(messages.map(\.type) == [Wire.rtmNewRoute, Wire.rtmNewRoute, Wire.nlmsgDone])
        #expect(messages[0].payload.count == route.count + 1)
        #expect(NetlinkParser.doneResult(of: messages[2]) == nil)
        let failed = try #require(
            try NetlinkParser.messages(in: Wire.message(type: Wire.nlmsgDone, payload: Wire.i32(-4))).first)
        #expect(NetlinkParser.doneResult(of: failed)?.code == 4)
    }

    @Test func defaultRouteSelection() throws {
        func route(
            _ family: UInt8 = Wire.afInet, dstLen: UInt8 = 0, table: UInt32 = 254, type: UInt8 = 1,
            flags: UInt32 = 0, metric: UInt32?, gateway: String
        ) throws -> RouteMessage {
            var p =
                Wire.rtmsg(family: family, dstLen: dstLen, table: UInt8(min(table, 252)), type: type, flags: flags)
                + Wire.attr32(Wire.rtaTable, table) + Wire.attr32(Wire.rtaOif, 2)
                + Wire.attr(Wire.rtaGateway, Wire.ip(gateway))
            if let m = metric { p += Wire.attr32(Wire.rtaPriority, m) }
            return try RouteMessage(payload: p)
        }
        let routes = [
            try route(metric: 300, gateway: "192.0.2.3"),
            try route(table: 100, metric: 1, gateway: "192.0.2.4"),  // other table
            try route(dstLen: 24, metric: 0, gateway: "192.0.2.5"),  // not a default route
            try route(type: 6, metric: 0, gateway: "192.0.2.6"),  // blackhole
            try route(flags: 0x200, metric: 0, gateway: "192.0.2.7"),  // cloned
            try route(flags: 1, metric: 5, gateway: "192.0.2.8"),  // dead
            try route(metric: 100, gateway: "192.0.2.1"),
            try route(metric: 100, gateway: "192.0.2.2")  // same metric, later
        ]
        #expect(RouteMessage.bestDefault(among: routes, family: .v4)?.gateway == IPAddress("192.0.2.1"))
        #expect(RouteMessage.bestDefault(among: routes, family: .v6) == nil)
        #expect(
            RouteMessage.bestDefault(among: [try route(metric: nil, gateway: "192.0.2.9")] + routes, family: .v4)?
                .gateway
                == IPAddress("192.0.2.9"))
        #expect(RouteMessage.bestDefault(among: [routes[5]], family: .v4)?.gateway == IPAddress("192.0.2.8"))
    }

    @Test func addressMessagesAndSourceSelection() throws {
        func v6(_ s: String, flags: UInt32 = 0x80, scope: UInt8 = 0, index: UInt32 = 2) throws -> AddressMessage {
            try AddressMessage(
                payload: Wire.ifaddrmsg(
                    family: Wire.afInet6, prefix: 64, flags: UInt8(flags & 0xFF), scope: scope, index: index)
                    + Wire.attr(1, Wire.ip(s)) + Wire.attr32(8, flags))
        }
        func v4(_ s: String, flags: UInt8 = 0x80, index: UInt32 = 2, peer: String? = nil) throws -> AddressMessage {
            try AddressMessage(
                payload: Wire.ifaddrmsg(family: Wire.afInet, prefix: 24, flags: flags, index: index)
                    + Wire.attr(1, Wire.ip(peer ?? s)) + Wire.attr(2, Wire.ip(s)))
        }
        let linkLocal = try v6("fe80::1", scope: 253)
        let deprecated = try v6("2001:db8::d", flags: 0x80 | 0x20)
        let tentative = try v6("2001:db8::7", flags: 0x40)
        let dadFailed = try v6("2001:db8::f", flags: 0x08 | 0x40)
        let ula = try v6("fd00:db8::1")
        let global = try v6("2001:db8::1")
        let temporary = try v6("2001:db8::7e", flags: 0x01)
        let otherInterface = try v6("2001:db8::2", index: 3)
        #expect(global.flags == 0x80)
        #expect(deprecated.localAddress == IPAddress("2001:db8::d"))

        func pick(_ list: [AddressMessage]) -> String? {
            AddressMessage.bestSource(among: list, family: .v6, index: 2)?.description
        }
        #expect(pick([linkLocal, deprecated, global]) == "2001:db8::1")
        #expect(pick([linkLocal, ula]) == "fd00:db8::1")
        #expect(pick([ula, global]) == "2001:db8::1")
        #expect(pick([temporary, global]) == "2001:db8::1")
        #expect(pick([dadFailed, tentative, deprecated]) == "2001:db8::d")
        #expect(pick([dadFailed, tentative]) == "2001:db8::7")
        #expect(pick([linkLocal, otherInterface]) == nil)
        #expect(pick([try v6("fe80::2", scope: 0), try v6("::1", scope: 0), try v6("ff0e::1", scope: 0)]) == nil)

        let primary = try v4("198.51.100.1")
        let secondary = try v4("198.51.100.7", flags: 0x81)
        let pointToPoint = try v4("198.51.100.9", index: 4, peer: "198.51.100.10")
        #expect(
            AddressMessage.bestSource(among: [secondary, primary], family: .v4, index: 2) == IPAddress("198.51.100.1"))
        #expect(AddressMessage.bestSource(among: [pointToPoint], family: .v4, index: 4) == IPAddress("198.51.100.9"))
        #expect(AddressMessage.bestSource(among: [primary], family: .v4, index: 9) == nil)
        #expect(AddressMessage.bestSource(among: [primary, global], family: .v6, index: 2) == IPAddress("2001:db8::1"))
        #expect(throws: XMapError.self) { try AddressMessage(payload: [10, 64, 0]) }
    }

    @Test func neighborMessages() throws {
        func entry(
            _ ip: String, index: Int32 = 2, state: UInt16, mac: [UInt8]? = [0, 0, 0x5e, 0, 0x53, 1],
            flags: UInt8 = 0
        ) throws -> NeighborMessage {
            let family = ip.contains(":") ? Wire.afInet6 : Wire.afInet
            var p = Wire.ndmsg(family: family, index: index, state: state, flags: flags) + Wire.attr(1, Wire.ip(ip))
            if let mac { p += Wire.attr(2, mac) }
            return try NeighborMessage(payload: p)
        }
        let mac = MACAddress("00:00:5e:00:53:01")
        for state: UInt16 in [0x02, 0x04, 0x08, 0x10, 0x40, 0x80] {
            #expect(try entry("192.0.2.1", state: state).usableMAC == mac)
        }
        for state: UInt16 in [0x00, 0x01, 0x20] {
            #expect(try entry("192.0.2.1", state: state).usableMAC == nil)
        }
        #expect(try entry("192.0.2.1", state: 0x02, mac: nil).usableMAC == nil)
        #expect(try entry("192.0.2.1", state: 0x02, mac: [1, 2, 3]).usableMAC == nil)

        let table = [
            try entry("192.0.2.1", index: 3, state: 0x02),
            try entry("192.0.2.1", state: 0x02, flags: 0x08),  // proxy entry
            try entry("192.0.2.2", state: 0x02),
            try entry("192.0.2.1", state: 0x04, mac: [0, 0, 0x5e, 0, 0x53, 9])
        ]
        let found = NeighborMessage.entry(for: IPAddress("192.0.2.1")!, index: 2, among: table)
        #expect(found?.usableMAC == MACAddress("00:00:5e:00:53:09"))
        #expect(NeighborMessage.entry(for: IPAddress("2001:db8::1")!, index: 2, among: table) == nil)
        #expect(throws: XMapError.self) {
            try NeighborMessage(payload: Wire.ndmsg(family: Wire.afInet, index: 2, state: 2) + Wire.attr(1, [1, 2]))
        }
        #expect(throws: XMapError.self) { try NeighborMessage(payload: [2, 0, 0, 0, 2, 0]) }
    }

    @Test func linkMessages() throws {
        let eth = try LinkMessage(
            payload: Wire.ifinfomsg(index: 5) + Wire.attr(3, Array("eth0".utf8) + [0])
                + Wire.attr(1, [0, 0, 0x5e, 0, 0x53, 0x2a]))
        #expect(eth.index == 5)
        #expect(eth.name == "eth0")
        #expect(eth.mac == MACAddress("00:00:5e:00:53:2a"))
        let tun = try LinkMessage(payload: Wire.ifinfomsg(index: 6, type: 65534) + Wire.attr(3, Array("tun0".utf8)))
        #expect(tun.name == "tun0")
        #expect(tun.mac == .zero)
        // Invalid UTF-8 in a name is repaired, not trusted.
        let odd = try LinkMessage(payload: Wire.ifinfomsg(index: 7) + Wire.attr(3, [0x65, 0xFF, 0]))
        #expect(odd.name == "e\u{FFFD}")
        #expect(throws: XMapError.self) { try LinkMessage(payload: Array(Wire.ifinfomsg(index: 1).prefix(15))) }
    }

    @Test func requestEncoding() throws {
        var body = NetlinkEncoder.routeHeader(family: 2, destinationLength: 32)
        body += NetlinkEncoder.attribute(type: Wire.rtaDst, payload: Wire.ip("192.0.2.1"))
        let request = NetlinkEncoder.message(type: 26, flags: 0x05, sequence: 9, body: body)
        #expect(
            request
                == Wire.message(
                    type: 26, flags: 0x05, seq: 9,
                    payload: Wire.rtmsg(family: 2, dstLen: 32, table: 0, proto: 0, type: 0)
                        + Wire.attr(Wire.rtaDst, Wire.ip("192.0.2.1"))))
        #expect(NetlinkEncoder.attribute(type: 1, payload: [1, 2, 3, 4, 5]).count == 12)
        #expect(
            NetlinkEncoder.neighborHeader(family: 2, index: 3, state: 0, flags: 1)
                == Wire.ndmsg(family: 2, index: 3, state: 0, flags: 1, type: 0))
        #expect(NetlinkEncoder.linkHeader(index: 4) == [0, 0, 0, 0] + Wire.i32(4) + Wire.u32(0) + Wire.u32(0))
        // The same request parses back.
        let parsed = try #require(try NetlinkParser.messages(in: request).first)
        #expect(parsed.type == 26 && parsed.flags == 5 && parsed.sequence == 9 && parsed.payload == body)
    }

    @Test func secondsFormatting() {
        #expect(formatNetworkSeconds(3) == "3")
        #expect(formatNetworkSeconds(0.5) == "0.5")
        #expect(formatNetworkSeconds(1.25) == "1.25")
    }

    /// Random and mutated buffers must only ever throw, never trap.
    @Test func malformedInputNeverCrashes() {
        var rng = SplitMix(seed: 0x5EED)
        let valid = Self.routeReply
        for round in 0..<4000 {
            var bytes: [UInt8]
            switch round % 4 {
            case 0:
                bytes = (0..<Int(rng.next() % 96)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 1:
                bytes = Array(valid.prefix(Int(rng.next() % UInt64(valid.count + 1))))
            default:
                bytes = valid
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            guard let messages = try? NetlinkParser.messages(in: bytes) else { continue }
            for m in messages {
                _ = try? RouteMessage(payload: m.payload)
                _ = try? AddressMessage(payload: m.payload)
                _ = try? NeighborMessage(payload: m.payload)
                _ = try? LinkMessage(payload: m.payload)
                _ = try? NexthopMessage(payload: m.payload)
                _ = try? NetlinkParser.errorResult(of: m)
                _ = NetlinkParser.extendedAckMessage(
                    of: NetlinkMessage(type: 2, flags: 0x200, sequence: 0, portID: 0, payload: m.payload))
                _ = NetlinkParser.doneResult(of: m)
                _ = try? NetlinkParser.attributes(in: m.payload, from: 0)
            }
        }
    }
}

/// A small deterministic generator for the robustness test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
