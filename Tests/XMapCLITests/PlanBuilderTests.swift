import Testing
@testable import XMapCLI
import XMapCore

@Suite("Plan builders")
struct PlanBuilderTests {
    @Test("--cores: numbers split on commas or spaces, each available to the process")
    func cores() throws {
        #expect(try SendPlanBuilder.parseCores("0,1", available: [0, 1]) == [0, 1])
        #expect(try SendPlanBuilder.parseCores("1 0 1", available: [0, 1]) == [1, 0, 1])
        #expect(try SendPlanBuilder.parseCores(nil, available: [0, 1]) == [0, 1])
        #expect(throws: XMapError.self) { try SendPlanBuilder.parseCores("2", available: [0, 1]) }
        #expect(throws: XMapError.self) { try SendPlanBuilder.parseCores("x", available: [0, 1]) }
        #expect(throws: XMapError.self) { try SendPlanBuilder.parseCores(",", available: [0, 1]) }
    }

    @Test("the backend's thread cap is part of the plan: the thread checks, the checkpoint and the metadata see it")
    func backendThreadCap() throws {
        // lo has one TX queue: -T 4 with AF_XDP plans one sender (a dry run is not capped).
        let arguments = [
            "-4", "-M", "icmp_echo", "--backend", "afxdp", "-i", "lo", "-T", "4",
            "--checkpoint", "/nonexistent/checkpoint", "198.51.100.0/24"
        ]
        let plan = try ScanPlanner(options: try XMapOptions.parse(arguments)).plan()
        #expect(plan.sending.senderThreads == 1)
        #expect(plan.checkpoint?.parameters["sender_threads"] == "1")
        let dry = try ScanPlanner(options: try XMapOptions.parse(arguments + ["--dryrun"])).plan()
        #expect(dry.sending.senderThreads == 4)
        // The packet backend has no cap.
        let packet = try ScanPlanner(options: try XMapOptions.parse(["-4", "-i", "lo", "-T", "4", "198.51.100.0/24"]))
            .plan()
        #expect(packet.sending.senderThreads == 4)
    }
}
