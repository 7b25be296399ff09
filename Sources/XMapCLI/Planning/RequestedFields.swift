/// The result fields a scan's output (`-f`) and filter (`--output-filter`) name, read from the
/// options before the output plan exists: the TCP modules stamp their probes for `rtt_us` and
/// describe SYN-ACKs for `fingerprint` only when something reads them.
struct RequestedFields {
    /// The names given; `-f '*'` asks for every field.
    let names: Set<String>
    let all: Bool

    init(options: XMapOptions) {
        var names = Set<String>()
        var all = false
        for name in (options.outputFields ?? "").split(whereSeparator: { $0 == "," || $0 == " " }) {
            if name == "*" { all = true } else { names.insert(String(name)) }
        }
        // Every word of the filter that could be a field name.
        var word = ""
        for c in (options.outputFilter ?? "") + " " {
            if c.isLetter || c.isNumber || c == "_" {
                word.append(c)
            } else if !word.isEmpty {
                names.insert(word)
                word = ""
            }
        }
        self.names = names
        self.all = all
    }

    /// Whether field `name` is output or filtered on.
    func contains(_ name: String) -> Bool { all || names.contains(name) }
}
