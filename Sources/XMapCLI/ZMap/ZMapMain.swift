#if canImport(Glibc)
import Glibc
#endif
import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// The `zmap` command (xmap invoked as `zmap`): ZMap 4.3's command line, defaults, listings,
/// help, dry-run text, log lines and metadata, over xmap's engine.
enum ZMapMain {
    static let version = "zmap 4.3.4 (xmap 0.1.0: a ZMap-compatible build of the xmap scanner)"

    static func run(arguments: [String]) -> Never {
        InterruptSignal.ignoreBrokenPipes()
        Log.program = "zmap"
        let options: XMapOptions
        do {
            options = try XMapOptions.parseZMap(arguments, readConfig: readConfig)
        } catch let e as XMapError {
            usageError(e.message)
        } catch {
            usageError("\(error)")
        }
        if options.help {
            var text = helpText
            do { text += try ZMapHelp.moduleSections(for: options) } catch let e as XMapError {
                XMapMain.fail(e.message, module: "zmap")
            } catch {}
            writeStdout(text)
            exit(0)
        }
        ScanCommand.run(options)
    }

    /// The words of `path`: nil when it is the default file and absent.
    static func readConfig(_ path: String) throws -> [String]? {
        if path == Personality.zmap.defaultConfigPath && !LocalFiles.isReadable(path) { return nil }
        return try ConfigFile.arguments(path: path)
    }

    /// A command-line syntax error, as getopt prints it.
    static func usageError(_ message: String) -> Never {
        writeStderr("zmap: \(message)\n")
        exit(1)
    }

    /// `--help`'s option part, in ZMap's layout.
    static var helpText: String {
        "Usage: zmap [OPTION]... [SUBNETS]...\nA fast Internet-wide scanner.\n"
            + OptionHelp.listing(XMapOptions.zmapTable) + """

                Examples:
                    zmap -p 80 (scan the whole IPv4 space on TCP/80)
                    zmap -N 5 -B 10M -p 80 (find 5 HTTP servers, sending at 10 Mb/s)
                    zmap -p 80 10.0.0.0/8 192.168.0.0/16 (scan both subnets on TCP/80)
                    zmap -p 80 1.2.3.4 10.0.0.3 (scan 1.2.3.4 and 10.0.0.3 on TCP/80)
                    zmap -p 80,100-102 (scan the whole IPv4 space on ports 80, 100, 101 and 102)

                """
    }
}
