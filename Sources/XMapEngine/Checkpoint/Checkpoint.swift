import XMapCore

/// What `--checkpoint` writes and `--resume` reads: the scan's parameters (to refuse resuming a
/// different scan), its seed and validation key, and each sender thread's progress. A JSON
/// document, written atomically every second and when the scan is interrupted or ends.
public struct Checkpoint: Sendable, Equatable {
    /// The options that decide which packets the scan sends, as name and canonical value.
    public var parameters: [String: String]
    public var seed: UInt64
    /// The AES-128 validation key (random when no seed was given, so it must be kept).
    public var validationKey: [UInt8]
    public var threads: [ThreadProgress]

    public init(parameters: [String: String], seed: UInt64, validationKey: [UInt8], threads: [ThreadProgress]) {
        self.parameters = parameters
        self.seed = seed
        self.validationKey = validationKey
        self.threads = threads
    }

    /// Whether every thread has finished its share.
    public var isComplete: Bool { threads.allSatisfy { $0.position == .finished } }

    /// The document, one line of JSON.
    public var json: String {
        var out: [UInt8] = []
        func key(_ k: String) { JSONText.appendString(k, to: &out); out += Array(": ".utf8) }
        out += Array("{ ".utf8)
        key("xmap_checkpoint"); out += Array("1, ".utf8)
        key("parameters"); out += Array("{ ".utf8)
        for (i, name) in parameters.keys.sorted().enumerated() {
            if i > 0 { out += Array(", ".utf8) }
            key(name); JSONText.appendString(parameters[name]!, to: &out)
        }
        out += Array(" }, ".utf8)
        key("seed"); JSONText.appendString(String(seed), to: &out); out += Array(", ".utf8)
        key("validation_key");
        JSONText.appendString(validationKey.map { String($0, radix: 16).leftPadded(2) }.joined(), to: &out)
        out += Array(", ".utf8)
        key("threads"); out += Array("[ ".utf8)
        for (i, t) in threads.enumerated() {
            if i > 0 { out += Array(", ".utf8) }
            out += Array("{ ".utf8)
            key("position"); JSONText.appendString(t.position.text, to: &out)
            out += Array(", \"targets\": \(t.targets), \"packets\": \(t.packets), \"failed\": \(t.failed) }".utf8)
        }
        out += Array(" ] }\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses a checkpoint document (`path` names it in messages).
    /// - Throws: `XMapError` saying what is wrong with it.
    public init(json text: String, path: String) throws {
        func bad(_ why: String) -> XMapError { XMapError("'\(path)' is not an xmap checkpoint: \(why)") }
        let value: JSONValue
        do { value = try JSONValue(parsing: text) } catch let e as XMapError { throw bad(e.message) }
        guard case .object(let members) = value else { throw bad("not a JSON object") }
        let m = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        guard m["xmap_checkpoint"] == .number("1") else { throw bad("no version 1 marker") }
        guard case .object(let params)? = m["parameters"] else { throw bad("no parameters") }
        var parameters: [String: String] = [:]
        for p in params {
            guard case .string(let v) = p.value else { throw bad("parameter \(p.key) is not a string") }
            parameters[p.key] = v
        }
        guard case .string(let seedText)? = m["seed"], let seed = UInt64(seedText) else { throw bad("no seed") }
        guard case .string(let keyText)? = m["validation_key"], let key = Self.bytes(hex: keyText), key.count == 16
        else {
            throw bad("no validation key")
        }
        guard case .array(let list)? = m["threads"], !list.isEmpty else { throw bad("no threads") }
        var threads: [ThreadProgress] = []
        for item in list {
            guard case .object(let fields) = item else { throw bad("a thread is not an object") }
            let f = Dictionary(fields.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            guard case .string(let pos)? = f["position"], let position = WalkPosition(text: pos) else {
                throw bad("a thread has no position")
            }
            func count(_ name: String) throws -> UInt64 {
                guard case .number(let n)? = f[name], let v = UInt64(n) else {
                    throw bad("a thread has no \(name) count")
                }
                return v
            }
            threads.append(
                ThreadProgress(
                    position: position, targets: try count("targets"), packets: try count("packets"),
                    failed: try count("failed")))
        }
        self.init(parameters: parameters, seed: seed, validationKey: key, threads: threads)
    }

    /// The bytes of a hex string, or nil.
    static func bytes(hex: String) -> [UInt8]? {
        let digits = hex.utf8.map { c -> UInt8? in
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            default: return nil
            }
        }
        guard digits.count % 2 == 0, !digits.contains(nil) else { return nil }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0]! << 4 | digits[$0 + 1]! }
    }

    /// The parameters that differ from `current`, as `name (checkpoint: a, now: b)`.
    public func differences(from current: [String: String]) -> [String] {
        Set(parameters.keys).union(current.keys).sorted().compactMap { name in
            let a = parameters[name] ?? "", b = current[name] ?? ""
            return a == b ? nil : "\(name) (checkpoint: '\(a)', now: '\(b)')"
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
