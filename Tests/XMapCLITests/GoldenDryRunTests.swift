import Foundation
import Testing
import XMapTestSupport

/// Dry runs recorded from xmap itself (`Golden/cases.txt`): refactoring must leave every byte of
/// every packet as it was. A deliberate change regenerates the files (see the header of
/// `cases.txt`) and says why in its commit.
@Suite("Golden dry runs")
struct GoldenDryRunTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let arguments: [String]
        var testDescription: String { name }
    }

    static let directory = Subprocess.packageRoot + "/Tests/XMapCLITests/Golden"
    static let common = ["-d", "-q", "-R", "0", "-G", "11:22:33:44:55:66", "--source-mac", "66:55:44:33:22:11"]

    static let cases: [Case] = {
        let text = (try? String(contentsOfFile: directory + "/cases.txt", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let tab = line.firstIndex(of: "\t") else { return nil }
            let args = line[line.index(after: tab)...].replacingOccurrences(of: "@GOLDEN@", with: directory)
            return Case(name: String(line[..<tab]), arguments: args.split(separator: " ").map(String.init))
        }
    }()

    @Test("the case list is not empty")
    func hasCases() { #expect(Self.cases.count >= 25) }

    @Test("dry-run output is byte-identical to the recorded one", arguments: cases)
    func matches(_ c: Case) throws {
        let r = try Subprocess.xmapIsolated(Self.common + c.arguments)
        #expect(r.status == 0, "\(r.stderr)")
        let path = Self.directory + "/" + c.name + ".out"
        if ProcessInfo.processInfo.environment["XMAP_GOLDEN_UPDATE"] == "1" {
            try r.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        if c.arguments.contains("-T") {
            // Sender threads print concurrently: the same packets, in any interleaving.
            #expect(Self.packets(r.stdout) == Self.packets(expected))
        } else {
            #expect(
                r.stdout == expected, "first difference at byte \(r.stdout.utf8.firstDifference(expected.utf8) ?? -1)")
        }
    }

    /// The header line and the packet blocks of a dry run, sorted.
    static func packets(_ output: String) -> [String] {
        let header = output.prefix { $0 != "\n" }
        let blocks = output.dropFirst(header.count + 1).components(
            separatedBy: String(repeating: "-", count: 54) + "\n")
        return [String(header)] + blocks.sorted()
    }
}

extension Sequence where Element: Equatable {
    /// The offset of the first element where `self` and `other` differ, or nil if they are equal.
    func firstDifference(_ other: some Sequence<Element>) -> Int? {
        var a = makeIterator(), b = other.makeIterator(), i = 0
        while true {
            switch (a.next(), b.next()) {
            case (nil, nil): return nil
            case let (x?, y?) where x == y: i += 1
            default: return i
            }
        }
    }
}
