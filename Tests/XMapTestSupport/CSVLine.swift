/// Splits one line of RFC 4180 CSV (as xmap's csv output writes it) into its cells.
public enum CSVLine {
    public struct Malformed: Error { public let line: String }

    public static func split(_ line: String) throws -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false, wasQuoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { cell.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    cell.append(c)
                }
            } else if c == "," {
                cells.append(cell)
                cell = ""
                wasQuoted = false
            } else if c == "\"" && cell.isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
            } else {
                cell.append(c)
            }
        }
        if quoted { throw Malformed(line: line) }
        cells.append(cell)
        return cells
    }
}
