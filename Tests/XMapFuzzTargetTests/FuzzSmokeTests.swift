import Testing
import XMapCore
@testable import XMapFuzzTargets
import XMapEngine

/// A deterministic smoke of every fuzz target (its seeds, mutations of them, and random bytes),
/// so CI exercises them without libFuzzer; `make fuzz` runs them for real.
@Suite("Fuzz target smoke")
struct FuzzSmokeTests {
    @Test("every target survives its seeds, their mutations and random input", arguments: FuzzTarget.all.map(\.name))
    func smoke(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        var rng = SplitMix64(seed: 7)
        let seeds = target.seeds()
        #expect(!seeds.isEmpty)
        for seed in seeds { seed.withUnsafeBytes { target.run($0) } }
        for i in 0..<20_000 {
            var bytes = seeds[i % seeds.count]
            switch rng.next() % 4 {
            case 0: bytes = (0..<Int(rng.next() % 160)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 1 where !bytes.isEmpty: bytes.removeLast(Int(rng.next() % UInt64(bytes.count)))
            default:
                for _ in 0..<(1 + rng.next() % 4) where !bytes.isEmpty {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            bytes.withUnsafeBytes { target.run($0) }
        }
    }

    @Test("the targets cover every kind of untrusted input")
    func coverage() {
        #expect(
            Set(FuzzTarget.all.map(\.name)) == [
                "replies", "dns", "targets", "filter", "config", "list", "json",
                "template", "link", "lan"
            ])
    }
}

/// The replies target takes its modules from the probe catalog, so no module goes unfuzzed.
@Suite("Reply fuzzing covers the catalog")
struct ReplyFuzzingCoverageTests {
    @Test("every catalog entry, for each of its families, is a subject of the replies target")
    func everyModule() {
        let subjects = ReplyFuzzing.subjects.filter { $0.probeArgs == nil }.map { "\($0.name)/\($0.family)" }
        #expect(subjects == ProbeCatalog.entries.map { "\($0.name)/\($0.family)" })
        #expect(ProbeCatalog.entries.count == 52)
    }
}
