#if canImport(Glibc)
import Glibc
#endif
import XMapCore
import XMapIO

/// `xmap-docs`, the build-time generator of the man pages and shell completions (`make docs`,
/// `make install`, `make deb`). It writes one document to standard output:
///
///     xmap-docs man TOOL TEMPLATE DATE     TOOL(1) in roff from docs/man/TOOL.1.in
///     xmap-docs completion SHELL TOOL      the bash, zsh or fish completion script of TOOL
///     xmap-docs tools                      the tool names, one per line
///
/// Both come from the option tables that parse each tool's command line and print its `--help`.
public enum DocsGenerator {
    /// The usage line printed for a wrong command line.
    static let usage = """
        usage: xmap-docs man TOOL TEMPLATE DATE | completion bash|zsh|fish TOOL | tools
        TOOL: \(ToolDocumentation.all.map(\.name).joined(separator: ", "))

        """

    /// Runs the generator with `arguments` (without the program name): exit status 0 with the
    /// document on stdout, or 1 with one line on stderr.
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        do {
            writeStdout(try document(arguments))
            exit(0)
        } catch {
            writeStderr("xmap-docs: \(error.message)\n")
            exit(1)
        }
    }

    /// The document `arguments` ask for.
    static func document(_ arguments: [String]) throws(XMapError) -> String {
        switch arguments.first {
        case "man"? where arguments.count == 4:
            let tool = try tool(arguments[1])
            let template: [UInt8]
            do { template = try LocalFiles.read(arguments[2]) } catch let e as XMapError { throw e } catch {
                throw XMapError("cannot read \(arguments[2]): \(error)")
            }
            return try ManPage.render(tool, template: String(decoding: template, as: UTF8.self), date: arguments[3])
        case "completion"? where arguments.count == 3:
            guard let shell = Completions.Shell(rawValue: arguments[1]) else {
                throw XMapError("unknown shell '\(arguments[1])' (bash, zsh or fish)")
            }
            return Completions.script(shell, for: try tool(arguments[2]))
        case "tools"? where arguments.count == 1:
            return ToolDocumentation.all.map { $0.name + "\n" }.joined()
        default:
            throw XMapError(usage)
        }
    }

    /// The tool called `name`, or an error with the usage.
    static func tool(_ name: String) throws(XMapError) -> ToolDocumentation {
        guard let tool = ToolDocumentation.named(name) else { throw XMapError("unknown tool '\(name)'\n" + usage) }
        return tool
    }
}
