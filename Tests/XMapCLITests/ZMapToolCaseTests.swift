import Foundation
import Testing
import XMapTestSupport

/// ztee and zblocklist end to end (`ZMapTools/cases.txt`): each command runs with the built xmap
/// binary first on PATH as `ztee` and `zblocklist` (symlinks in a temporary directory), in a
/// fresh copy of `ZMapTools/inputs/`, and must give exactly the recorded result: exit status,
/// stdout, stderr (log timestamps masked) and every file it leaves. The expectation is ZMap 4's
/// own result (`zmap/NAME.expect`, recorded from the reference build with `record.py`), or, where
/// xmap deliberately differs, `xmap/NAME.expect` (docs/zmap-users.md says why).
@Suite("ztee and zblocklist against ZMap's recorded results")
struct ZMapToolCaseTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let command: String
        var testDescription: String { name }
    }

    static let directory = Subprocess.packageRoot + "/Tests/XMapCLITests/ZMapTools"

    static let cases: [Case] = {
        let text = (try? String(contentsOfFile: directory + "/cases.txt", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let bar = line.firstIndex(of: "|") else { return nil }
            return Case(name: String(line[..<bar]), command: String(line[line.index(after: bar)...]))
        }
    }()

    @Test("the case list covers both tools")
    func hasCases() {
        #expect(Self.cases.filter { $0.name.hasPrefix("ztee-") }.count >= 50)
        #expect(Self.cases.filter { $0.name.hasPrefix("zblocklist-") }.count >= 50)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
    }

    @Test("every case has a recorded ZMap result")
    func everyCaseRecorded() {
        for c in Self.cases {
            #expect(FileManager.default.fileExists(atPath: "\(Self.directory)/zmap/\(c.name).expect"), "\(c.name)")
        }
    }

    @Test("the result matches, byte for byte", arguments: cases)
    func matches(_ c: Case) throws {
        let override = "\(Self.directory)/xmap/\(c.name).expect"
        let path =
            FileManager.default.fileExists(atPath: override) ? override : "\(Self.directory)/zmap/\(c.name).expect"
        let expected = try ExpectFile(Data(contentsOf: URL(fileURLWithPath: path)))
        let got = try Self.run(c.command)
        #expect(got.status == expected.status, "exit status (\(path))")
        #expect(got.sections == expected.sections, "\(Self.difference(expected.sections, got.sections))")
    }

    /// Runs `command` in a fresh copy of the inputs with the tools on PATH; removes everything after.
    static func run(_ command: String) throws -> ExpectFile {
        let fm = FileManager.default
        let root = NSTemporaryDirectory() + "ztools-case-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? fm.removeItem(atPath: root) }
        let work = root + "/w", bin = root + "/bin"
        try fm.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try fm.copyItem(atPath: directory + "/inputs", toPath: work)
        for tool in ["ztee", "zblocklist"] {
            try fm.createSymbolicLink(atPath: "\(bin)/\(tool)", withDestinationPath: Subprocess.xmapPath)
        }
        let inputs = Set(try fm.contentsOfDirectory(atPath: work))
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try Subprocess.run(
            "/bin/bash", ["-c", "cd '\(work)' || exit 99\n" + command], timeout: 60,
            environment: ["PATH": path, "LC_ALL": "C"])
        var result = ExpectFile(status: r.status)
        result.sections["stdout"] = Data(r.stdout.utf8)
        result.sections["stderr"] = maskTimestamps(Data(r.stderr.utf8))
        for name in try fm.contentsOfDirectory(atPath: work) where !inputs.contains(name) {
            result.sections["file " + name] = maskTimestamps(
                try Data(contentsOf: URL(fileURLWithPath: work + "/" + name)))
        }
        return result
    }

    /// Replaces the log timestamp that starts a line (`Dec 06 20:33:11.212 [`) with `TIME [`.
    static func maskTimestamps(_ data: Data) -> Data {
        let bytes = [UInt8](data)
        var out: [UInt8] = []
        var lineStart = true
        var i = 0
        while i < bytes.count {
            if lineStart && isTimestamp(bytes, at: i) {
                out += Array("TIME [".utf8)
                i += 21
                lineStart = false
                continue
            }
            lineStart = bytes[i] == 10
            out.append(bytes[i])
            i += 1
        }
        return Data(out)
    }

    /// `Mmm dd hh:mm:ss.mmm [` at `i` (the day may start with a space).
    static func isTimestamp(_ b: [UInt8], at i: Int) -> Bool {
        let pattern = Array("Aaa 0d 00:00:00.000 [".utf8)
        guard i + pattern.count <= b.count else { return false }
        for (k, p) in pattern.enumerated() {
            let c = b[i + k]
            let isDigit = c >= 48 && c <= 57
            switch p {
            case UInt8(ascii: "A"): guard c >= 65 && c <= 90 else { return false }
            case UInt8(ascii: "a"): guard c >= 97 && c <= 122 else { return false }
            case UInt8(ascii: "0"): guard isDigit else { return false }
            case UInt8(ascii: "d"): guard isDigit || c == 32 else { return false }
            default: guard c == p else { return false }
            }
        }
        return true
    }

    /// The sections that differ, for the failure message.
    static func difference(_ want: [String: Data], _ got: [String: Data]) -> String {
        Set(want.keys).union(got.keys).sorted().compactMap { key in
            guard want[key] != got[key] else { return nil }
            let w = want[key].map { String(decoding: $0, as: UTF8.self).debugDescription } ?? "(none)"
            let g = got[key].map { String(decoding: $0, as: UTF8.self).debugDescription } ?? "(none)"
            return "\(key):\n  want \(w.prefix(2000))\n  got  \(g.prefix(2000))"
        }.joined(separator: "\n")
    }
}

/// A recorded result (`record.py`'s format): `#status N`, then `#stdout LEN`, `#stderr LEN` and
/// `#file NAME LEN` sections, each header followed by LEN raw bytes and a newline.
struct ExpectFile: Equatable {
    var status: Int32
    var sections: [String: Data] = [:]

    init(status: Int32) { self.status = status }

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        var i = 0
        status = -1
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "#"), let nl = bytes[i...].firstIndex(of: 10) else {
                throw CocoaError(.fileReadCorruptFile)
            }
            let words = String(decoding: bytes[(i + 1)..<nl], as: UTF8.self).split(separator: " ")
            if words.first == "status" {
                status = Int32(words.last ?? "") ?? -1
                i = nl + 1
                continue
            }
            guard let length = Int(words.last ?? ""), nl + 1 + length <= bytes.count else {
                throw CocoaError(.fileReadCorruptFile)
            }
            sections[words.dropLast().joined(separator: " ")] = Data(bytes[(nl + 1)..<(nl + 1 + length)])
            i = nl + 1 + length + 1
        }
    }
}
