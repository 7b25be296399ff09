import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// Turns parsed options into a checked `ScanConfiguration`, with XMap's defaults and errors.
struct ScanPlanner {
    let options: XMapOptions

    var family: IPFamily { options.ipv4 && !options.ipv6 ? .v4 : .v6 }

    func probeModuleType() throws -> any ProbeModule.Type {
        let name = options.probeModule ?? "default"
        guard let t = ProbeModuleRegistry.module(named: name, family: family) else {
            throw XMapError("specified \(family) probe module (\(name)) does not exist")
        }
        return t
    }

    /// Builds the configuration. Network details (interface, MACs, source) are filled in by
    /// `NetworkSetup` afterwards.
    func plan() throws -> ScanConfiguration {
        let family = self.family
        let module = try probeModuleType()

        // Targets and max-len (`prefix/len-maxlen` sets max-len as `-x` does).
        var maxLen = options.maxLen
        var targetTexts: [String] = []
        for t in options.targets {
            if let slash = t.firstIndex(of: "/"), let dash = t[slash...].firstIndex(of: "-") {
                guard let m = Int(t[t.index(after: dash)...]) else { throw XMapError("invalid max-len in target '\(t)'") }
                if let existing = maxLen, existing != m {
                    throw XMapError("target '\(t)' asks for max-len \(m), but max-len is \(existing)")
                }
                maxLen = m
                targetTexts.append(String(t[..<dash]))
            } else {
                targetTexts.append(t)
            }
        }
        // A list file is scanned address by address: max-len is the full width (as XMap).
        let len = options.listOfIPsFile != nil ? family.bits : (maxLen ?? 32)
        guard len >= 1 && len <= family.bits else {
            throw XMapError("argument `scanning max-len' must be between 1 and \(family.bits) (got \(len))")
        }

        // Ports.
        var ports: [UInt16] = []
        if module.usesPorts {
            guard let p = options.targetPort else {
                throw XMapError("target port (-p) is required for this type of probe: \(module.name)")
            }
            ports = try PortList.parse(p).ports
        } else if options.targetPort != nil {
            Log.warn("the \(module.name) probe module does not use ports; ignoring -p")
        }
        let indexCount = options.targetIndex ?? 1
        guard indexCount >= 1 && indexCount <= 1 << 24 else {
            throw XMapError("invalid target index \(indexCount) (must be 1-\(1 << 24))")
        }

        // Allowed space.
        var builder = TargetSpaceBuilder(family: family, maxLen: len)
        if let w = options.whitelistFile {
            try TargetInput.addFile(w, role: .allow, to: &builder, ignoreErrors: options.ignoreBlacklistError)
        }
        if options.whitelistFile != nil && !targetTexts.isEmpty {
            Log.warn("both an allowlist file and targets were given; scanning their union")
        }
        for t in targetTexts {
            do {
                try TargetInput.add(t, role: .allow, to: &builder, skipOtherFamily: false)
            } catch let e as XMapError {
                if options.ignoreBlacklistError { Log.warn("skipping target: \(e.message)"); continue }
                throw XMapError("invalid target: \(e.message)")
            }
        }
        if let b = options.blacklistFile {
            try TargetInput.addFile(b, role: .block, to: &builder, ignoreErrors: options.ignoreBlacklistError)
        }
        let allowed = builder.build()
        let space = TargetSpace(family: family, maxLen: len, ports: ports, indexCount: indexCount, allowed: allowed)
        if space.prefixCount == 0 && options.listOfIPsFile == nil {
            if let p = builder.ignored.first {
                throw XMapError("no addresses are eligible to be scanned: \(p) is longer than max-len \(len) (use -x \(p.length) to scan it)")
            }
            throw XMapError("no addresses are eligible to be scanned in the current configuration")
        }
        for p in builder.ignored {
            Log.warn("ignoring \(p): it is longer than max-len \(len) (use -x \(p.length) to scan it)")
        }

        // Seed and validation key.
        let seedProvided = options.seed != nil
        let seed = options.seed.map { UInt64(bitPattern: $0) } ?? SystemRandom.uint64()
        let key = seedProvided ? AESKey(seed: seed).keyBytes : SystemRandom.bytes(16)

        var c = ScanConfiguration(family: family, probeModule: module.name, space: space, seed: seed,
                                  seedProvided: seedProvided, validationKey: key)
        c.probeArgs = options.probeArgs
        c.dryRun = options.dryrun || options.fastDryrun
        c.fastDryRun = options.fastDryrun
        c.headerRow = !options.noHeaderRow && !options.fastDryrun
        if options.netmapWaitPing != nil { Log.warn("--netmap-wait-ping: netmap is not supported; ignored") }
        switch options.validateSourcePort {
        case nil, "enable"?: c.validateSourcePort = true
        case "disable"?: c.validateSourcePort = false
        case let other?: throw XMapError("invalid --validate-source-port '\(other)' (expected enable or disable)")
        }
        let window = options.dedupWindowSize ?? 1_000_000
        guard window >= 1 else { throw XMapError("--dedup-window-size must be at least 1 (got \(window))") }
        switch options.dedupMethod {
        case nil, "default"?, "full"?: c.dedup = .full
        case "window"?: c.dedup = .window(window)
        case "none"?: c.dedup = .none
        case let other?: throw XMapError("invalid --dedup-method '\(other)' (expected default, full, window or none)")
        }
        c.quiet = options.quiet

        // Sharding.
        if (options.shards != nil) != (options.shard != nil) && (options.shard ?? 0) != 0 {
            throw XMapError("need to specify both shard number and total number of shards")
        }
        c.shards = options.shards ?? 1
        c.shard = options.shard ?? 0
        guard c.shards >= 1 && c.shards <= 65535 else { throw XMapError("--shards must be between 1 and 65535") }
        if c.shards > 1 && !seedProvided { throw XMapError("need to specify seed if sharding a scan") }
        guard c.shard >= 0 && c.shard < c.shards else {
            throw XMapError("with \(c.shards) total shards, shard number (\(c.shard)) must be in range [0, \(c.shards))")
        }
        c.senderThreads = options.senderThreads ?? 1
        guard c.senderThreads >= 1 && c.senderThreads <= 255 else { throw XMapError("--sender-threads must be between 1 and 255") }

        // Limits.
        if let n = options.maxTargets {
            c.maxTargets = try Self.parseMaxTargets(n, maxLen: len, ports: max(1, ports.count))
        }
        c.maxPackets = options.maxPackets ?? 0
        c.maxRuntime = options.maxRuntime ?? 0
        c.maxResults = options.maxResults ?? 0
        c.cooldownSeconds = options.cooldownSecs ?? 5
        guard c.cooldownSeconds >= 0 else { throw XMapError("--cooldown-secs must not be negative") }
        guard c.maxRuntime >= 0 else { throw XMapError("--max-runtime must not be negative") }
        c.probes = options.probes ?? 1
        guard c.probes >= 1 else { throw XMapError("--probes must be at least 1") }
        c.retries = options.retries ?? 1
        guard c.retries >= 0 else { throw XMapError("--retries must not be negative") }
        c.batchSize = options.batch ?? 64
        guard c.batchSize >= 1 && c.batchSize <= 1024 else { throw XMapError("--batch must be between 1 and 1024") }
        c.minHitrate = options.minHitrate ?? 0
        guard c.minHitrate.isFinite && c.minHitrate >= 0 && c.minHitrate <= 100 else {
            throw XMapError("--min-hitrate must be a percentage between 0 and 100 (got \(options.minHitrate ?? 0))")
        }
        c.maxSendtoFailures = options.maxSendtoFailures ?? -1
        if let e = options.estElements {
            guard e >= 1 && e <= 1 << 36 else { throw XMapError("--est-elements must be between 1 and 2^36 (got \(e))") }
            c.expectedResults = Int(e)
        }
        c.statusUpdatesPath = options.statusUpdatesFile
        c.pinCores = try Self.parseCores(options.cores, available: (try? Posix.allowedCPUs()) ?? [])
        if let ttl = options.probeTTL {
            guard ttl >= 0 && ttl <= 255 else { throw XMapError("--probe-ttl must be between 0 and 255 (got \(ttl))") }
            c.ttl = UInt8(ttl)
        }
        if let s = options.sourcePort { c.sourcePorts = try SourcePortRange.parse(s) }
        if c.probes > Int(c.sourcePorts.count) && module.usesPorts {
            throw XMapError("--probes (\(c.probes)) must not exceed the number of source ports (\(c.sourcePorts.count))")
        }

        if let path = options.listOfIPsFile {
            c.targetList = try Self.loadList(path: path, family: family, allowed: allowed, ignoreErrors: options.ignoreFilelistError)
        }

        // Too few targets for the threads: XMap drops to one sender.
        let allowedTargets = c.targetList.map { UInt192(UInt64($0.count)) } ?? space.targetCount
        if c.senderThreads > 1 && (allowedTargets < UInt192(UInt64(2 * c.senderThreads))
            || (c.maxTargets != 0 && c.maxTargets <= 2 * UInt64(c.senderThreads))) {
            Log.warn("too few targets relative to senders, dropping to one sender")
            c.senderThreads = 1
        }
        let subshards = UInt64(c.shards * c.senderThreads)
        if c.targetList == nil && UInt192(subshards) > space.valueCount {
            throw XMapError("senders * shards (\(subshards)) > allowed probing addresses (\(space.targetCount))")
        }
        if c.maxTargets != 0 && c.maxTargets < subshards {
            throw XMapError("senders * shards (\(subshards)) > max targets (\(c.maxTargets))")
        }

        // The probe module checks its --probe-args (payload files, templates) before anything runs.
        let probe = try module.init(settings: ProbeSettings(family: family, probes: c.probes,
                                                            probeArgs: options.probeArgs, targetPorts: ports))

        // Rate.
        if options.rate != nil && options.bandwidth != nil {
            throw XMapError("must specify rate or bandwidth, or neither, not both.")
        }
        if let r = options.rate {
            guard r >= 0 else { throw XMapError("--rate must not be negative (0 means unlimited)") }
            c.rate = r
        } else if let b = options.bandwidth {
            c.rate = try Self.rate(forBandwidth: b, packetLength: probe.packetLength)
        } else {
            c.rate = 1
        }

        // IID.
        c.iid = try IIDModule.parse(name: options.iidModule ?? "default", args: options.iidArgs, family: family)
        c.iidNum = options.iidNum ?? 1
        guard c.iidNum >= 1 else { throw XMapError("--iid-num must be at least 1") }

        // Output.
        let allFields = ScanConfiguration.allFields(module)
        let outName = options.outputModule ?? "default"
        guard OutputModuleRegistry.module(named: outName) != nil else {
            throw XMapError("specified output module (\(outName)) does not exist")
        }
        c.outputModule = outName == "default" ? "csv" : outName
        if let f = options.outputFields {
            let names = f.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            if names == ["*"] {
                c.outputFields = allFields.map { $0.name }
            } else {
                for n in names where !allFields.contains(where: { $0.name == n }) {
                    throw XMapError("specified field (\(n)) not available in selected probe module")
                }
                guard !names.isEmpty else { throw XMapError("no output fields given") }
                c.outputFields = names
            }
        }
        switch options.outputFilter {
        case nil, "default"?:
            c.filter = try FilterExpression.parse("success = 1 && repeat = 0", fields: allFields)
        case ""?:
            c.filter = nil
        case let text?:
            c.filter = try FilterExpression.parse(text, fields: allFields)
        }
        c.outputPath = options.outputFile

        c.ipLayer = options.ipLayer
        return c
    }

    /// Reads an `-I` file: one address per line (`#` comments and blank lines skipped, anything from
    /// `/` on ignored), keeping only addresses allowed by the allow/block lists.
    static func loadList(path: String, family: IPFamily, allowed: PrefixIntervals, ignoreErrors: Bool) throws -> AddressList {
        var list = AddressList(family: family)
        var skipped = 0, blocked = 0, bad = 0
        try LineReader.forEachLine(path: path, maxLineLength: 256) { lineNumber, raw in
            var a = 0, b = raw.count
            while a < b && (raw[a] == 32 || raw[a] == 9) { a += 1 }
            while b > a && (raw[b - 1] == 32 || raw[b - 1] == 9) { b -= 1 }
            if a == b || raw[a] == 35 { skipped += 1; return }
            var end = a
            while end < b && raw[end] != 32 && raw[end] != 9 && raw[end] != 35 { end += 1 }
            let token = UnsafeRawBufferPointer(rebasing: raw[a..<end])
            guard let v = AddressBytes.parse(token, family: family) else {
                if ignoreErrors { bad += 1; return }
                throw XMapError("could not parse \(family) address from line \(lineNumber) of \(path): '\(String(decoding: token, as: UTF8.self))'")
            }
            if v == 0 || !allowed.contains(v) { blocked += 1; return }
            list.append(v)
        }
        if bad > 0 { Log.warn("skipped \(bad) unparsable lines in \(path)") }
        Log.debug("\(path): \(list.count) addresses, \(blocked) not allowed, \(skipped) blank or comment lines")
        return list
    }

    /// `-n N` or ZMap's `-n N%`: a percentage of 2^max-len prefixes times the ports, which for
    /// IPv4 at `-x 32` is ZMap's 2^32 × ports (not the allowed space). Capped at 2^64 − 1.
    static func parseMaxTargets(_ text: String, maxLen: Int, ports: Int) throws -> UInt64 {
        if text.hasSuffix("%") {
            guard let pct = Double(text.dropLast()), pct > 0, pct <= 100 else {
                throw XMapError("invalid --max-targets percentage '\(text)'")
            }
            let space = Double(sign: .plus, exponent: maxLen, significand: 1) * Double(ports)
            let n = (space * pct / 100).rounded(.up)
            return n >= Double(UInt64.max) ? UInt64.max : UInt64(n)
        }
        guard let v = UInt64(text), v > 0 else { throw XMapError("invalid --max-targets '\(text)'") }
        return v
    }

    /// `--cores`: CPU numbers separated by commas or spaces, each one this process may use.
    /// Without the option, every available CPU (XMap pins to all online CPUs by default).
    static func parseCores(_ text: String?, available: [Int]) throws -> [Int] {
        guard let text else { return available }
        var cores: [Int] = []
        for token in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            guard let cpu = Int(token), cpu >= 0 else { throw XMapError("invalid CPU '\(token)' in --cores '\(text)'") }
            guard available.isEmpty || available.contains(cpu) else {
                throw XMapError("CPU \(cpu) in --cores is not available to this process (available: \(available.map(String.init).joined(separator: ",")))")
            }
            cores.append(cpu)
        }
        guard !cores.isEmpty else { throw XMapError("--cores needs at least one CPU number") }
        return cores
    }

    /// XMap's bandwidth → rate conversion (binary suffixes; frames padded to 84 bytes on the wire).
    static func rate(forBandwidth text: String, packetLength: Int) throws -> Int {
        var digits = Substring(text)
        var multiplier: UInt64 = 1
        if let last = digits.last, !last.isNumber {
            switch last {
            case "G", "g": multiplier = 1 << 30
            case "M", "m": multiplier = 1 << 20
            case "K", "k": multiplier = 1 << 10
            default: throw XMapError("unknown bandwidth suffix '\(last)' (supported suffixes are G, M and K)")
            }
            digits = digits.dropLast()
        }
        guard let n = UInt64(digits), n > 0 else { throw XMapError("invalid bandwidth '\(text)'") }
        let bits = UInt64(max(packetLength * 8 + 8 * 24, 84 * 8))
        let rate = n.multipliedReportingOverflow(by: multiplier).partialValue / bits
        if rate == 0 {
            Log.warn("bandwidth \(n * multiplier) bit/s is slower than 1 pkt/s, setting rate to 1 pkt/s")
            return 1
        }
        return rate >= UInt64(UInt32.max) ? 0 : Int(rate)
    }
}
