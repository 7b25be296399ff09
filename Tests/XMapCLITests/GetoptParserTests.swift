import Testing
@testable import XMapCLI
import XMapCore

/// The command-line parser: GNU getopt_long's rules over xmap's option table.
@Suite("Command-line parser")
struct GetoptParserTests {
    let parser = GetoptParser(table: XMapOptions.table)

    @Test("every value-taking long option: `--name=` is an empty value and never swallows the next word")
    func emptyValues() throws {
        var checked = 0
        for (index, option) in XMapOptions.table.enumerated() where option.takesValue {
            for name in option.names {
                let r = try parser.parse(["--\(name)=", "198.51.100.0/24", "-4"])
                #expect(r.operands == ["198.51.100.0/24"], "--\(name)=")
                #expect(r.occurrences.count == 2)
                #expect(r.occurrences.first?.index == index && r.occurrences.first?.value == "", "--\(name)=")
                // The separate spelling with an empty word is the same.
                let s = try parser.parse(["--\(name)", "", "198.51.100.0/24"])
                #expect(s.operands == ["198.51.100.0/24"] && s.occurrences.first?.value == "", "--\(name) ''")
                checked += 1
            }
            if let letter = option.short {
                let r = try parser.parse(["-\(letter)", "", "198.51.100.0/24"])
                #expect(r.operands == ["198.51.100.0/24"] && r.occurrences.first?.value == "", "-\(letter) ''")
            }
        }
        #expect(checked > 60)
    }

    @Test("a value is the next word even when it starts with a dash; `=` keeps the rest")
    func values() throws {
        let r = try parser.parse(["--notes", "-4", "--output-filter=a = b", "-p80", "-p", "-5", "x"])
        #expect(r.occurrences.map(\.value) == ["-4", "a = b", "80", "-5"])
        #expect(r.operands == ["x"])
    }

    @Test("flags take no value; clusters and joined values")
    func flags() throws {
        #expect(throws: XMapError("option '--ipv4' doesn't allow an argument")) { try parser.parse(["--ipv4=1"]) }
        let r = try parser.parse(["-4dq", "-x30", "-qM", "tcp_syn"])
        let names = r.occurrences.map { XMapOptions.table[$0.index].name }
        #expect(names == ["ipv4", "dryrun", "quiet", "max-len", "quiet", "probe-module"])
        #expect(r.occurrences[3].value == "30" && r.occurrences[5].value == "tcp_syn")
    }

    @Test("unique prefixes of long names; ambiguous and unknown ones are errors")
    func prefixes() throws {
        let r = try parser.parse(["--probe-mod=udp", "--blocklist-f", "b.txt", "--max-l", "40"])
        #expect(r.occurrences.map { XMapOptions.table[$0.index].name } == ["probe-module", "blacklist-file", "max-len"])
        #expect(throws: XMapError.self) { try parser.parse(["--probe", "x"]) }
        #expect(throws: XMapError("unrecognized option '--bogus=1'")) { try parser.parse(["--bogus=1"]) }
        #expect(throws: XMapError("invalid option -- 'z'")) { try parser.parse(["-z"]) }
        #expect(throws: XMapError("option requires an argument -- 'p'")) { try parser.parse(["-p"]) }
        #expect(throws: XMapError("option '--rate' requires an argument")) { try parser.parse(["--rate"]) }
    }

    @Test("`--` ends the options; a lone `-` is an operand")
    func operands() throws {
        let r = try parser.parse(["-4", "--", "-x", "--rate=1", "-"])
        #expect(r.operands == ["-x", "--rate=1", "-"])
        #expect(try parser.parse(["-"]).operands == ["-"])
    }

    @Test("an option given twice is an error; the command line wins over the config file")
    func repeats() throws {
        #expect(throws: XMapError("`--max-len' (`-x') option given more than once")) {
            try XMapOptions.parse(["-x", "30", "--max-len=31"])
        }
        #expect(throws: XMapError("`--notes' option given more than once")) {
            try XMapOptions.parse(["--notes=", "--notes", "a"])
        }
        let o = try XMapOptions.parse(["-R", "5", "-C", "f"], readConfig: { _ in ["--rate=7", "--notes=n"] })
        #expect(o.rate == 5 && o.notes == "n" && o.fromConfigFile == ["notes"])
        #expect(throws: XMapError.self) {
            try XMapOptions.parse(["-C", "f"], readConfig: { _ in ["--rate=7", "--rate=8"] })
        }
    }

    @Test("seeds: unsigned 64-bit, or the signed form of the same bits")
    func seeds() throws {
        #expect(try XMapOptions.parse(["-e", "17588171888069957994"]).seed == 17_588_171_888_069_957_994)
        #expect(try XMapOptions.parse(["-e", "-858572185639593622"]).seed == 17_588_171_888_069_957_994)
        #expect(throws: XMapError.self) { try XMapOptions.parse(["-e", "18446744073709551616"]) }
        #expect(throws: XMapError.self) { try XMapOptions.parse(["-e", "x"]) }
    }

    @Test("numbers: gengetopt's rules (base 10, sign, no trailing text)")
    func numbers() throws {
        #expect(try XMapOptions.parse(["-R", "-1"]).rate == -1)
        #expect(throws: XMapError("invalid numeric value for --rate: '10k'")) { try XMapOptions.parse(["-R", "10k"]) }
        #expect(throws: XMapError.self) { try XMapOptions.parse(["--min-hitrate", "nan"]) }
        #expect(try XMapOptions.parse(["--min-hitrate=2.5"]).minHitrate == 2.5)
    }

    @Test("help lists every option that is not hidden, once")
    func help() {
        let text = XMapOptions.helpText
        for option in XMapOptions.table where !option.hidden {
            #expect(text.contains("--" + option.name), "--\(option.name)")
        }
        for line in text.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
    }
}
