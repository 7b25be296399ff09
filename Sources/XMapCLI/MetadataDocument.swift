import XMapCore

/// What both metadata documents (`xmap -m` and `zmap -m`) are built from: keys with their JSON
/// text, in order, written as one line in json-c's spaced style.
protocol MetadataDocument {
    /// The keys so far, each with its value as JSON text.
    var items: [(String, String)] { get set }
}

extension MetadataDocument {
    mutating func str(_ k: String, _ v: String) { items.append((k, JSONText.quoted(v))) }
    mutating func num(_ k: String, _ v: some BinaryInteger) { items.append((k, "\(v)")) }
    mutating func bool(_ k: String, _ v: Bool) { items.append((k, v ? "true" : "false")) }
    mutating func strings(_ k: String, _ v: [String]) { items.append((k, Self.array(v.map(JSONText.quoted)))) }

    /// A JSON array of already written values, json-c style (`[ ]` when empty).
    static func array(_ parts: [String]) -> String {
        parts.isEmpty ? "[ ]" : "[ " + parts.joined(separator: ", ") + " ]"
    }

    /// The document: one line and a newline.
    var text: String { "{ " + items.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + " }\n" }
}
