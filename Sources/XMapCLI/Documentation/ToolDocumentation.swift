import XMapEngine
import XMapModules

/// One option as the man pages and completions see it: an entry of a tool's option table (the
/// one the parser and `--help` use) without its store function.
struct DocumentedOption: Equatable {
    /// Long names without `--`; the first is the one help shows, the rest are accepted aliases.
    let names: [String]
    /// The short letter, if any.
    let short: Character?
    /// The value's name in help, or nil for a flag.
    let metavar: String?
    /// The help text.
    let help: String
    /// The help section.
    let section: String
    /// What help shows as the default, if anything.
    let defaultText: String?
    /// Accepted but not listed in `--help`.
    let hidden: Bool

    init<Options>(_ option: OptionDefinition<Options>) {
        names = option.names
        short = option.short
        metavar = option.metavar
        help = option.help
        section = option.section
        defaultText = option.defaultText
        hidden = option.hidden
    }

    /// The primary long name.
    var name: String { names[0] }
    /// True when the option takes a value.
    var takesValue: Bool { metavar != nil }
    /// Every spelling: `-p`, `--target-port`, `--target-ports`.
    var spellings: [String] { (short.map { ["-\($0)"] } ?? []) + names.map { "--" + $0 } }
}

/// What a shell offers for an option's value or for an operand.
enum ValueCompletion: Equatable {
    /// Free text (a number, a port list, an address): nothing to offer.
    case text
    /// A file name.
    case file
    /// A directory name.
    case directory
    /// A network interface.
    case interface
    /// A user name.
    case user
    /// One of these words.
    case words([String])
}

/// One tool of the multi-call binary as its documentation sees it: name, version, synopsis and
/// the option table that parses its command line and prints its `--help`.
struct ToolDocumentation {
    /// The command name (`xmap`, `zmap`, `ziterate`, `zblocklist`, `ztee`).
    let name: String
    /// The NAME line's description.
    let summary: String
    /// What follows `[OPTION]...` in the synopsis.
    let operands: String
    /// What operands complete as (nil: nothing).
    let operandCompletion: ValueCompletion?
    /// The options, in `--help` order.
    let options: [DocumentedOption]
    /// The names `-M`/`--probe-module` accepts, in listing order.
    let probeModules: [String]
    /// The probe module without `-M` (whose fields the man page lists), if the tool has `-M`.
    let defaultProbeModule: ProbeModuleEntry?

    /// The package version (`0.1.0`), from `xmap --version`.
    static var packageVersion: String {
        XMapMain.version.split(separator: " ").dropFirst().first.map(String.init) ?? "0"
    }

    /// The five tools, in the order the documentation lists them.
    static var all: [ToolDocumentation] { [xmap, zmap, ziterate, zblocklist, ztee] }

    /// The tool called `name`, if any.
    static func named(_ name: String) -> ToolDocumentation? { all.first { $0.name == name } }

    /// What `option`'s value completes as (nil for a flag).
    func completion(for option: DocumentedOption) -> ValueCompletion? {
        guard option.takesValue else { return nil }
        switch option.name {
        case "probe-module": return .words(probeModules)
        case "output-module": return .words(OutputCatalog.modules.map { $0.name })
        case "iid-module": return .words(IIDCatalog.modules.map { $0.name })
        case "backend": return .words(BackendCatalog.names)
        case "dedup-method": return .words(["default", "full", "window", "none"])
        case "validate-source-port": return .words(["enable", "disable"])
        case "interface": return .interface
        case "user": return .user
        case "log-directory": return .directory
        case "config", "checkpoint", "resume": return .file
        default: return option.name.hasSuffix("-file") ? .file : .text
        }
    }

    /// `xmap`: XMap's table; `-M` takes every module of both families and ZMap's names.
    static var xmap: ToolDocumentation {
        var names: [String] = []
        for entry in ProbeCatalog.entries where !names.contains(entry.name) { names.append(entry.name) }
        names += ProbeCatalog.aliases.keys.sorted()
        return ToolDocumentation(
            name: "xmap", summary: "fast Internet-wide network scanner for IPv6 and IPv4",
            operands: "[TARGETS]...", operandCompletion: nil, options: XMapOptions.table.map(DocumentedOption.init),
            probeModules: names, defaultProbeModule: ProbeCatalog.entry(named: "icmp_echo", family: .v6))
    }

    /// `zmap`: ZMap's table; `-M` takes what `zmap --list-probe-modules` lists.
    static var zmap: ToolDocumentation {
        let xmapNames = Set(ZMapModuleNames.xmapNames(of: ZMapListing.zmapProbeModules))
        let more = ProbeCatalog.entries(.v4).map(\.name).filter { !xmapNames.contains($0) }
        return ToolDocumentation(
            name: "zmap", summary: "fast Internet-wide IPv4 scanner (ZMap 4.3's command line, run by xmap)",
            operands: "[SUBNETS]...", operandCompletion: nil,
            options: XMapOptions.zmapTable.map(DocumentedOption.init),
            probeModules: ZMapListing.zmapProbeModules + more,
            defaultProbeModule: ProbeCatalog.entry(named: Personality.zmap.defaultProbeModule, family: .v4))
    }

    /// `ziterate`, `zblocklist` and `ztee`: their own tables, no modules.
    static var ziterate: ToolDocumentation {
        ToolDocumentation(
            name: "ziterate", summary: "list the targets of an IPv4 scan in ZMap's order", operands: "[SUBNETS]...",
            operandCompletion: nil, options: ZIterateMain.table.map(DocumentedOption.init), probeModules: [],
            defaultProbeModule: nil)
    }

    static var zblocklist: ToolDocumentation {
        ToolDocumentation(
            name: "zblocklist", summary: "filter IPv4 addresses through an allowlist and a blocklist",
            operands: "< ADDRESSES", operandCompletion: nil,
            options: ZBlocklistOptions.table.map(DocumentedOption.init), probeModules: [], defaultProbeModule: nil)
    }

    static var ztee: ToolDocumentation {
        ToolDocumentation(
            name: "ztee", summary: "copy scan results to a file and pass their addresses on", operands: "FILE",
            operandCompletion: .file, options: ZTeeOptions.table.map(DocumentedOption.init), probeModules: [],
            defaultProbeModule: nil)
    }
}

extension StringProtocol {
    /// The text with every occurrence of `target` (not empty) replaced by `replacement`, left to
    /// right (the documentation's escapes; no Foundation here).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let pattern = Array(target), characters = Array(self)
        var out = ""
        var i = 0
        while i < characters.count {
            if i + pattern.count <= characters.count && characters[i..<i + pattern.count].elementsEqual(pattern) {
                out += replacement
                i += pattern.count
            } else {
                out.append(characters[i])
                i += 1
            }
        }
        return out
    }

    /// Where `target` first starts, as a character offset.
    func offset(of target: String) -> Int? {
        let pattern = Array(target), characters = Array(self)
        guard pattern.count <= characters.count else { return nil }
        return (0...(characters.count - pattern.count)).first {
            characters[$0..<$0 + pattern.count].elementsEqual(pattern)
        }
    }
}
