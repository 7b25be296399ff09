import XMapCore

/// GNU `getopt_long` semantics over an option table, as XMap's and ZMap's gengetopt parsers
/// behave, written out so every rule is explicit and tested:
/// - options and operands may be mixed (operands are collected in order); `--` ends the options;
///   a lone `-` is an operand;
/// - `--name=value` (an empty value is a value: `--notes=` gives `""`), `--name value` (the next
///   word is the value even when it starts with `-`), and any unambiguous prefix of a long name;
/// - `-p80`, `-p 80`, and clusters of flags such as `-qd`.
/// Every syntax error is one line in getopt's words (`unrecognized option '--bogus'`).
struct GetoptParser<Options> {
    /// An option found on the command line.
    struct Occurrence {
        /// Index of the option in the table.
        let index: Int
        /// Its value (nil for a flag).
        let value: String?
    }

    /// What the command line holds.
    struct Result {
        var occurrences: [Occurrence] = []
        var operands: [String] = []
    }

    let table: [OptionDefinition<Options>]

    /// Splits `arguments` (without the program name) into options and operands.
    /// - Throws: `XMapError` with getopt's message for an unknown, ambiguous or malformed option.
    func parse(_ arguments: [String]) throws(XMapError) -> Result {
        var result = Result()
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            i += 1
            if word == "--" {
                result.operands += arguments[i...]
                break
            }
            if word.hasPrefix("--") {
                result.occurrences.append(try long(word, arguments, &i))
            } else if word.hasPrefix("-") && word.count > 1 {
                result.occurrences += try shorts(word, arguments, &i)
            } else {
                result.operands.append(word)
            }
        }
        return result
    }

    /// `--name`, `--name=value` or `--name value` (the latter advances `i`).
    private func long(_ word: String, _ arguments: [String], _ i: inout Int) throws(XMapError) -> Occurrence {
        let body = word.dropFirst(2)
        let name: Substring, inline: Substring?
        if let eq = body.firstIndex(of: "=") {
            name = body[..<eq]
            inline = body[body.index(after: eq)...]
        } else {
            name = body
            inline = nil
        }
        let index = try lookUp(long: name, word: word)
        let option = table[index]
        if !option.takesValue {
            if inline != nil { throw XMapError("option '--\(option.name)' doesn't allow an argument") }
            return Occurrence(index: index, value: nil)
        }
        if let inline { return Occurrence(index: index, value: String(inline)) }
        guard i < arguments.count else { throw XMapError("option '--\(option.name)' requires an argument") }
        i += 1
        return Occurrence(index: index, value: arguments[i - 1])
    }

    /// The table index of a long name or its unambiguous prefix. Aliases of one option are one
    /// option (as getopt, which compares what the entries do).
    private func lookUp(long name: Substring, word: String) throws(XMapError) -> Int {
        var prefixMatches: [Int] = []
        for (index, option) in table.enumerated() {
            if option.names.contains(where: { $0 == name }) { return index }
            if !name.isEmpty && option.names.contains(where: { $0.hasPrefix(name) }) { prefixMatches.append(index) }
        }
        guard let first = prefixMatches.first else { throw XMapError("unrecognized option '\(word)'") }
        guard prefixMatches.count == 1 else {
            let names = prefixMatches.map { "'--" + (table[$0].names.first { $0.hasPrefix(name) } ?? "") + "'" }
            throw XMapError("option '--\(name)' is ambiguous; possibilities: " + names.joined(separator: " "))
        }
        return first
    }

    /// `-abc` (flags), `-pVALUE` or `-p VALUE` (the latter advances `i`).
    private func shorts(_ word: String, _ arguments: [String], _ i: inout Int) throws(XMapError) -> [Occurrence] {
        var out: [Occurrence] = []
        var rest = word.dropFirst()
        while let letter = rest.first {
            rest = rest.dropFirst()
            guard let index = table.firstIndex(where: { $0.short == letter }) else {
                throw XMapError("invalid option -- '\(letter)'")
            }
            if !table[index].takesValue {
                out.append(Occurrence(index: index, value: nil))
                continue
            }
            if !rest.isEmpty {
                out.append(Occurrence(index: index, value: String(rest)))
                return out
            }
            guard i < arguments.count else { throw XMapError("option requires an argument -- '\(letter)'") }
            i += 1
            out.append(Occurrence(index: index, value: arguments[i - 1]))
            return out
        }
        return out
    }
}

extension GetoptParser {
    /// Applies the options of a config file and of the command line, as gengetopt does with
    /// `override = 0`: an option given on the command line wins over the file, and an option given
    /// twice in one source is an error (`` `--rate' (`-R') option given more than once ``).
    /// - Returns: the primary names of the options whose value came from the config file.
    @discardableResult
    func apply(commandLine: Result, configFile: Result?, to options: inout Options) throws(XMapError) -> Set<String> {
        let given = Set(commandLine.occurrences.map(\.index))
        var fromFile = Set<String>()
        if let configFile {
            let used = configFile.occurrences.filter { !given.contains($0.index) }
            try store(used, into: &options)
            for o in used { fromFile.insert(table[o.index].name) }
        }
        try store(commandLine.occurrences, into: &options)
        return fromFile
    }

    private func store(_ occurrences: [Occurrence], into options: inout Options) throws(XMapError) {
        var seen = Set<Int>()
        for o in occurrences {
            let option = table[o.index]
            guard seen.insert(o.index).inserted else {
                let letter = option.short.map { " (`-\($0)')" } ?? ""
                throw XMapError("`--\(option.name)'\(letter) option given more than once")
            }
            try option.store(&options, o.value)
        }
    }
}
