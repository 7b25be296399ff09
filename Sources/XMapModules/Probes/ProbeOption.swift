import XMapCore

/// A command-line option that belongs to probe modules, not to the scan (`--dnsz-final`): the
/// module declares it with its spelling and help, and reads its typed value from the settings
/// (`ProbeSettings.value(of:family:)`). The command line only carries the text, by name.
public struct ProbeOption<Value: Sendable>: Sendable {
    /// The long name, without `--`.
    public let name: String
    /// The value's name in help.
    public let metavar: String
    /// One line of help.
    public let help: String
    /// What help shows as the default.
    public let defaultText: String?
    private let parse: @Sendable (_ text: String?, _ family: IPFamily) throws -> Value

    /// - Parameter parse: the value of the option's text for a scan of a family; the text is
    ///   nil when the option was not given (the default). Throws `XMapError` for a bad value.
    public init(
        name: String, metavar: String, help: String, defaultText: String? = nil,
        parse: @escaping @Sendable (_ text: String?, _ family: IPFamily) throws -> Value
    ) {
        self.name = name
        self.metavar = metavar
        self.help = help
        self.defaultText = defaultText
        self.parse = parse
    }

    /// The value of `text` (nil: not given) for a scan of `family`.
    /// - Throws: `XMapError` for a bad value.
    public func value(_ text: String?, family: IPFamily) throws -> Value { try parse(text, family) }

    /// The option without its value type, for the command line's option table.
    public var declaration: ProbeOptionDeclaration {
        ProbeOptionDeclaration(name: name, metavar: metavar, help: help, defaultText: defaultText) { text, family in
            _ = try parse(text, family)
        }
    }
}

/// A probe module's option as the command line sees it: spelling, help, and a check of a value.
public struct ProbeOptionDeclaration: Sendable {
    /// The long name, without `--`.
    public let name: String
    /// The value's name in help.
    public let metavar: String
    /// One line of help.
    public let help: String
    /// What help shows as the default.
    public let defaultText: String?
    private let checkValue: @Sendable (String, IPFamily) throws -> Void

    init(
        name: String, metavar: String, help: String, defaultText: String?,
        check: @escaping @Sendable (String, IPFamily) throws -> Void
    ) {
        self.name = name
        self.metavar = metavar
        self.help = help
        self.defaultText = defaultText
        checkValue = check
    }

    /// Checks a value given on the command line for a scan of `family`.
    /// - Throws: the module's `XMapError` for a bad value.
    public func check(_ text: String, family: IPFamily) throws { try checkValue(text, family) }
}
