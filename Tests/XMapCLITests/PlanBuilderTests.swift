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
}
