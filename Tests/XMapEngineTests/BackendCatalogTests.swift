#if canImport(Glibc)
import Glibc
#endif
import Testing
import XMapCore
@testable import XMapEngine
import XMapIO

/// The backend catalog is the one list of backends: names, checks at plan time, and the thread
/// caps the plan applies before anything runs.
@Suite("Backend catalog")
struct BackendCatalogTests {
    @Test("the backends, in listing order; each name once")
    func names() {
        #expect(BackendCatalog.names == ["packet", "afxdp", "netmap"])
        #expect(BackendCatalog.backend(named: "packet")?.senderThreadLimit == SenderThreadLimit.none)
        #expect(BackendCatalog.backend(named: "afxdp")?.senderThreadLimit == .transmitQueues(label: "AF_XDP"))
        #expect(BackendCatalog.backend(named: "netmap")?.senderThreadLimit == .transmitQueues(label: "netmap"))
    }

    @Test("--backend checks: unknown names, -X with Ethernet-only backends, netmap's device (not for a dry run)")
    func checks() throws {
        #expect(throws: XMapError("unknown --backend 'dpdk' (expected packet, afxdp or netmap)")) {
            try BackendCatalog.backend(named: "dpdk", ipLayer: false, dryRun: true)
        }
        #expect(throws: XMapError("--backend afxdp sends Ethernet frames; -X/--iplayer needs --backend packet")) {
            try BackendCatalog.backend(named: "afxdp", ipLayer: true, dryRun: false)
        }
        #expect(try BackendCatalog.backend(named: "packet", ipLayer: true, dryRun: false) == .packet)
        #expect(try BackendCatalog.backend(named: "netmap", ipLayer: false, dryRun: true).rawValue == "netmap")
        if MockingDriver.isAvailable {
            MockingDriver.withMocking { driver in
                driver.fail("access", errno: ENOENT)
                #expect(
                    throws: XMapError(
                        "--backend netmap: /dev/netmap does not exist (the netmap kernel module "
                            + "is not loaded on this host)")
                ) {
                    try BackendCatalog.backend(named: "netmap", ipLayer: false, dryRun: false)
                }
                #expect(driver.trace == ["access"])
            }
        }
    }

    static func fitted(
        _ backend: String, threads: Int?, dryRun: Bool = false,
        host: BackendHost? = BackendHost(interfaceName: "eth0", transmitQueues: 4, cores: 3)
    ) -> Int {
        var sending = SendPlan()
        sending.backend = PacketBackend(rawValue: backend)
        sending.senderThreads = threads ?? 1
        sending.senderThreadsGiven = threads != nil
        sending.dryRun = dryRun
        BackendCatalog.fitThreads(&sending) { host }
        return sending.senderThreads
    }

    @Test("ZMap's thread caps at plan time: without -T min(queues, cores − 1); -T up to the queues")
    func threadCaps() {
        #expect(Self.fitted("afxdp", threads: nil) == 2)
        #expect(Self.fitted("netmap", threads: nil) == 2)
        #expect(Self.fitted("afxdp", threads: 8) == 4)
        #expect(Self.fitted("afxdp", threads: 3) == 3)
        #expect(
            Self.fitted(
                "afxdp", threads: nil,
                host: BackendHost(interfaceName: "veth0", transmitQueues: 1, cores: 16)) == 1)
        #expect(
            Self.fitted(
                "afxdp", threads: nil,
                host: BackendHost(interfaceName: "veth0", transmitQueues: 8, cores: 1)) == 1)
        // No cap: AF_PACKET sockets, a dry run, or an interface not known yet.
        #expect(Self.fitted("packet", threads: 8) == 8)
        #expect(Self.fitted("afxdp", threads: 8, dryRun: true) == 8)
        #expect(Self.fitted("afxdp", threads: 8, host: nil) == 8)
    }

    @Test("a plan naming a backend the catalog does not have is refused before anything opens")
    func unknownAtRunTime() throws {
        let plan = try TestPlan.make { $0.sending.backend = PacketBackend(rawValue: "dpdk") }
        #expect(throws: XMapError("unknown --backend 'dpdk' (expected packet, afxdp or netmap)")) {
            _ = try plan.run()
        }
    }
}
