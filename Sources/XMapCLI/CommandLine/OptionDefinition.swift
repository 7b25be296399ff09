import XMapCore

/// One command-line option: its spellings, whether it takes a value, its help text, and how a
/// value is stored into the options value `Options`. A table of these drives the parser
/// (`GetoptParser`), `--help`, the man page and the shell completions, so they cannot disagree.
struct OptionDefinition<Options> {
    /// Long names without the leading `--`; the first is the one help shows, the others are
    /// accepted aliases (e.g. ZMap's `--blocklist-file` next to XMap's `--blacklist-file`).
    let names: [String]
    /// The short letter (`-p`), if any.
    let short: Character?
    /// The value's name in help (`ports`), or nil for a flag.
    let metavar: String?
    /// One line (wrapped by the help printer).
    let help: String
    /// The help section the option is listed under.
    let section: String
    /// What help shows as `(default=…)`, if anything.
    let defaultText: String?
    /// Accepted but not listed in help (compatibility spellings).
    let hidden: Bool
    /// Stores the value (nil for a flag).
    let store: (inout Options, String?) throws(XMapError) -> Void

    /// The primary long name.
    var name: String { names[0] }
    /// True when the option takes a value.
    var takesValue: Bool { metavar != nil }

    /// How help and errors name it: `--max-len` (`-x`).
    var spelling: String { "--" + name }
}

extension OptionDefinition {
    /// A flag stored as `true`.
    static func flag(
        _ names: [String], _ short: Character? = nil, _ section: String, _ help: String,
        hidden: Bool = false, _ key: WritableKeyPath<Options, Bool>
    ) -> Self {
        Self(
            names: names, short: short, metavar: nil, help: help, section: section, defaultText: nil,
            hidden: hidden, store: { o, _ in o[keyPath: key] = true })
    }

    /// An option with a value: `parse` turns the text (with the option's primary name, for its
    /// error) into what `key` holds. The string, integer and number options below are this.
    static func value<Value>(
        _ names: [String], _ short: Character?, _ section: String, _ metavar: String, _ help: String,
        default defaultText: String?, hidden: Bool, _ key: WritableKeyPath<Options, Value?>,
        parse: @escaping (String, String) throws(XMapError) -> Value
    ) -> Self {
        Self(
            names: names, short: short, metavar: metavar, help: help, section: section, defaultText: defaultText,
            hidden: hidden,
            store: { o, v throws(XMapError) in o[keyPath: key] = try parse(v ?? "", names[0]) })
    }

    /// A string value.
    static func string(
        _ names: [String], _ short: Character? = nil, _ section: String, _ metavar: String,
        _ help: String, default defaultText: String? = nil, hidden: Bool = false,
        _ key: WritableKeyPath<Options, String?>
    ) -> Self {
        value(names, short, section, metavar, help, default: defaultText, hidden: hidden, key) { text, _ in text }
    }

    /// A decimal integer value (gengetopt's `int`/`longlong`: optional sign, base 10, nothing after).
    static func integer<I: FixedWidthInteger>(
        _ names: [String], _ short: Character? = nil, _ section: String,
        _ metavar: String, _ help: String, default defaultText: String? = nil,
        hidden: Bool = false, _ key: WritableKeyPath<Options, I?>
    ) -> Self {
        value(names, short, section, metavar, help, default: defaultText, hidden: hidden, key) {
            text, name throws(XMapError) in try OptionValue.integer(text, option: name, as: I.self)
        }
    }

    /// A decimal number value (gengetopt's `float`).
    static func number(
        _ names: [String], _ short: Character? = nil, _ section: String, _ metavar: String,
        _ help: String, default defaultText: String? = nil, hidden: Bool = false,
        _ key: WritableKeyPath<Options, Double?>
    ) -> Self {
        value(names, short, section, metavar, help, default: defaultText, hidden: hidden, key) {
            text, name throws(XMapError) in try OptionValue.number(text, option: name)
        }
    }
}

/// Conversions of option values, with gengetopt's error text.
enum OptionValue {
    /// A base-10 integer with an optional sign and no trailing text.
    static func integer<I: FixedWidthInteger>(_ text: String, option: String, as: I.Type) throws(XMapError) -> I {
        guard let v = I(text.trimmingLeadingSpaces(), radix: 10) else {
            throw XMapError("invalid numeric value for --\(option): '\(text)'")
        }
        return v
    }

    /// A finite decimal number.
    static func number(_ text: String, option: String) throws(XMapError) -> Double {
        guard let v = Double(text.trimmingLeadingSpaces()), v.isFinite else {
            throw XMapError("invalid numeric value for --\(option): '\(text)'")
        }
        return v
    }
}

extension String {
    /// strtol skips leading white space; so does gengetopt's conversion.
    func trimmingLeadingSpaces() -> Substring {
        self.drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" })
    }
}
