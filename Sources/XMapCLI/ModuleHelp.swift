import XMapCore
import XMapEngine
import XMapModules

/// The module part of `--help`, as XMap prints it after the option list: the selected (or
/// default) probe, output and IID modules' help, each wrapped at 80 columns, and the probe
/// module's fields.
enum ModuleHelp {
    /// The sections for the modules `options` select.
    /// - Throws: `XMapError` when `-M`, `-O` or `-U` names no module (XMap exits 1 then too).
    static func text(for options: XMapOptions) throws -> String {
        let planner = ScanPlanner(options: options)
        let probe = try planner.probeEntry()
        let outputName = options.outputModule ?? "default"
        guard let output = OutputCatalog.module(named: outputName) else {
            throw XMapError("specified output module (\(outputName)) does not exist")
        }
        let iidName = options.iidModule ?? "default"
        guard let iid = IIDCatalog.module(named: iidName) else {
            throw XMapError("specified iid module (\(iidName)) does not exist")
        }
        var text = "\nProbe-module (\(probe.family) \(probe.name)) Help:\n" + wrap(probe.helpText, width: 80)
        text += "\nFields:\n" + XMapMain.fieldListing(probe, title: false)
        text += "\nOutput-module (\(output.name)) Help:\n"
        text += wrap(outputName == "default" ? defaultOutputHelp : output.helpText, width: 80)
        text += "\nIID-module (\(iid.name)) Help:\n" + wrap(iid.helpText, width: 80)
        return text + "\n"
    }

    /// XMap's help for the default output module.
    static let defaultOutputHelp =
        "By default, XMap prints out unique, successful IP addresses (e.g., SYN-ACK from a TCP SYN scan) in ASCII "
        + "form (e.g., 192.168.1.5) to stdout or the specified output file. Internally this is handled by the "
        + "\"csv\" output module and is equivalent to running xmap --output-module=csv --output-fields=saddr "
        + "--output-filter=\"success = 1 && repeat = 0\"."

    /// `text` word-wrapped at `width` columns; existing line breaks are kept.
    static func wrap(_ text: String, width: Int) -> String {
        var out = ""
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if !line.isEmpty && line.count + 1 + word.count > width {
                    out += line + "\n"
                    line = ""
                }
                line += line.isEmpty ? String(word) : " " + word
            }
            out += line + "\n"
        }
        return out
    }
}
