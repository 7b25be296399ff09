import Foundation
import Testing
@testable import XMapCLI
import XMapCore
import XMapIO

private func bytes(_ s: String) -> ArraySlice<UInt8> { ArraySlice(Array(s.utf8)) }

/// inet_aton, the way ZMap's list tools read addresses.
@Suite("inet_aton")
struct InetAtonTests {
    @Test("the forms glibc accepts and rejects")
    func forms() {
        let cases: [(String, UInt32?)] = [
            ("1.2.3.4", 0x0102_0304), ("1", 1), ("1.2", 0x0100_0002), ("1.2.3", 0x0102_0003),
            ("0x7f.1", 0x7F00_0001), ("010.0.0.1", 0x0800_0001), ("0X0A.0.0.2", 0x0A00_0002),
            ("1.2.65535", 0x0102_FFFF), ("1.16777215", 0x01FF_FFFF), ("4294967295", 0xFFFF_FFFF),
            ("0xffffffff", 0xFFFF_FFFF), ("037777777777", 0xFFFF_FFFF), ("00", 0), ("0", 0),
            ("1.2.3.4 rest", 0x0102_0304), ("5.6.7.8\r", 0x0506_0708), ("9.9.9.9\u{0B}", 0x0909_0909),
            ("1.2.3.4.5", nil), ("256.1.1.1", nil), ("1.2.3.256", nil), ("1.65535.1", nil),
            ("0x100.1.1.1", nil), ("4294967296", nil), ("1.2.3.4abc", nil), ("08.1.1.1", nil),
            ("+1.2.3.4", nil), ("-1", nil), ("1..2", nil), (".1.2.3", nil), ("1.2.3.", nil), ("0x", nil),
            ("", nil), (" 1.2.3.4", nil), ("99999999999999999999999", nil)
        ]
        for (text, want) in cases { #expect(InetAton.parse(Array(text.utf8)) == want, "\(text.debugDescription)") }
    }

    @Test("agrees with glibc's inet_aton on 20,000 random strings")
    func agreesWithGlibc() {
        let alphabet = Array("0123456789.xXaF+- \t\r\u{0B}z".utf8)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...14, using: &rng)
            let text = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
            var address = in_addr()
            let glibc: UInt32? =
                String(decoding: text, as: UTF8.self).withCString { inet_aton($0, &address) } != 0
                ? UInt32(bigEndian: address.s_addr) : nil
            #expect(InetAton.parse(text) == glibc, "\(String(decoding: text, as: UTF8.self).debugDescription)")
        }
    }
}

/// ZMap's allowlist / blocklist line syntax and the set it builds.
@Suite("ZMap list files")
struct ZMapListTests {
    @Test("lines")
    func lines() {
        #expect(ZMapListLine(bytes("")) == .empty)
        #expect(ZMapListLine(bytes("   \t\n")) == .empty)
        #expect(ZMapListLine(bytes("# comment")) == .empty)
        #expect(ZMapListLine(bytes("\t# indented comment\n")) == .empty)
        #expect(ZMapListLine(bytes("10.1.2.3/8\n")) == .prefix(0x0A01_0203, length: 8))
        #expect(ZMapListLine(bytes("192.0.2.77/31   trailing words")) == .prefix(0xC000_024D, length: 31))
        #expect(ZMapListLine(bytes("  198.51.100.0/24# comment")) == .prefix(0xC633_6400, length: 24))
        #expect(ZMapListLine(bytes("172.16.0.0/12abc")) == .prefix(0xAC10_0000, length: 12))
        #expect(ZMapListLine(bytes("203.0.113.5/032")) == .prefix(0xCB00_7105, length: 32))
        #expect(ZMapListLine(bytes("100.64.0.0/+10")) == .prefix(0x6440_0000, length: 10))
        #expect(ZMapListLine(bytes("1.2.3.0/-0")) == .prefix(0x0102_0300, length: 0))
        #expect(ZMapListLine(bytes("0x0b.1/16")) == .prefix(0x0B00_0001, length: 16))
        #expect(ZMapListLine(bytes("1.2.3")) == .prefix(0x0102_0003, length: 32))
        #expect(ZMapListLine(bytes("2001:db8::/32")) == .ipv6("2001:db8::/32"))
        #expect(ZMapListLine(bytes("::1")) == .ipv6("::1"))
        #expect(ZMapListLine(bytes("localhost")) == .name("localhost", length: 32))
        #expect(ZMapListLine(bytes("example.com/24")) == .name("example.com", length: 24))
        #expect(ZMapListLine(bytes("198.51.100.300")) == .name("198.51.100.300", length: 32))
        for bad in ["33", "", "-1", "abc", "99999999999999999999", "+"] {
            #expect(ZMapListLine(bytes("198.51.100.0/" + bad)) == .badLength(bad), "/\(bad)")
        }
    }

    @Test("a word longer than 255 bytes is cut there, as sscanf(\"%255s\")")
    func longWord() {
        let word = String(repeating: "a", count: 300)
        #expect(ZMapListLine(bytes(word)) == .name(String(repeating: "a", count: 255), length: 32))
    }

    @Test("allowlist minus blocklist, never 0.0.0.0, host bits ignored")
    func allowSet() {
        let all = IPv4AllowSet(allow: nil, block: [])
        #expect(all.count == (1 << 32) - 1)
        #expect(!all.contains(0))
        #expect(all.contains(1) && all.contains(0xFFFF_FFFF))
        let set = IPv4AllowSet(
            allow: [(0x0A01_0203, 8), (0x7F00_0001, 32)], block: [(0x0A01_FFFF, 16), (0x0A02_0304, 32)])
        #expect(set.contains(0x0A00_0001) && set.contains(0x0AFF_FFFF) && set.contains(0x7F00_0001))
        #expect(!set.contains(0x0A01_0000) && !set.contains(0x0A01_FFFF) && !set.contains(0x0A02_0304))
        #expect(set.contains(0x0A02_0305) && !set.contains(0x0B00_0000) && !set.contains(0x7F00_0002))
        #expect(set.count == (1 << 24) - (1 << 16) - 1 + 1)
        #expect(IPv4AllowSet(allow: [], block: []).count == 0)
        #expect(IPv4AllowSet(allow: nil, block: [(0, 0)]).count == 0)
        #expect(IPv4AllowSet(allow: [(0, 32)], block: []).count == 0)
    }

    @Test("paged bitmap")
    func bitmap() {
        var seen = PagedAddressBitmap()
        for a: UInt32 in [0, 1, 63, 64, 65535, 65536, 0xFFFF_FFFF, 0x0102_0304] {
            let before = seen.contains(a), added = seen.insert(a), after = seen.contains(a), again = seen.insert(a)
            #expect(!before && added && after && !again, "\(a)")
        }
        let others = [2, 0xFFFF_FFFE, 0x0102_0305].map { seen.contains($0) }
        #expect(others == [false, false, false])
    }

    @Test("a host name resolves to its addresses; a bad one is an error line")
    func loader() {
        var loader = ZMapListLoader(kind: "blocklist", ignoreErrors: true)
        loader.resolve = { name in
            guard name == "two.example" else { throw XMapError("no such name") }
            return [0x0102_0304, 0x0506_0708]
        }
        var out: [(address: UInt32, length: Int)] = []
        loader.add(ZMapListLine(bytes("two.example/24")), path: "x", to: &out)
        loader.add(ZMapListLine(bytes("nothing.example")), path: "x", to: &out)
        loader.add(ZMapListLine(bytes("1.2.3.0/40")), path: "x", to: &out)
        loader.add(ZMapListLine(bytes("::1")), path: "x", to: &out)
        #expect(out.map(\.address) == [0x0102_0304, 0x0506_0708])
        #expect(out.map(\.length) == [24, 24])
    }
}

/// zblocklist's reading of input lines.
@Suite("zblocklist input")
struct ZBlocklistInputTests {
    @Test("the address is the text before the first newline, comma, tab, space or #")
    func key() {
        let cases: [(String, String)] = [
            ("198.51.100.1\n", "198.51.100.1"), ("198.51.100.17,80,extra\n", "198.51.100.17"),
            ("198.51.100.18 trailing words\n", "198.51.100.18"), ("198.51.100.19\ttab\n", "198.51.100.19"),
            ("198.51.100.20#comment\n", "198.51.100.20"), ("\n", ""), ("#c\n", ""), (" 1.2.3.4\n", ""),
            ("203.0.113.9", "203.0.113.9"), ("5.6.7.8\r\n", "5.6.7.8\r")
        ]
        for (line, key) in cases {
            #expect(Array(ZBlocklistInput.key(bytes(line))) == Array(key.utf8), "\(line.debugDescription)")
        }
    }

    @Test("duplicates, lists and invalid lines")
    func decisions() {
        var input = ZBlocklistInput(
            allowed: IPv4AllowSet(allow: nil, block: [(0xC633_6400, 30)]),
            checkDuplicates: true, printInvalid: true)
        let lines = [
            "198.51.100.1\n", "198.51.100.5\n", "198.51.100.5 again\n", "bogus\n", "bogus\n",
            "1.2.3\n", "1.2.0.3\n", "0.0.0.0\n", "0\n", "203.0.113.9"
        ]
        var passed: [String] = []
        for line in lines where input.pass(bytes(line), debug: false) { passed.append(line) }
        #expect(passed == ["198.51.100.5\n", "bogus\n", "bogus\n", "1.2.3\n", "203.0.113.9"])
        var quiet = ZBlocklistInput(
            allowed: IPv4AllowSet(allow: nil, block: []), checkDuplicates: false,
            printInvalid: false)
        var count = 0
        for line in ["1.1.1.1\n", "1.1.1.1\n", "x\n"] where quiet.pass(bytes(line), debug: false) { count += 1 }
        #expect(count == 2)
    }

    @Test("options: ZMap's names and letters, gengetopt's messages")
    func options() throws {
        let parser = GetoptParser(table: ZBlocklistOptions.table)
        var o = ZBlocklistOptions()
        try parser.apply(
            commandLine: try parser.parse([
                "--block=b.txt", "-wa.txt", "--no-dup", "-v", "4",
                "--ignore-i", "--ignore-b", "--disable-syslog", "-l", "x"
            ]),
            configFile: nil, to: &o)
        #expect(o.blocklistFile == "b.txt" && o.allowlistFile == "a.txt" && o.verbosity == 4 && o.logFile == "x")
        #expect(o.noDuplicateChecking && o.ignoreInputErrors && o.ignoreBlocklistErrors && o.disableSyslog)
        #expect(throws: XMapError("invalid numeric value: abc")) {
            var p = ZBlocklistOptions()
            try parser.apply(commandLine: try parser.parse(["-v", "abc"]), configFile: nil, to: &p)
        }
        #expect(
            throws: XMapError(
                "option '--ignore' is ambiguous; possibilities: '--ignore-blocklist-errors' "
                    + "'--ignore-input-errors'")
        ) { try parser.parse(["--ignore"]) }
        let help = ZBlocklistOptions.helpText
        for option in ZBlocklistOptions.table { #expect(help.contains("--" + option.name)) }
        #expect(help.split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(ZMapTool.version("zblocklist").hasPrefix("zblocklist (xmap "))
    }
}

/// ztee's reading of its input.
@Suite("ztee records")
struct ZTeeRecordsTests {
    /// stdout for `input` split into lines (each keeping its newline).
    func output(_ input: String, raw: Bool = false, successOnly: Bool = false) throws -> String {
        var lines: [ArraySlice<UInt8>] = []
        let all = Array(input.utf8)
        var start = 0
        while start < all.count {
            let end = all[start...].firstIndex(of: 10).map { $0 + 1 } ?? all.count
            lines.append(all[start..<end])
            start = end
        }
        guard let first = lines.first else { return "" }
        var records = try ZTeeRecords(firstLine: first, raw: raw, successOnly: successOnly)
        var out: [UInt8] = []
        for line in lines { _ = records.process(line, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test("format detection")
    func formats() throws {
        #expect(try ZTeeRecords(firstLine: bytes("saddr,sport\n"), raw: false, successOnly: false).format == .csv)
        #expect(
            try ZTeeRecords(firstLine: bytes("{\"saddr\":\"1.2.3.4\"}\n"), raw: false, successOnly: false)
                .format == .json)
        #expect(try ZTeeRecords(firstLine: bytes("1.2.3.4\n"), raw: false, successOnly: false).format == .raw)
        #expect(try ZTeeRecords(firstLine: bytes("\n"), raw: false, successOnly: false).format == .raw)
        #expect(try ZTeeRecords(firstLine: bytes("saddr,sport\n"), raw: true, successOnly: false).format == .raw)
    }

    @Test("the address column")
    func columns() throws {
        #expect(try output("saddr,sport\n1.2.3.4,80\n5.6.7.8,443\n") == "1.2.3.4\n5.6.7.8\n")
        #expect(try output("sport,saddr\n80,1.2.3.4\n443,5.6.7.8") == "1.2.3.4\n5.6.7.8\n")
        #expect(try output("port,ip,x\n80,1.2.3.4,a\n") == "1.2.3.4\n")
        #expect(try output("port,ip_address\n80,1.2.3.4\n") == "1.2.3.4\n")
        #expect(try output("daddr,ipid,saddr\n9.9.9.9,4660,1.2.3.4\n") == "1.2.3.4\n")
        #expect(try output("saddr_raw,saddr\n67305985,1.2.3.4\n") == "1.2.3.4\n")
        #expect(try output("sport,dport,saddr\n80,1\n1,2,3.3.3.3\n") == "3.3.3.3\n")
        #expect(try output("saddr,sport\n\n1.2.3.4,80\n") == "\n1.2.3.4\n")
        #expect(try output("saddr,sport\r\n1.2.3.4,80\r\n") == "1.2.3.4\n")
        #expect(throws: ZTeeRecords.Problem.noAddressColumn) { try output("daddr,sport\n1.2.3.4,80\n") }
        #expect(ZTeeRecords.column([bytes("ipid"), bytes("ip")], ["saddr", "ip"]) == 1)
        #expect(ZTeeRecords.column([bytes("ipid"), bytes("x")], ["saddr", "ip"]) == 0)
        #expect(ZTeeRecords.column([bytes("x")], ["saddr", "ip"]) == nil)
    }

    @Test("--success-only: non-zero numbers and true, in any column")
    func successOnly() throws {
        let middle =
            "saddr,success,x\n1.1.1.1,1,a\n2.2.2.2,0,b\n3.3.3.3,true,c\n4.4.4.4,TRUE,d\n5.5.5.5,yes,e\n"
            + "6.6.6.6,-1,f\n7.7.7.7, 1,g\n8.8.8.8,0x1,h\n9.9.9.9,4294967296,i\n"
        #expect(try output(middle, successOnly: true) == "1.1.1.1\n3.3.3.3\n4.4.4.4\n6.6.6.6\n7.7.7.7\n")
        let last = "saddr,success\n1.1.1.1,true\n2.2.2.2,false\n3.3.3.3,1\n4.4.4.4,True"
        #expect(try output(last, successOnly: true) == "1.1.1.1\n3.3.3.3\n4.4.4.4\n")
        #expect(
            try output("success,saddr\n1,1.1.1.1\n0,2.2.2.2\ntrue,3.3.3.3\n", successOnly: true)
                == "1.1.1.1\n3.3.3.3\n")
        #expect(throws: ZTeeRecords.Problem.noSuccessColumn) { try output("saddr,x\n1.1.1.1,1\n", successOnly: true) }
        #expect(throws: ZTeeRecords.Problem.successNeedsRecords) { try output("saddr\n1.1.1.1\n", successOnly: true) }
        #expect(throws: ZTeeRecords.Problem.successNeedsRecords) {
            try output("saddr,success\n1.1.1.1,1\n", raw: true, successOnly: true)
        }
    }

    @Test("atoi agrees with C's on 20,000 random strings")
    func atoiAgreesWithC() {
        let alphabet = Array("0123456789+- \tx9".utf8)
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...22)).map { _ in alphabet.randomElement()! }
            let c = String(decoding: text, as: UTF8.self).withCString { Glibc.atoi($0) }
            #expect(
                ZTeeRecords.atoi(ArraySlice(text)) == c, "\(String(decoding: text, as: UTF8.self).debugDescription)")
        }
    }

    @Test("JSON lines")
    func json() throws {
        let input =
            "{\"saddr\":\"1.2.3.4\",\"success\":true}\n{\"saddr\":\"5.6.7.8\",\"success\":false}\n"
            + "{\"ip\":\"9.9.9.9\",\"success\":1}\nnot json\n\n{\"port\":80}\n{\"saddr\":7,\"success\":0}\n"
        #expect(try output(input) == "1.2.3.4\n5.6.7.8\n9.9.9.9\n7\n")
        #expect(try output(input, successOnly: true) == "1.2.3.4\n9.9.9.9\n")
        #expect(try output(input, raw: true) == input)
        var records = try ZTeeRecords(firstLine: bytes("{}\n"), raw: false, successOnly: false)
        var out: [UInt8] = []
        #expect(records.process(bytes("{}\n"), into: &out) == nil)
        #expect(records.process(bytes("oops\n"), into: &out) == "line 2 is not a JSON object: not interpreted")
    }

    @Test("raw input passes through unchanged, NUL bytes and a last line without newline included")
    func raw() throws {
        #expect(try output("a\nb b\nc") == "a\nb b\nc")
        #expect(try output("a\u{0}b\nc\n") == "a\u{0}b\nc\n")
        #expect(try output("saddr\n1.2.3.4,80\n") == "saddr\n1.2.3.4,80\n")
    }

    @Test("options and help")
    func options() throws {
        let parser = GetoptParser(table: ZTeeOptions.table)
        var o = ZTeeOptions()
        let r = try parser.parse(["--succ", "-mr", "-u", "st.csv", "--log-file=log", "out.csv"])
        try parser.apply(commandLine: r, configFile: nil, to: &o)
        #expect(o.successOnly && o.monitor && o.raw && o.statusUpdatesFile == "st.csv" && o.logFile == "log")
        #expect(r.operands == ["out.csv"])
        #expect(throws: XMapError("`--raw' (`-r') option given more than once")) {
            var p = ZTeeOptions()
            try parser.apply(commandLine: try parser.parse(["-r", "--raw"]), configFile: nil, to: &p)
        }
        let help = ZTeeOptions.helpText
        for option in ZTeeOptions.table { #expect(help.contains("--" + option.name)) }
        #expect(help.split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(ZMapTool.version("ztee").hasPrefix("ztee (xmap "))
    }
}

/// ztee's once-per-second statistics.
@Suite("ztee statistics")
struct ZTeeStatisticsTests {
    @Test("ZMap's formulas and formats")
    func rows() {
        var s = ZTeeStatistics()
        let first = s.sample(age: 1.0003, totalRead: 300_000, buffered: 287_231)
        #expect(
            first
                == .init(
                    seconds: 1, totalRead: 300_000, readLastSecond: 299_910, readPerSecondAverage: 299_910,
                    buffered: 287_231, bufferedAverage: 287_144))
        #expect(
            ZTeeStatistics.monitorLine(first)
                == " 0:01 read_rate: 299910 rows/s (avg 299910 rows/s), buffer_size: 287231 (avg 287144)\n")
        #expect(ZTeeStatistics.statusLine(first) == "1,300000,299910,299910,287231,287144\n")
        let second = s.sample(age: 2.0, totalRead: 300_000, buffered: 0)
        #expect(
            second.readLastSecond == 0 && second.readPerSecondAverage == 150_000 && second.bufferedAverage == 143_615)
        #expect(ZTeeStatistics.elapsedText(59) == "0:59")
        #expect(ZTeeStatistics.elapsedText(3_600) == "1:00:00")
        #expect(ZTeeStatistics.elapsedText(90_061) == "1d1:01:01")
        #expect(ZTeeStatistics.clamp(.nan) == 0 && ZTeeStatistics.clamp(-1) == 0 && ZTeeStatistics.clamp(1e12) == .max)
    }
}

/// The line-block reader both tools read standard input with.
@Suite("line blocks")
struct LineBlockReaderTests {
    /// The blocks read from a file holding `text`, with a tiny block size to cross boundaries.
    func blocks(_ text: String, blockSize: Int, maxLineLength: Int? = nil) throws -> [String] {
        let path = NSTemporaryDirectory() + "lineblocks-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        defer { unlink(path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var reader = LineBlockReader(fd: fd, blockSize: blockSize, maxLineLength: maxLineLength)
        var out: [String] = []
        while true {
            switch try reader.next() {
            case .lines(let b): out.append(String(decoding: b, as: UTF8.self))
            case .lineTooLong: out.append("TOO LONG")
            case .end: return out
            }
        }
    }

    @Test("whole lines, bytes unchanged")
    func wholeLines() throws {
        for size in [1, 2, 3, 5, 64] {
            let text = "a\nbb\n\nccc\u{0}\r\nlast"
            let got = try blocks(text, blockSize: size)
            #expect(got.joined() == text)
            #expect(got.dropLast().allSatisfy { $0.utf8.last == 10 } && got.last == "last")
        }
        #expect(try blocks("", blockSize: 4).isEmpty)
        #expect(try blocks("x\n", blockSize: 4) == ["x\n"])
    }

    @Test("the line limit counts the newline; the lines before a long one come first")
    func limit() throws {
        #expect(try blocks("abcd\nabc\n", blockSize: 64, maxLineLength: 4) == ["TOO LONG"])
        #expect(try blocks("abc\nabcd\nab\n", blockSize: 64, maxLineLength: 4) == ["abc\n", "TOO LONG"])
        #expect(try blocks("abc\nabcd", blockSize: 64, maxLineLength: 4) == ["abc\n", "abcd"])
        #expect(try blocks("abc\nabcde", blockSize: 2, maxLineLength: 4) == ["abc\n", "TOO LONG"])
        #expect(try blocks("ab\nabc\n", blockSize: 1, maxLineLength: 4) == ["ab\n", "abc\n"])
    }
}

/// The queue between ztee's reader and writer.
@Suite("blocking queue")
struct BlockingQueueTests {
    @Test("everything pushed arrives once, in order, then nil")
    func order() throws {
        let queue = BlockingQueue<Int>()
        let producer = try OSThread.spawn(name: "test producer") {
            for i in 0..<10_000 { queue.push(i) }
            queue.close()
        }
        var got: [Int] = []
        while let batch = queue.takeAll() { got += batch }
        producer.join()
        #expect(got == Array(0..<10_000))
        #expect(queue.takeAll() == nil)
    }

    @Test("a completion signal wakes a waiter before its deadline")
    func completion() throws {
        let signal = CompletionSignal()
        #expect(!signal.wait(until: Posix.monotonicNanos() + 1_000_000))
        let start = Posix.monotonicNanos()
        let t = try OSThread.spawn(name: "test completer") { signal.complete() }
        #expect(signal.wait(until: start + 10_000_000_000))
        #expect(Posix.monotonicNanos() - start < 5_000_000_000)
        t.join()
        #expect(signal.isComplete)
    }
}
