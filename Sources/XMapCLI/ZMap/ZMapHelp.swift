import XMapCore
import XMapEngine
import XMapModules

/// The module part of `zmap --help`: the selected (or default) probe module's help and the output
/// module's, each wrapped at 80 columns, as ZMap prints them after the options.
enum ZMapHelp {
    static func moduleSections(for options: XMapOptions) throws -> String {
        let planner = ScanPlanner(options: options)
        let probe = try planner.probeEntry()
        let name = options.probeModule ?? Personality.zmap.defaultProbeModule
        var text = "\nProbe Module (\(name)) Help:\n" + ModuleHelp.wrap(probe.helpText, width: 80)
        if let outputName = options.outputModule {
            guard let output = OutputCatalog.module(named: outputName) else {
                throw XMapError("specified output module (\(outputName)) does not exist")
            }
            text += "\nOutput Module (\(output.name)) Help:\n" + ModuleHelp.wrap(output.helpText, width: 80)
        } else {
            text += "\nOutput Module (Default) Help:\n" + ModuleHelp.wrap(defaultOutputHelp, width: 80)
        }
        return text
    }

    /// What the default output mode does (no -O, -f or --output-filter).
    static let defaultOutputHelp =
        "By default, zmap writes the address of every host that answers successfully "
        + "(a SYN-ACK to a TCP SYN scan, say), once, one per line (e.g. 192.0.2.5), to stdout or the output "
        + "file: the csv output module with --output-fields=saddr --output-filter=\"success = 1 && repeat = 0\" "
        + "--no-header-row."
}
