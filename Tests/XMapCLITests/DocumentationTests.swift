import Foundation
import Testing
@testable import XMapCLI
import XMapCore
import XMapTestSupport

/// The man pages and shell completions (`xmap-docs`, `make docs`): generated from the option
/// tables behind `--help`, so every option `--help` prints must be in the page and in every
/// completion script, the pages must render without a warning, and the scripts must parse and
/// complete. Needs groff, man-db, zsh and fish (`make deps`).
@Suite("Documentation")
struct DocumentationTests {
    static let tools = ["xmap", "zmap", "ziterate", "zblocklist", "ztee"]

    /// The tool's `--help`, from the built binary run under the tool's name.
    func help(_ tool: String) throws -> String {
        let r = tool == "xmap" ? try Subprocess.xmapIsolated(["--help"]) : try Subprocess.toolIsolated(tool, ["--help"])
        #expect(r.status == 0, "\(tool) --help: \(r.stderr)")
        return r.stdout
    }

    /// Every `--long-option` spelling in `text`.
    func longOptions(in text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: "(?<![A-Za-z0-9-])--[a-z0-9][a-z0-9-]*")
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).map { String(text[Range($0.range, in: text)!]) })
    }

    func template(_ tool: String) throws -> String {
        try String(contentsOfFile: Subprocess.packageRoot + "/docs/man/\(tool).1.in", encoding: .utf8)
    }

    func page(_ tool: String) throws -> String {
        let documentation = try #require(ToolDocumentation.named(tool))
        return try ManPage.render(documentation, template: try template(tool), date: "2025-01-01")
    }

    /// roff source as plain text: `\-` a hyphen, font changes and `\&` gone.
    func plain(_ roff: String) -> String {
        var s = roff.replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\&", with: "")
        for font in ["\\fB", "\\fI", "\\fR", "\\fP"] { s = s.replacingOccurrences(of: font, with: "") }
        return s.replacingOccurrences(of: "\\e", with: "\\")
    }

    /// A scratch directory, removed by `body`'s end.
    func withScratch<T>(_ body: (String) throws -> T) throws -> T {
        let dir = NSTemporaryDirectory() + "xmap-docs-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try body(dir)
    }

    /// `program` must exist (the documentation tests need it: `make deps` installs it).
    func program(_ program: String) throws -> String {
        let path = ["/usr/bin/", "/bin/"].map { $0 + program }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        return try #require(path, "\(program) is missing: run `make deps` (apt-get install \(program))")
    }

    @Test("every option --help lists is in the man page", arguments: tools)
    func manPageHasEveryHelpOption(_ name: String) throws {
        let listed = longOptions(in: try help(name))
        #expect(listed.contains("--help") && listed.contains("--version"))
        let text = plain(try page(name))
        let documented = longOptions(in: text)
        #expect(listed.subtracting(documented).isEmpty, "in \(name) --help, not in \(name).1")
        // Every spelling the parser accepts is in the page too (aliases included).
        let tool = try #require(ToolDocumentation.named(name))
        let spellings = Set(tool.options.flatMap(\.names).map { "--" + $0 })
        #expect(spellings.subtracting(documented).isEmpty, "accepted by \(name), not in \(name).1")
        #expect(text.hasPrefix(".\\\" \(name)(1)"))
        #expect(text.contains(".TH \(name.uppercased()) 1 \"2025-01-01\""))
    }

    @Test("the man pages render without a warning (groff through man -l)", arguments: tools)
    func manPageRenders(_ name: String) throws {
        let man = try program("man")
        let roff = try page(name)
        let rendered = try withScratch { dir in
            let path = dir + "/\(name).1"
            try roff.write(toFile: path, atomically: false, encoding: .utf8)
            return try Subprocess.run(
                man, ["--warnings=w", "-l", path],
                environment: ["MANPAGER": "cat", "MANWIDTH": "100", "LC_ALL": "C.UTF-8"])
        }
        #expect(rendered.status == 0)
        #expect(rendered.stderr.isEmpty, "man -l \(name).1: \(rendered.stderr)")
        // The rendered text (formatting removed) shows every option.
        let text = rendered.stdout.replacingOccurrences(of: ".\u{8}", with: "", options: .regularExpression)
        #expect(text.contains("NAME") && text.contains("SYNOPSIS") && text.contains("OPTIONS"))
        let tool = try #require(ToolDocumentation.named(name))
        for option in tool.options {
            #expect(text.contains("--" + option.name), "--\(option.name) not in the rendered \(name).1")
        }
    }

    @Test(
        "hand-written sections: description, examples, exit status; files and safety for the scanners",
        arguments: tools)
    func manPageSections(_ name: String) throws {
        let text = try page(name)
        for section in ["DESCRIPTION", "OPTIONS", "EXAMPLES", "EXIT STATUS", "SEE ALSO"] {
            #expect(text.contains(".SH \(section)\n"), "\(name).1 has no \(section)")
        }
        if name == "xmap" || name == "zmap" {
            for section in ["PROBE MODULES", "FILES", "SAFETY"] { #expect(text.contains(".SH \(section)\n")) }
            #expect(text.contains("/etc/zmap/zmap.conf"))
        }
        if name == "xmap" {
            for file in ["/etc/xmap/xmap.conf", "/etc/xmap/blacklist4.conf", "/etc/xmap/whitelist6.conf"] {
                #expect(plain(text).contains(file))
            }
            for module in ["icmp_echo", "tcp_syn", "dnsa", "ntp", "ipip", "csv", "redis-packed", "low_fill"] {
                #expect(text.contains(".TP\n\\fB\(module.replacingOccurrences(of: "-", with: "\\-"))\\fR\n"))
            }
        }
    }

    @Test("a misspelt placeholder or a missing table is an error, not a page")
    func templateErrors() throws {
        let xmap = try #require(ToolDocumentation.named("xmap"))
        #expect(throws: XMapError.self) { try ManPage.render(xmap, template: ".SH X\n@OPTION@\n", date: "d") }
        #expect(throws: XMapError.self) { try ManPage.render(xmap, template: "see @VERSON@ here\n", date: "d") }
        let ztee = try #require(ToolDocumentation.named("ztee"))
        #expect(throws: XMapError.self) { try ManPage.render(ztee, template: "@PROBE_MODULES@\n", date: "d") }
        #expect(throws: XMapError.self) { try DocsGenerator.document(["man", "nosuch", "x", "d"]) }
        #expect(throws: XMapError.self) { try DocsGenerator.document(["completion", "tcsh", "xmap"]) }
        #expect(throws: XMapError.self) { try DocsGenerator.document([]) }
        #expect(try DocsGenerator.document(["tools"]) == Self.tools.map { $0 + "\n" }.joined())
        // Text that looks like roff requests is escaped.
        #expect(ManPage.escape(".B x") == "\\&.B x")
        #expect(ManPage.escape("a-b\\c") == "a\\-b\\ec")
    }

    @Test("-M completes the names --list-probe-modules prints; -O those of --list-output-modules")
    func moduleNamesMatchListings() throws {
        let zmap = try #require(ToolDocumentation.named("zmap"))
        let zmapList = try Subprocess.toolIsolated("zmap", ["--list-probe-modules"]).stdout
        #expect(zmap.probeModules == zmapList.split(separator: "\n").map(String.init))
        let xmap = try #require(ToolDocumentation.named("xmap"))
        let xmapList = try Subprocess.xmapIsolated(["--list-probe-modules"]).stdout.split(separator: "\n")
            .filter { !$0.hasSuffix(":") }.map(String.init)
        #expect(Set(xmapList).isSubset(of: Set(xmap.probeModules)))
        #expect(Set(xmap.probeModules).subtracting(xmapList) == ["tcp_synscan", "tcp_synackscan", "icmp_echoscan"])
        let outputs = try Subprocess.xmapIsolated(["--list-output-modules"]).stdout.split(separator: "\n").dropFirst()
        let option = try #require(xmap.options.first { $0.name == "output-module" })
        #expect(xmap.completion(for: option) == .words(outputs.map(String.init)))
        for tool in ToolDocumentation.all {
            for name in tool.probeModules { #expect(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }) }
        }
    }

    /// Runs `script` in bash after sourcing the completion of `tool` from `dir`; prints COMPREPLY.
    func bashComplete(_ dir: String, _ command: String, _ words: [String]) throws -> [String] {
        let quoted = words.map { "'" + $0 + "'" }.joined(separator: " ")
        let script =
            "source '\(dir)/\(command)' && COMP_WORDS=(\(quoted)) && COMP_CWORD=\(words.count - 1)"
            + " && _xmap_complete_\(command) && printf '%s\\n' \"${COMPREPLY[@]}\""
        let r = try Subprocess.run(try program("bash"), ["--norc", "-c", script])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    @Test("bash: the scripts parse, and complete every option, values and files", arguments: tools)
    func bashCompletion(_ name: String) throws {
        let tool = try #require(ToolDocumentation.named(name))
        let listed = longOptions(in: try help(name))
        try withScratch { dir in
            try Completions.script(.bash, for: tool).write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
            let syntax = try Subprocess.run(try program("bash"), ["-n", dir + "/" + name])
            #expect(syntax.status == 0 && syntax.stderr.isEmpty, "bash -n: \(syntax.stderr)")
            let offered = Set(
                try bashComplete(dir, name, [name, "--"])
                    .map { $0.hasSuffix("=") ? String($0.dropLast()) : $0 })
            #expect(listed.subtracting(offered).isEmpty, "not completed by bash for \(name)")
            let all = Set(tool.options.flatMap(\.names).map { "--" + $0 })
            #expect(offered == all)
            // A value option offers `--name=` without a space after it; a flag is complete.
            let valued = try #require(tool.options.first { $0.takesValue })
            #expect(try bashComplete(dir, name, [name, "--" + valued.name]) == ["--\(valued.name)="])
            // Every value with something to offer, in every spelling: files, and the words.
            try "".write(toFile: dir + "/targets.txt", atomically: false, encoding: .utf8)
            var checked = 0
            for option in tool.options {
                let word: String, typed: String
                switch tool.completion(for: option) {
                case .file?: (word, typed) = (dir + "/targets.txt", dir + "/targ")
                case .words(let words)?: (word, typed) = (words[0], words[0])
                default: continue
                }
                for spelling in option.spellings {
                    #expect(try bashComplete(dir, name, [name, spelling, typed]).contains(word), "\(spelling)")
                }
                #expect(try bashComplete(dir, name, [name, "--" + option.name, "=", typed]).contains(word))
                checked += 1
            }
            #expect(checked >= 2)
            if name == "ztee" {
                #expect(try bashComplete(dir, name, [name, "-m", dir + "/targ"]) == [dir + "/targets.txt"])
            }
        }
    }

    @Test("bash: -M offers the probe modules, -O the output modules, in every spelling")
    func bashModuleValues() throws {
        let xmap = try #require(ToolDocumentation.named("xmap"))
        try withScratch { dir in
            try Completions.script(.bash, for: xmap).write(toFile: dir + "/xmap", atomically: false, encoding: .utf8)
            let tcp = ["tcp_scan", "tcp_syn", "tcp_synack", "tcp_synackscan", "tcp_synscan"]
            #expect(try bashComplete(dir, "xmap", ["xmap", "-M", "tcp"]).sorted() == tcp)
            #expect(try bashComplete(dir, "xmap", ["xmap", "--probe-module", "=", "tcp"]).sorted() == tcp)
            #expect(try bashComplete(dir, "xmap", ["xmap", "--probe-module=tcp_sc"]) == ["--probe-module=tcp_scan"])
            #expect(try bashComplete(dir, "xmap", ["xmap", "-O", "redis"]).sorted() == ["redis-csv", "redis-packed"])
            #expect(try bashComplete(dir, "xmap", ["xmap", "--backend", "af"]) == ["afxdp"])
            #expect(try bashComplete(dir, "xmap", ["xmap", "-p", "8"]).isEmpty)
            #expect(try bashComplete(dir, "xmap", ["xmap", "-d", "--max-l"]) == ["--max-len="])
        }
    }

    @Test("zsh: the scripts parse and name every option", arguments: tools)
    func zshCompletion(_ name: String) throws {
        let zsh = try program("zsh")
        let tool = try #require(ToolDocumentation.named(name))
        let script = Completions.script(.zsh, for: tool)
        #expect(script.hasPrefix("#compdef \(name)\n"))
        try withScratch { dir in
            try script.write(toFile: dir + "/_" + name, atomically: false, encoding: .utf8)
            let r = try Subprocess.run(zsh, ["-n", dir + "/_" + name])
            #expect(r.status == 0 && r.stderr.isEmpty, "zsh -n: \(r.stderr)")
        }
        // Each spelling is a spec of its own: `'(...)--name=[` or `'(...)--name[`.
        let specs = Set(
            script.split(separator: "\n").compactMap { line -> String? in
                guard let close = line.firstIndex(of: ")"), let open = line[close...].firstIndex(of: "[") else {
                    return nil
                }
                return String(line[line.index(after: close)..<open]).replacingOccurrences(of: "=", with: "")
                    .replacingOccurrences(of: "+", with: "")
            })
        for option in longOptions(in: try help(name)) { #expect(specs.contains(option), "zsh \(name): \(option)") }
        #expect(specs == Set(tool.options.flatMap(\.spellings)))
    }

    /// A zsh script that prints the completions an interactive zsh (driven through zpty, with
    /// compinit and `$1` on fpath) offers at the end of the command line `$2`, one `<word>` a
    /// line: the completion system itself runs the generated `_arguments` specs.
    static let zshCapture = #"""
        zmodload zsh/zpty
        zpty z zsh -f -i
        local line
        setopt rcquotes
        () {
            zpty -w z source $1
            repeat 4; do
                zpty -r z line
                [[ $line == ok* ]] && return
            done
            echo 'error initializing.' >&2
            exit 2
        } =( <<< "
        PROMPT=
        fpath=($1 \$fpath)
        autoload compinit
        compinit -u -D
        bindkey '^M' undefined
        bindkey '^J' undefined
        bindkey '^I' complete-word
        null-line () { echo -E - \$'\\0' }
        compprefuncs=( null-line )
        comppostfuncs=( null-line exit )
        zstyle ':completion:*' list-grouped false
        zstyle ':completion:*' insert-tab false
        compadd () {
            if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then
                builtin compadd \"\$@\"
                return \$?
            fi
            typeset -a __hits
            builtin compadd -A __hits \"\$@\"
            [[ -n \$__hits ]] || return
            local i
            for i in {1..\$#__hits}; do echo -E - \"<\$__hits[\$i]>\"; done
        }
        echo ok")
        zpty -w z "$2"$'\t'
        integer tog=0
        while zpty -r z; do :; done | while IFS= read -r line; do
            if [[ $line == *$'\0\r' ]]; then
                (( tog++ )) && exit 0 || continue
            fi
            (( tog )) && echo -E - $line
        done
        exit 2
        """#

    @Test("zsh: the completion system completes every option, the module names and files", arguments: tools)
    func zshCompletes(_ name: String) throws {
        let zsh = try program("zsh")
        let tool = try #require(ToolDocumentation.named(name))
        let listed = longOptions(in: try help(name))
        try withScratch { dir in
            try FileManager.default.createDirectory(atPath: dir + "/fpath", withIntermediateDirectories: false)
            try Completions.script(.zsh, for: tool).write(
                toFile: dir + "/fpath/_" + name, atomically: false,
                encoding: .utf8)
            try Self.zshCapture.write(toFile: dir + "/capture.zsh", atomically: false, encoding: .utf8)
            try "".write(toFile: dir + "/targets.txt", atomically: false, encoding: .utf8)
            func complete(_ line: String) throws -> [String] {
                let r = try Subprocess.run(zsh, ["-f", dir + "/capture.zsh", dir + "/fpath", line], timeout: 60)
                #expect(r.status == 0, "zsh completion of '\(line)': \(r.stderr)")
                // The pty ends lines with \r\n (one Character in Swift).
                return r.stdout.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { $0.hasPrefix("<") && $0.hasSuffix(">") }.map { String($0.dropFirst().dropLast()) }
            }
            let offered = Set(try complete("\(name) --"))
            #expect(listed.subtracting(offered).isEmpty, "not completed by zsh for \(name)")
            #expect(offered == Set(tool.options.flatMap(\.names).map { "--" + $0 }))
            switch name {
            case "xmap":
                #expect(try complete("xmap --probe-module=dnsan").sorted() == ["dnsan", "dnsane", "dnsane16"])
                #expect(try complete("xmap -O redis").sorted() == ["redis-csv", "redis-packed"])
                #expect(try complete("xmap -b \(dir)/targ") == ["targets.txt"])
                #expect(try complete("xmap -d -d").isEmpty, "an option given twice is an error")
            case "zmap": #expect(try complete("zmap -M tcp_syn").sorted() == ["tcp_synackscan", "tcp_synscan"])
            case "ztee": #expect(try complete("ztee \(dir)/targ") == ["targets.txt"])
            default: break
            }
        }
    }

    @Test("fish: the scripts parse and complete every option and the module names", arguments: tools)
    func fishCompletion(_ name: String) throws {
        let fish = try program("fish")
        let tool = try #require(ToolDocumentation.named(name))
        let listed = longOptions(in: try help(name))
        try withScratch { dir in
            let path = dir + "/\(name).fish"
            try Completions.script(.fish, for: tool).write(toFile: path, atomically: false, encoding: .utf8)
            let syntax = try Subprocess.run(fish, ["--no-config", "--no-execute", path])
            #expect(syntax.status == 0 && syntax.stderr.isEmpty, "fish --no-execute: \(syntax.stderr)")
            func complete(_ line: String) throws -> [String] {
                let r = try Subprocess.run(fish, ["--no-config", "-c", "source '\(path)'; complete -C '\(line)'"])
                #expect(r.status == 0, "\(r.stderr)")
                return r.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
            }
            let offered = Set(try complete("\(name) --"))
            #expect(listed.subtracting(offered).isEmpty, "not completed by fish for \(name)")
            #expect(offered == Set(tool.options.flatMap(\.names).map { "--" + $0 }))
            if name == "zmap" {
                #expect(try complete("zmap -M tcp_syn").sorted() == ["tcp_synackscan", "tcp_synscan"])
                #expect(try complete("zmap --output-module=j") == ["--output-module=json"])
            }
        }
    }

    @Test("make help lists every target of the Makefile, one line each")
    func makeHelp() throws {
        let makefile = try String(contentsOfFile: Subprocess.packageRoot + "/Makefile", encoding: .utf8)
        let targets = Set(
            makefile.split(separator: "\n").compactMap { line -> String? in
                guard let colon = line.firstIndex(of: ":"), line.first?.isLetter == true else { return nil }
                let name = line[..<colon]
                guard name.allSatisfy({ $0.isLowercase || $0 == "-" }), !line[colon...].hasPrefix(":=") else {
                    return nil
                }
                return String(name)
            })
        #expect(targets.isSuperset(of: ["help", "install", "uninstall", "deb", "docs", "clean", "test"]))
        let r = try Subprocess.run(
            try program("make"),
            ["-s", "--no-print-directory", "-C", Subprocess.packageRoot, "help"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        let listed = lines.compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(listed.count == Set(listed).count)
        #expect(Set(listed) == targets)
        for line in lines { #expect(line.split(separator: " ").count > 2, "no description: \(line)") }
    }
}
