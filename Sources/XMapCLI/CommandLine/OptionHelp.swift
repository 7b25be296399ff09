/// `--help` in gengetopt's layout (XMap's and ZMap's): sections, then one entry per option as
/// `  -p, --target-ports=ports     text  (default=`…')`, the text wrapped at 80 columns and
/// continued under itself.
enum OptionHelp {
    /// The column where help texts start.
    static let textColumn = 32

    /// The option listing of `table`, in table order, grouped by section.
    static func listing<O>(_ table: [OptionDefinition<O>]) -> String {
        var out = ""
        var section: String? = nil
        for option in table where !option.hidden {
            if option.section != section {
                section = option.section
                if !option.section.isEmpty { out += "\n" + option.section + ":\n" }
            }
            var text = option.help
            if let d = option.defaultText { text += "  (default=`\(d)')" }
            out += entry(left: usage(option), text: text)
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

    /// One entry: the left column, then the text wrapped at 80 columns.
    static func entry(left: String, text: String) -> String {
        let lead = "  " + left
        let pad = String(repeating: " ", count: textColumn)
        var lines = wrap(text, width: 80 - textColumn)
        if lines.isEmpty { lines = [""] }
        var out = lead.count + 2 <= textColumn
            ? lead + String(repeating: " ", count: textColumn - lead.count) + lines[0] + "\n"
            : lead + "\n" + pad + lines[0] + "\n"
        for line in lines.dropFirst() { out += pad + line + "\n" }
        return out
    }

    /// Words of `text` in lines of at most `width` characters (a longer word gets its own line).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
