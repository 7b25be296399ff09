import Foundation
import Synchronization
import Testing
@testable import XMapCLI
import XMapCore
import XMapEngine
import XMapIO
import XMapTestSupport

/// The safety property: whatever the command line, a scan stays inside what the user allowed.
/// Random command lines mix targets, `-w`/`-b`/`-I` files (of either family, mixed, empty),
/// config files that name lists, `-x`, and options with empty values in every spelling
/// (`--notes=`, `--notes ""`, `-F ''`) placed before the targets, where a parse slip would
/// swallow a target and widen the scan to the whole space. An oracle written here from the
/// documented rules gives what the user allowed: the union of every allow entry of the scan's
/// family (or everything when no allow source was named at all), minus every block entry.
/// - In process, 10,000 lines: the plan's whole allowed set (and every `-I` address) must lie
///   inside the oracle's.
/// - As real dry runs (`XMAP_BOUNDS_DRYRUNS`, default 150): every destination printed must.
@Suite("Safety: a scan never goes beyond what was allowed")
struct ScanBoundsPropertyTests {
    static let planCount = Int(ProcessInfo.processInfo.environment["XMAP_BOUNDS_LINES"] ?? "") ?? 10_000
    static let dryRunCount = Int(ProcessInfo.processInfo.environment["XMAP_BOUNDS_DRYRUNS"] ?? "") ?? 150

    @Test("10,000 command lines: the planned space is inside what the user allowed")
    func plannedSpaceIsBounded() throws {
        let files = try BoundsFixtures()
        defer { files.remove() }
        var generator = BoundedCommandLine(seed: 0x5AFE_2026, files: files)
        Log.configure(level: .fatal, fd: try Self.devNull())
        defer { Log.configure(level: .info) }
        var planned = 0, refused = 0
        var violations: [String] = []
        for _ in 0..<Self.planCount {
            let line = generator.next()
            let plan: ScanPlan
            do {
                let options = try XMapOptions.parse(
                    line.arguments,
                    readConfig: { path in
                        path == ConfigFile.defaultPath ? nil : try ConfigFile.arguments(path: path)
                    })
                plan = try ScanPlanner(options: options).plan()
            } catch {
                refused += 1
                if ProcessInfo.processInfo.environment["XMAP_BOUNDS_SHOW"] != nil { print("refused: \(error)") }
                continue
            }
            planned += 1
            let allowed = line.oracle.allowed
            if let problem = Self.outside(plan, allowed: allowed) {
                violations.append("\(problem): xmap \(line.arguments.joined(separator: " "))")
            }
        }
        print("bounds: \(planned) planned, \(refused) refused with an error")
        #expect(violations.isEmpty, "\(violations.count) violations; first: \(violations.first ?? "")")
        #expect(planned >= Self.planCount / 4 && refused >= Self.planCount / 50)
    }

    @Test("real dry runs print only destinations the user allowed")
    func dryRunsAreBounded() throws {
        let files = try BoundsFixtures()
        defer { files.remove() }
        var generator = BoundedCommandLine(seed: 0xD0_2026, files: files)
        let lines = (0..<Self.dryRunCount).map { _ in generator.next() }
        let violations = Mutex<[String]>([])
        let printed = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for i in stride(from: worker, to: lines.count, by: 2) {
                let line = lines[i]
                let source = line.oracle.family == .v4 ? "192.0.2.1" : "2001:db8:ffff::1"
                let args =
                    [
                        "-d", "-n", "40", "-R", "0", "-c", "0", "--disable-syslog", "-q", "-i", "lo",
                        "-G", "00:00:5e:00:53:01", "-S", source
                    ] + line.arguments
                guard let r = try? Subprocess.xmapIsolated(args, timeout: 60) else { continue }
                var addresses: [IPAddress] = []
                for row in r.stdout.split(separator: "\n")
                where row.contains("Destination(4B)")
                    || row.contains("Destination(16B)")
                {
                    if let text = row.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces),
                        let a = IPAddress(text)
                    {
                        addresses.append(a)
                    }
                }
                printed.withLock { $0 += addresses.count }
                let allowed = line.oracle.allowed
                for a in addresses where !allowed.contains(a) {
                    violations.withLock { $0.append("\(a): xmap \(args.joined(separator: " "))") }
                    break
                }
            }
        }
        let found = violations.withLock { $0 }
        #expect(found.isEmpty, "\(found.count) violations; first: \(found.first ?? "")")
        #expect(printed.withLock { $0 } > 0)
    }

    /// A description of what the plan holds outside `allowed`, or nil.
    static func outside(_ plan: ScanPlan, allowed: AddressRanges) -> String? {
        let space = plan.targets.space
        if let list = plan.targets.list {
            for i in 0..<list.count {
                let a = IPAddress(family: space.family, value: list[i])
                if !allowed.contains(a) { return "-I address \(a)" }
            }
            return nil
        }
        let shift = UInt128(space.family.bits - space.maxLen)
        let low: UInt128 = shift == 0 ? 0 : (UInt128(1) << shift) - 1
        for r in space.allowed.ranges {
            let first = r.lowerBound << shift, last = (r.upperBound << shift) | low
            if !allowed.contains(first...last, family: space.family) {
                return "planned \(IPAddress(family: space.family, value: first))-"
                    + "\(IPAddress(family: space.family, value: last))"
            }
        }
        return nil
    }

    static func devNull() throws -> Int32 {
        let fd = open("/dev/null", O_WRONLY)
        guard fd >= 0 else { throw XMapError("open /dev/null") }
        return fd
    }
}

/// Inclusive address ranges of one family (the oracle's sets).
struct AddressRanges {
    var family: IPFamily
    var ranges: [ClosedRange<UInt128>] = []

    static func everything(_ family: IPFamily) -> AddressRanges {
        AddressRanges(family: family, ranges: [0...(family == .v4 ? UInt128(UInt32.max) : UInt128.max)])
    }

    func contains(_ a: IPAddress) -> Bool {
        a.family == family && ranges.contains { $0.contains(a.value) }
    }

    /// True when `r` lies inside the union (ranges may touch).
    func contains(_ r: ClosedRange<UInt128>, family: IPFamily) -> Bool {
        guard family == self.family else { return false }
        var next = r.lowerBound
        for s in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where s.lowerBound <= next {
            if s.upperBound >= r.upperBound && s.lowerBound <= next { return true }
            if s.upperBound >= next { next = s.upperBound + 1 }
        }
        return false
    }

    /// The part of this set outside `blocks` (interval subtraction, done here independently).
    func subtracting(_ blocks: [ClosedRange<UInt128>]) -> AddressRanges {
        var out = ranges
        for b in blocks {
            var next: [ClosedRange<UInt128>] = []
            for r in out {
                if b.upperBound < r.lowerBound || b.lowerBound > r.upperBound { next.append(r); continue }
                if b.lowerBound > r.lowerBound { next.append(r.lowerBound...(b.lowerBound - 1)) }
                if b.upperBound < r.upperBound { next.append((b.upperBound + 1)...r.upperBound) }
            }
            out = next
        }
        return AddressRanges(family: family, ranges: out)
    }
}

/// What the user allowed, from the generator's own knowledge of what each word is.
struct BoundsOracle {
    var family: IPFamily = .v6
    var maxLen = 32
    /// nil: no allow source named; else the union of the allow entries (possibly empty).
    var allows: [ClosedRange<UInt128>]? = nil
    var blocks: [ClosedRange<UInt128>] = []

    var allowed: AddressRanges {
        let base = allows.map { AddressRanges(family: family, ranges: $0) } ?? .everything(family)
        return base.subtracting(blocks)
    }

    /// Adds the allow source `entries` (which may hold nothing of this family).
    mutating func allow(_ entries: [String]) {
        var current = allows ?? []
        for e in entries { if let r = allowRange(e) { current.append(r) } }
        allows = current
    }

    mutating func block(_ entries: [String]) {
        for e in entries { if let r = blockRange(e) { blocks.append(r) } }
    }

    /// The addresses an allow entry may reach: a prefix as `/min(len, maxLen)` (a bare address is
    /// `/maxLen`), nothing for a prefix longer than max-len, a range as the whole max-len
    /// prefixes inside it.
    func allowRange(_ entry: String) -> ClosedRange<UInt128>? {
        if let (a, b) = Self.rangeEnds(entry, family) {
            let shift = family.bits - maxLen
            if shift == 0 { return a...b }
            let size = UInt128(1) << UInt128(shift)
            let first = a % size == 0 ? a : (a / size + 1) * size
            let last: UInt128
            if b % size == size - 1 {
                last = b
            } else {
                guard b / size > 0 else { return nil }
                last = (b / size) * size - 1
            }
            return first <= last ? first...last : nil
        }
        guard let (network, length) = Self.prefix(entry, family, defaultLength: maxLen), length <= maxLen else {
            return nil
        }
        return Self.span(network, length, family)
    }

    /// The addresses a block entry covers: at least its max-len prefix.
    func blockRange(_ entry: String) -> ClosedRange<UInt128>? {
        if let (a, b) = Self.rangeEnds(entry, family) { return a...b }
        guard let (network, length) = Self.prefix(entry, family, defaultLength: maxLen) else { return nil }
        return Self.span(network, length, family)
    }

    /// True when the entry is an address, prefix or range of this family.
    func isOfFamily(_ entry: String) -> Bool {
        Self.rangeEnds(entry, family) != nil || Self.prefix(entry, family, defaultLength: 0) != nil
    }

    static func span(_ network: UInt128, _ length: Int, _ family: IPFamily) -> ClosedRange<UInt128> {
        let host = family.bits - length
        let mask: UInt128 = host == 0 ? 0 : (host >= 128 ? UInt128.max : (UInt128(1) << UInt128(host)) - 1)
        return (network & ~mask)...((network & ~mask) | mask)
    }

    static func rangeEnds(_ entry: String, _ family: IPFamily) -> (UInt128, UInt128)? {
        let sides = entry.split(separator: "-")
        guard sides.count == 2, !entry.contains("/"), let a = IPAddress(String(sides[0])),
            let b = IPAddress(String(sides[1])), a.family == family, b.family == family, a.value <= b.value
        else { return nil }
        return (a.value, b.value)
    }

    static func prefix(_ entry: String, _ family: IPFamily, defaultLength: Int) -> (UInt128, Int)? {
        let parts = entry.split(separator: "/")
        guard let a = IPAddress(String(parts[0])), a.family == family else { return nil }
        let length = parts.count > 1 ? Int(parts[1].split(separator: "-")[0]) ?? -1 : defaultLength
        guard length >= 0 && length <= family.bits else { return nil }
        return (a.value, length)
    }
}

/// The list files the lines name.
struct BoundsFixtures {
    let dir: String
    /// Name → entries (one per line), for the oracle.
    let lists: [String: [String]]

    static let contents: [String: [String]] = [
        "v4": ["198.51.100.0/26", "203.0.113.64/27", "# comment"],
        "v6": ["2001:db8:1::/48", "2001:db8:ff00::/40"],
        "mixed": ["198.51.100.128/25", "2001:db8:2::/48", "203.0.113.9"],
        "ranges": ["198.51.100.10-198.51.100.40", "2001:db8:3::-2001:db8:3:ffff::"],
        "narrow": ["198.51.100.77/32", "2001:db8:4::1/128", "2001:db8:5::/64"],
        "empty": [],
        "list4": ["198.51.100.1", "198.51.100.200", "203.0.113.5", "198.51.100.100"],
        "list6": ["2001:db8:1::1", "2001:db8:9::9", "2001:db8:1:2::77"]
    ]

    init() throws {
        dir = NSTemporaryDirectory() + "xmap-bounds-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var lists: [String: [String]] = [:]
        for (name, lines) in Self.contents {
            try (lines.joined(separator: "\n") + "\n").write(
                toFile: dir + "/" + name, atomically: true, encoding: .utf8)
            lists[dir + "/" + name] = lines.filter { !$0.hasPrefix("#") }
        }
        self.lists = lists
    }

    func path(_ name: String) -> String { dir + "/" + name }

    /// Writes a config file naming lists; returns its path.
    func config(_ index: Int, allow: String?, block: String?) throws -> String {
        let path = dir + "/config-\(index)"
        var text = "# random\n"
        if let allow { text += "whitelist-file \"\(allow)\"\n" }
        if let block { text += "blacklist-file=\(block)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}

/// A random command line and its oracle.
struct BoundedCommandLine {
    struct Line {
        var arguments: [String]
        var oracle: BoundsOracle
    }

    var rng: SplitMix64
    let files: BoundsFixtures
    var configs = 0

    init(seed: UInt64, files: BoundsFixtures) {
        rng = SplitMix64(seed: seed)
        self.files = files
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

    static let targets4 = [
        "198.51.100.0/24", "198.51.100.7", "198.51.100.0/28", "203.0.113.0/26",
        "198.51.100.10-198.51.100.20", "0.0.0.0/0", "198.51.100.128/25", "203.0.113.200/30"
    ]
    static let targets6 = [
        "2001:db8::/32", "2001:db8:1::/48", "2001:db8::1", "2001:db8:1:2::/64",
        "2001:db8::-2001:db8:0:ffff::", "2001:db8:abcd::/46"
    ]
    /// Options whose value may be empty, each in the spellings a user types.
    static let emptyValues: [[[String]]] = [
        [["--notes="], ["--notes", ""], ["--not="], ["--notes=x"]],
        [["--output-filter="], ["-F", ""], ["--output-filter", ""], ["-F="], ["--output-filter=success = 1"]],
        [["--user-metadata={}"], ["--user-metadata="]],
        [["--probe-ttl=64"], ["--probe-ttl", "64"]]
    ]

    /// Some of the empty-value options, each at most once, in a random order.
    mutating func emptyValueOptions() -> [[String]] {
        var out: [[String]] = []
        for spellings in Self.emptyValues where chance(30) { out.append(pick(spellings)) }
        out.shuffle(using: &rng)
        return out
    }

    mutating func next() -> Line {
        var oracle = BoundsOracle()
        var args: [String] = []
        let v4 = chance(50)
        oracle.family = v4 ? .v4 : .v6
        args.append(v4 ? "-4" : pick(["-6", "--ipv6"]))
        if v4 {
            oracle.maxLen = chance(70) ? 32 : pick([24, 26, 28, 30])
        } else {
            oracle.maxLen = pick([32, 40, 48, 56, 64, 128])
        }
        if oracle.maxLen != 32 || chance(20) {
            args += chance(50) ? ["-x", "\(oracle.maxLen)"] : ["--max-len=\(oracle.maxLen)"]
        }
        if chance(30) { args += ["-M", "tcp_syn", "-p", pick(["80", "22,80"])] }
        // Empty values, before the targets (some here, the rest just before them).
        var empties = emptyValueOptions()
        let early = Int(rng.next() % UInt64(empties.count + 1))
        for e in empties.prefix(early) { args += e }
        empties.removeFirst(early)
        var targets: [String] = []
        for _ in 0..<Int(rng.next() % 3) { targets.append(pick(v4 ? Self.targets4 : Self.targets6)) }
        if chance(3) { targets.append(pick(v4 ? Self.targets6 : Self.targets4)) }  // wrong family: an error
        let useList = chance(10)
        var cliAllow: String? = nil
        if chance(35) { cliAllow = files.path(pick(["v4", "v6", "mixed", "ranges", "narrow", "empty"])) }
        var cliBlock: String? = nil
        if chance(35) { cliBlock = files.path(pick(["v4", "v6", "mixed", "ranges", "narrow", "empty"])) }
        if let w = cliAllow {
            args += pick([["-w", w], ["--whitelist-file=\(w)"], ["--allowlist-file", w], ["-w\(w)"]])
        }
        if let b = cliBlock { args += pick([["-b", b], ["--blacklist-file=\(b)"], ["--blocklist-file", b]]) }
        // A config file naming lists (the command line's -w/-b win over it).
        var configAllow: String? = nil, configBlock: String? = nil
        if chance(25) {
            configs += 1
            configAllow = chance(60) ? files.path(pick(["v4", "v6", "mixed", "narrow"])) : nil
            configBlock = chance(60) ? files.path(pick(["v4", "v6", "mixed", "narrow"])) : nil
            if let path = try? files.config(configs, allow: configAllow, block: configBlock) {
                args += pick([["-C", path], ["--config=\(path)"]])
            }
        }
        let listName = chance(85) ? (v4 ? "list4" : "list6") : (v4 ? "list6" : "list4")
        if useList { args += ["-I", files.path(listName)] }
        for e in empties { args += e }
        // Targets go last here (a swallowed target would widen), and sometimes after `--`.
        if !targets.isEmpty && chance(10) { args.append("--") }
        args += targets

        // The oracle: every allow source of this family, from every place it can come from.
        // (-I scans single addresses: max-len is the full width, whatever -x says.)
        if useList { oracle.maxLen = oracle.family.bits }
        var anyAllowSource = !targets.isEmpty
        if !targets.isEmpty { oracle.allow(targets) }
        if let w = cliAllow {
            anyAllowSource = true
            oracle.allow(files.lists[w] ?? [])
        } else if let w = configAllow {
            // A config allowlist with no entry of the family is skipped (it serves both).
            let entries = files.lists[w] ?? []
            if entries.contains(where: { oracle.isOfFamily($0) }) {
                anyAllowSource = true
                oracle.allow(entries)
            }
        }
        if !anyAllowSource { oracle.allows = nil }
        if let b = cliBlock ?? configBlock { oracle.block(files.lists[b] ?? []) }
        if useList {
            // -I scans addresses (max-len = the width); they must also be in the list.
            let base = oracle.allowed
            let listed = (files.lists[files.path(listName)] ?? []).compactMap { IPAddress($0) }
                .filter { $0.family == oracle.family && base.contains($0) }
            oracle.allows = listed.map { $0.value...$0.value }
            oracle.blocks = []
        }
        return Line(arguments: args, oracle: oracle)
    }
}
