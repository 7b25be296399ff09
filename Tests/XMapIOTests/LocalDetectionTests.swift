#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import XMapIO
import XMapCore

/// Read-only netlink queries in the test's own namespace: they send nothing on the network and
/// need no privileges.
@Suite("Network detection: read-only queries")
struct LocalDetectionTests {
    @Test func loopbackByNameAndIndex() throws {
        let lo = try NetworkDetector.interface(named: "lo")
        #expect(lo.name == "lo")
        #expect(lo.index > 0)
        #expect(lo.mac == .zero)
        #expect(try NetworkDetector.interfaceName(index: lo.index) == "lo")
    }

    @Test func unknownInterfaces() {
        for name in ["xnd-no-such0", "", "averyveryverylongname", "a/b", "lo\u{0}x"] {
            #expect(throws: XMapError("unknown interface '\(name)'")) { try NetworkDetector.interface(named: name) }
        }
        #expect(throws: XMapError("no interface with index 0")) { try NetworkDetector.interfaceName(index: 0) }
        #expect(throws: XMapError("no interface with index 2147483647")) {
            try NetworkDetector.interfaceName(index: .max)
        }
    }

    @Test func invalidTimeout() throws {
        let lo = try NetworkDetector.interface(named: "lo")
        #expect(throws: XMapError.self) {
            try NetworkDetector.neighborMAC(for: IPAddress("127.0.0.1")!, interface: lo, timeout: -1)
        }
        #expect(throws: XMapError.self) {
            try NetworkDetector.neighborMAC(for: IPAddress("127.0.0.1")!, interface: lo, timeout: .nan)
        }
    }

    @Test func dumpsParse() throws {
        // Whatever the host has, its route and address dumps must decode.
        _ = try NetworkDetector.defaultRoute(family: .v4)
        _ = try NetworkDetector.defaultRoute(family: .v6)
        var socket = try NetlinkSocket()
        let links = try socket.request(
            type: NetlinkConstant.getLink, dump: true,
            body: NetlinkEncoder.linkHeader(index: 0), what: "link dump")
        #expect(links.contains { (try? LinkMessage(payload: $0.payload))?.name == "lo" })
    }
}
