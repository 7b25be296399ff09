import Testing
import XMapCore
@testable import XMapEngine

@Suite struct CheckpointTests {
    let sample = Checkpoint(
        parameters: ["probe_module": "udp", "targets": "198.51.100.0/24 \"x\""], seed: 18_446_744_073_709_551_615,
        validationKey: Array(0..<16),
        threads: [
            ThreadProgress(
                position: .element(UInt192(decimal: "340282366920938463463374607431768211456")!),
                targets: 5, packets: 10, failed: 1),
            ThreadProgress(position: .list(entry: 3, port: 1, index: 0)),
            ThreadProgress(position: .finished, targets: 9), ThreadProgress()
        ])

    @Test("a checkpoint reads back as written")
    func roundTrip() throws {
        let back = try Checkpoint(json: sample.json, path: "x")
        #expect(back == sample)
        #expect(!back.isComplete)
    }

    @Test(
        "damaged checkpoints are refused with a clear message",
        arguments: [
            "", "{}", "[1]", "{\"xmap_checkpoint\": 2}", "{\"xmap_checkpoint\": 1, \"parameters\": {}, \"seed\": \"x\"}"
        ])
    func damaged(_ text: String) {
        #expect(throws: XMapError.self) { try Checkpoint(json: text, path: "f.ckpt") }
        for cut in stride(from: 0, to: sample.json.count, by: 7) {
            _ = try? Checkpoint(json: String(sample.json.prefix(cut)), path: "f.ckpt")
        }
    }

    @Test("differences name each parameter that changed")
    func differences() {
        #expect(sample.differences(from: sample.parameters).isEmpty)
        #expect(
            sample.differences(from: ["probe_module": "tcp_syn", "targets": "198.51.100.0/24 \"x\""])
                == ["probe_module (checkpoint: 'udp', now: 'tcp_syn')"])
    }
}
