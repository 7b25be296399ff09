import XMapCore

/// `--probe-args` of the DNS modules, in XMap's grammar:
///
///     LABEL:RECURSE:text:TYPE,name[;TYPE,name…]     LABEL:RECURSE:file:PATH
///
/// with LABEL one of `raw`, `str:TEXT`, `time`, `random` and `dst-ip`, RECURSE `recurse` or
/// `no-recurse`; each line of a question file is such a list. The legacy `dns` module takes
/// `TYPE,name[;TYPE,name…]`, one question per probe.
public struct DNSProbeArguments: Sendable, Equatable {
    /// What is put in front of each question's name.
    public enum Label: Sendable, Equatable {
        /// Nothing.
        case raw
        /// `str:TEXT`: TEXT as a label of its own (`www.example.com`).
        case text(String)
        /// `time`: `<seconds>-<microseconds>` when the packet is built.
        case time
        /// `random`: lowercase letters from the thread's random stream.
        case random
        /// `dst-ip`: the destination address's first four bytes in hex.
        case destination
    }

    public struct Question: Sendable, Equatable {
        public var type: DNSType
        /// The name as given (for `str:` with the label in front).
        public var name: String
    }

    public var label: Label
    public var recursionDesired: Bool
    public var questions: [Question]

    /// XMap's default question.
    static let defaultQuestion = Question(type: .a, name: "www.qq.com")

    /// Parses `args` for a module with `behavior`. `indexes` is `-P` when given; without it the
    /// number of questions decides the number of target indexes.
    public static func parse(
        _ args: String?, behavior: DNSBehavior, module: String, indexes: Int?, probes: Int,
        files: any FileSource
    ) throws -> DNSProbeArguments {
        if behavior.legacy { return try parseLegacy(args, behavior: behavior, probes: probes) }
        guard let args, !args.isEmpty else {
            if let indexes, indexes > 1 {
                throw XMapError(
                    "\(indexes) target indexes (-P) but only the default question; give one question "
                        + "per index with --probe-args", module: module)
            }
            return DNSProbeArguments(label: .raw, recursionDesired: true, questions: [defaultQuestion])
        }
        let usage = XMapError(usageText(behavior), module: module)
        var rest = Substring(args)
        func field() throws -> Substring {
            guard let colon = rest.firstIndex(of: ":") else { throw usage }
            defer { rest = rest[rest.index(after: colon)...] }
            return rest[..<colon]
        }
        func hasPrefix(_ s: Substring, _ p: String) -> Bool { s.lowercased().hasPrefix(p) }
        let first = try field()
        let label: Label
        if hasPrefix(first, "raw") {
            label = .raw
        } else if hasPrefix(first, "time") {
            label = .time
        } else if hasPrefix(first, "random") {
            label = .random
        } else if hasPrefix(first, "str") {
            label = .text(String(try field()))
        } else if hasPrefix(first, "dst-ip") && behavior.destinationLabel {
            label = .destination
        } else {
            throw usage
        }
        let recurse = try field()
        let recursionDesired: Bool
        if hasPrefix(recurse, "recurse") {
            recursionDesired = true
        } else if hasPrefix(recurse, "no-recurse") {
            recursionDesired = false
        } else {
            throw usage
        }
        let source = try field()
        var items: [Substring] = []
        if hasPrefix(source, "text") {
            items = rest.split(separator: ";")
        } else if hasPrefix(source, "file") {
            let bytes: [UInt8]
            do { bytes = try files.contents(of: String(rest), limit: 1 << 24) } catch {
                throw XMapError("null dns domain file (\(rest): \(error))", module: module)
            }
            for line in bytes.split(separator: UInt8(ascii: "\n")) {
                let l = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
                guard l.count <= 1023 else {
                    throw XMapError(
                        "a line of the question file \(rest) is longer than 1023 characters",
                        module: module)
                }
                items += Substring(decoding: l, as: UTF8.self).split(separator: ";")
            }
        } else {
            throw usage
        }
        var questions: [Question] = []
        for item in items {
            guard let comma = item.firstIndex(of: ","), comma != item.startIndex,
                item.index(after: comma) != item.endIndex
            else { throw usage }
            let typeName = item[..<comma].uppercased()
            guard behavior.types.names.contains(typeName), let type = DNSType(mnemonic: typeName) else {
                let separator = behavior.types == .classic ? "." : ":"
                throw XMapError("incorrect qtype supplied\(separator) \(typeName)", module: module)
            }
            var name = String(item[item.index(after: comma)...])
            if case .text(let prefix) = label { name = prefix + "." + name }
            questions.append(Question(type: type, name: name))
        }
        let count = indexes ?? questions.count
        guard count >= 1 else {
            throw XMapError("invalid number of probes for the DNS module: \(count)", module: module)
        }
        if questions.count > count {
            throw XMapError("less probes than questions configured. Add additional questions.", module: module)
        }
        if questions.count < count {
            throw XMapError("more probes than questions configured. Add additional probes.", module: module)
        }
        return DNSProbeArguments(label: label, recursionDesired: recursionDesired, questions: questions)
    }

    /// XMap's usage message for a malformed specification.
    static func usageText(_ b: DNSBehavior) -> String {
        if b.destinationLabel {
            return "unknown DNS probe specification (expected raw/time/random:recurse/no-recurse:text:TYPE,QUESTION "
                + "or raw/time/random:recurse/no-recurse:file:file_name or "
                + "str:some_text:recurse/no-recurse:text:TYPE,QUESTION or "
                + "str:some_text:recurse/no-recurse:file:file_name)"
        }
        return "unknown DNS probe specification (expected raw/time/random:text:TYPE,QUESTION or "
            + "raw/time/random:file:file_name or str:some_text:text:TYPE,QUESTION or str:some_text:file:file_name)"
    }

    /// The `dns` module: `TYPE,name;TYPE,name…`, exactly one question per probe.
    static func parseLegacy(_ args: String?, behavior: DNSBehavior, probes: Int) throws -> DNSProbeArguments {
        guard let args else {
            return DNSProbeArguments(
                label: .raw, recursionDesired: true,
                questions: Array(repeating: defaultQuestion, count: probes))
        }
        let items = args.split(separator: ";", omittingEmptySubsequences: false)
        var questions: [Question] = []
        for item in items {
            guard let comma = item.firstIndex(of: ","), comma != item.startIndex,
                item.index(after: comma) != item.endIndex
            else {
                throw XMapError("Invalid probe args. Format: \"A,qq.com\" or \"A,qq.com;A,example.com\"", module: "dns")
            }
            let typeName = item[..<comma].uppercased()
            guard behavior.types.names.contains(typeName), let type = DNSType(mnemonic: typeName) else {
                throw XMapError("Incorrect qtype supplied. \(typeName)", module: "dns")
            }
            questions.append(Question(type: type, name: String(item[item.index(after: comma)...])))
        }
        if questions.count < probes {
            throw XMapError("More probes than questions configured. Add additional questions.", module: "dns")
        }
        if questions.count > probes {
            throw XMapError("More args than probes passed. Add additional probes.", module: "dns")
        }
        return DNSProbeArguments(label: .raw, recursionDesired: true, questions: questions)
    }
}
