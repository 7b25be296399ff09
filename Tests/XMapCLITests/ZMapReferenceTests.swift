import Foundation
import Testing
import XMapTestSupport

/// xmap as `zmap`, `ziterate`, `zblocklist` and `ztee` against ZMap 4's own recorded runs
/// (`ZMapDryRuns/`): the same command lines in a copy of the same input files give the same
/// output, after `mask.sed` blanks what ZMap draws from its per-run random key.
@Suite("ZMap's recorded runs")
struct ZMapReferenceTests {
    static let folder = Subprocess.packageRoot + "/Tests/XMapCLITests/ZMapDryRuns"

    /// `NAME|ARGS` lines of a case file.
    static func cases(_ file: String) -> [(name: String, args: String)] {
        let text = (try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "|", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
    }

    /// A fresh copy of `work/`, removed by the caller.
    static func workCopy() throws -> String {
        let dir = NSTemporaryDirectory() + "xmap-zref-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.copyItem(atPath: folder + "/work", toPath: dir)
        return dir
    }

    static func masked(_ text: String) throws -> String {
        let file = NSTemporaryDirectory() + "xmap-zmask-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(file) }
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return try Subprocess.run("/bin/sed", ["-f", folder + "/mask.sed", file]).stdout
    }

    @Test("zmap --dryrun prints ZMap's packets in ZMap's order", arguments: cases("cases.txt").map(\.name))
    func dryRun(_ name: String) throws {
        let args = Self.cases("cases.txt").first { $0.name == name }!.args.split(separator: " ").map(String.init)
        let dir = try Self.workCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let blocklist = args.contains("-b") ? [] : ["-b", "/dev/null"]
        let r = try Subprocess.toolIsolated(
            "zmap", ["-i", "lo", "-G", "00:11:22:33:44:55"] + blocklist + args, cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let expected = try String(contentsOfFile: Self.folder + "/\(name).out", encoding: .utf8)
        #expect(try Self.masked(r.stdout) == Self.masked(expected))
    }

    @Test("the companion tools print what ZMap's print", arguments: cases("tools.txt").map(\.name))
    func tools(_ name: String) throws {
        let command = Self.cases("tools.txt").first { $0.name == name }!.args
        let dir = try Self.workCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bin = URL(fileURLWithPath: Subprocess.toolPath("zmap")).deletingLastPathComponent().path
        for tool in ["ziterate", "zblocklist", "ztee"] { _ = Subprocess.toolPath(tool) }
        // stdin is /dev/null unless the command pipes or redirects (as the recording ran).
        let stdin = command.contains("|") || command.contains("<") ? "" : " </dev/null"
        let r = try Subprocess.run("/bin/bash", ["-c", "cd '\(dir)' && PATH='\(bin)':$PATH && \(command)\(stdin)"])
        let expected = try String(contentsOfFile: Self.folder + "/\(name).out", encoding: .utf8)
        #expect(r.stdout == expected, "\(r.stderr)")
        let written = Self.folder + "/\(name).written"
        if FileManager.default.fileExists(atPath: written) {
            #expect(
                try String(contentsOfFile: dir + "/out.csv", encoding: .utf8)
                    == String(contentsOfFile: written, encoding: .utf8))
        }
    }
}
