/// `--help` in gengetopt's layout (XMap's and ZMap's): sections, then one entry per option as
/// `  -p, --target-ports=ports      text  (default=`…')`. The text starts at column 32 (on the
/// next line when the left part is longer than 31 columns), lines end by column 79, and
/// continuation lines are indented to column 34.
enum OptionHelp {
    /// The column where help texts start.
    static let textColumn = 32
    /// Continuation lines start here.
    static let continuationColumn = 34
    /// The longest line.
    static let width = 79

    /// The option listing of `table`, in table order, grouped by section.
    static func listing<O>(_ table: [OptionDefinition<O>]) -> String {
        var out = ""
        var section: String? = nil
        for option in table where !option.hidden {
            if option.section != section {
                section = option.section
                if !option.section.isEmpty { out += "\n" + option.section + ":\n" }
            }
            out += entry(left: usage(option), text: option.help, defaultText: option.defaultText)
        }
        return out
    }

    /// `-x, --max-len=len` (or `    --batch=num` without a letter).
    static func usage<O>(_ option: OptionDefinition<O>) -> String {
        var s = option.short.map { "-\($0), " } ?? "    "
        s += "--" + option.name
        if let m = option.metavar { s += "=" + m }
        return s
    }

    /// One entry: the left column, then the text (and its default) wrapped.
    static func entry(left: String, text: String, defaultText: String? = nil) -> String {
        let lead = "  " + left
        var chunks = text.split(separator: " ").map { (word: String($0), gap: 1) }
        if let d = defaultText { chunks.append((word: "(default=`\(d)')", gap: 2)) }
        var out = ""
        var line: String
        if lead.count <= textColumn - 1 {
            line = lead + String(repeating: " ", count: textColumn - lead.count)
        } else {
            out += lead + "\n"
            line = String(repeating: " ", count: textColumn)
        }
        var lineHasWord = false
        for (word, gap) in chunks {
            let separator = lineHasWord ? String(repeating: " ", count: gap) : ""
            if lineHasWord && line.count + separator.count + word.count > width {
                out += line + "\n"
                line = String(repeating: " ", count: continuationColumn) + word
            } else {
                line += separator + word
            }
            lineHasWord = true
        }
        return out + line + "\n"
    }
}
