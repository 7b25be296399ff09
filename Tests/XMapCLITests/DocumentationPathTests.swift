import Foundation
import Testing
import XMapTestSupport

/// The documents name real files: every repository path `docs/ARCHITECTURE.md` quotes, and every
/// relative link in the README and `docs/`, exists.
@Suite("Documentation paths")
struct DocumentationPathTests {
    static let root = Subprocess.packageRoot

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: root + "/" + path, encoding: .utf8)
    }

    /// The quoted repository paths of `text`: `` `Sources/...` `` and the like, up to a space.
    static func quotedPaths(_ text: String) -> [String] {
        let tops = ["Sources/", "Tests/", "scripts/", "docs/", "conf/", "packaging/", "examples/"]
        return text.split(separator: "`").enumerated().compactMap { i, part in
            guard i % 2 == 1, let first = part.split(separator: " ").first else { return nil }
            let word = String(first)
            return tops.contains { word.hasPrefix($0) } ? word : nil
        }
    }

    /// The relative targets of the markdown links in `text` (no scheme, no pure anchor).
    static func linkTargets(_ text: String) -> [String] {
        text.components(separatedBy: "](").dropFirst().compactMap { rest in
            let link = String(rest.prefix { $0 != ")" })
            guard !link.hasPrefix("#"), !link.contains("://") else { return nil }
            return link.split(separator: "#").first.map(String.init)
        }
    }

    @Test("every path docs/ARCHITECTURE.md names exists, and the page stays one page")
    func architecturePaths() throws {
        let text = try Self.read("docs/ARCHITECTURE.md")
        let paths = Self.quotedPaths(text)
        #expect(paths.count >= 20, "\(paths)")
        for path in paths {
            #expect(FileManager.default.fileExists(atPath: Self.root + "/" + path), "\(path)")
        }
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count <= 100)
    }

    @Test("every relative link of the README and docs/ leads to a file")
    func links() throws {
        let docs = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/docs")
            .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        #expect(docs.count >= 10)
        for page in ["README.md"] + docs {
            let base = (page as NSString).deletingLastPathComponent
            for target in Self.linkTargets(try Self.read(page)) {
                let path = base.isEmpty ? target : base + "/" + target
                #expect(FileManager.default.fileExists(atPath: Self.root + "/" + path), "\(page): \(target)")
            }
        }
    }
}
