import XMapCore

/// A parser that reads untrusted input, as a fuzz target: given any bytes, it must return
/// (accepting or rejecting them) without trapping, leaking or hanging. `xmap-fuzz` runs these
/// under libFuzzer (`make fuzz`); the test suite replays their seed corpora and random inputs.
public struct FuzzTarget: Sendable {
    /// The name used on the command line, in `make fuzz`'s report and for the corpus folder.
    public let name: String
    /// What the target covers.
    public let summary: String
    /// Runs one input.
    public let run: @Sendable (UnsafeRawBufferPointer) -> Void
    /// Example inputs that start the corpus.
    public let seeds: @Sendable () -> [[UInt8]]

    public init(
        name: String, summary: String, run: @escaping @Sendable (UnsafeRawBufferPointer) -> Void,
        seeds: @escaping @Sendable () -> [[UInt8]]
    ) {
        self.name = name
        self.summary = summary
        self.run = run
        self.seeds = seeds
    }

    /// Every target.
    public static let all: [FuzzTarget] = [
        ReplyFuzzing.target, DNSFuzzing.target, TargetSpecFuzzing.target, FilterFuzzing.target, ConfigFuzzing.target,
        ListLineFuzzing.target, JSONFuzzing.target, TemplateFuzzing.target, LinkFuzzing.target, LANFuzzing.target
    ]

    /// The target called `name`.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

extension UnsafeRawBufferPointer {
    /// The bytes as text (invalid UTF-8 repaired), for targets that parse strings.
    var text: String { String(decoding: self, as: UTF8.self) }
}
