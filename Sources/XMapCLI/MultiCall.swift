/// The multi-call entry point: the tool is chosen by the base name of argv[0] (`zmap`,
/// `ziterate`, `zblocklist`, `ztee`; anything else is `xmap`).
public enum MultiCall {
    public static func run(arguments: [String] = CommandLine.arguments) -> Never {
        let rest = Array(arguments.dropFirst())
        switch tool(named: arguments.first ?? "xmap") {
        case "zmap": ZMapMain.run(arguments: rest)
        case "ziterate": ZIterateMain.run(arguments: rest)
        case "zblocklist": ZBlocklistMain.run(arguments: rest)
        case "ztee": ZTeeMain.run(arguments: rest)
        default: XMapMain.run(arguments: rest)
        }
    }

    /// The tool a program path names: its base name.
    static func tool(named path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
