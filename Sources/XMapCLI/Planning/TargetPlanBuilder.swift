import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// What is scanned: targets and `-x` (including `prefix/len-maxlen`), `-w`/`-b`, `-I`, `-p`,
/// `-P`, and the IID module (`-U`, `--iid-args`, `--iid-num`).
struct TargetPlanBuilder {
    let options: XMapOptions
    let family: IPFamily

    /// `-p`, which modules with ports require and the others ignore (with a warning).
    func ports(for entry: ProbeModuleEntry) throws -> [UInt16] {
        if entry.usesPorts {
            guard let p = options.targetPort else {
                if options.personality == .zmap {
                    let name = options.probeModule ?? "tcp_synscan"
                    throw XMapError("target ports (-p) required for \(name) probe")
                }
                throw XMapError("target port (-p) is required for this type of probe: \(entry.name)")
            }
            return try PortList.parse(p).ports
        }
        if options.targetPort != nil { Log.warn("the \(entry.name) probe module does not use ports; ignoring -p") }
        return []
    }

    /// The target space and its order (the permutation, or the `-I` list); the IID comes later
    /// (`addIID`).
    /// `indexes` is the number of target indexes the probe module asks for (DNS: its questions),
    /// nil to take `-P`.
    func build(ports: [UInt16], seed: UInt64, indexes: Int? = nil) throws -> TargetPlan {
        let (maxLen, targetTexts) = try maxLenAndTargets()
        // -P 0 is XMap's default: one index per target.
        let indexCount = indexes ?? max(1, options.targetIndex ?? 0)
        guard indexCount <= 1 << 24 else {
            throw XMapError("too large target index (\(indexCount)), should be <= \(1 << 24)")
        }
        var builder = TargetSpaceBuilder(family: family, maxLen: maxLen)
        let lists = ListFilePolicy(options: options, family: family)
        lists.logDefaultFileWarnings()
        if let w = lists.allowlist {
            // An allowlist from the config file bounds the command line's targets; it never adds
            // to them (XMap's union would turn `xmap 2001:db8::/32` into a scan of 2000::/3).
            // A config file serves both families: its list is skipped when it has no entry of
            // this scan's family.
            let fromConfig = options.fromConfigFile.contains("whitelist-file")
            let bounds = fromConfig && !targetTexts.isEmpty
            var trial = builder
            if !bounds { trial.restrictToAllowed() }
            let counts = try TargetInput.addFile(
                w, role: bounds ? .bound : .allow, to: &trial,
                ignoreErrors: options.ignoreBlacklistError)
            if !(fromConfig && counts.entries == 0) {
                try lists.check(counts, path: w, role: .allow)
                builder = trial
                if !bounds && !targetTexts.isEmpty {
                    Log.warn("both an allowlist file and targets were given; scanning their union")
                }
            }
        }
        if !targetTexts.isEmpty { builder.restrictToAllowed() }
        for t in targetTexts {
            do {
                try TargetInput.add(t, role: .allow, to: &builder, skipOtherFamily: false)
            } catch let e as XMapError {
                if options.ignoreBlacklistError { Log.warn("skipping target: \(e.message)"); continue }
                throw XMapError(e.message.hasPrefix("invalid target") ? e.message : "invalid target: \(e.message)")
            }
        }
        if let b = lists.blocklist {
            var trial = builder
            let counts = try TargetInput.addFile(
                b, role: .block, to: &trial, ignoreErrors: options.ignoreBlacklistError)
            if !(options.fromConfigFile.contains("blacklist-file") && counts.entries == 0) {
                try lists.check(counts, path: b, role: .block)
                builder = trial
            }
        }
        if builder.allowsWholeSpace && !builder.hasBlocks && options.listOfIPsFile == nil {
            Log.warn(lists.wholeSpaceWarning(maxLen: maxLen))
        }
        let allowed = builder.build()
        let space = TargetSpace(family: family, maxLen: maxLen, ports: ports, indexCount: indexCount, allowed: allowed)
        if space.prefixCount == 0 && options.listOfIPsFile == nil {
            if let p = builder.ignored.first {
                throw XMapError(
                    "no addresses are eligible to be scanned: \(p) is longer than max-len \(maxLen) (use -x "
                        + "\(p.length) to scan it)"
                )
            }
            if let b = lists.blocklist, builder.hasBlocks {
                throw XMapError(
                    "no addresses are eligible to be scanned: the blocklist \(b) excludes every target"
                        + (options.fromConfigFile.contains("blacklist-file")
                            ? " (it is named in the config file; -b FILE on the command line replaces it)" : ""))
            }
            if let w = lists.allowlist, options.fromConfigFile.contains("whitelist-file") {
                throw XMapError(
                    "no addresses are eligible to be scanned: no target is inside the allowlist \(w) "
                        + "named in the config file (-w FILE on the command line replaces it)")
            }
            throw XMapError("no addresses are eligible to be scanned in the current configuration")
        }
        for (entry, blocked) in builder.widenedBlocks {
            Log.warn(
                "blocklist entry \(entry) is longer than max-len \(maxLen): blocking all of "
                    + "\(blocked.network)/\(maxLen)",
                module: "blocklist")
        }
        for p in builder.ignored {
            Log.warn("ignoring \(p): it is longer than max-len \(maxLen) (use -x \(p.length) to scan it)")
        }
        if let path = options.listOfIPsFile {
            let list = try AddressListLoader.load(
                path: path, family: family, allowed: allowed,
                ignoreErrors: options.ignoreFilelistError)
            var plan = TargetPlan(space: space, order: .list(list))
            plan.allowlistedNetworks = builder.allowedEntries
            plan.blocklistedNetworks = builder.blocklistedNetworks
            return plan
        }
        var rng = AESRandom(seed: seed)
        var plan = TargetPlan(
            space: space, order: .permutation(try CyclicPermutation(count: space.valueCount, rng: &rng)))
        plan.allowlistedNetworks = builder.allowedEntries
        plan.blocklistedNetworks = builder.blocklistedNetworks
        return plan
    }

    /// Max-len (`-x`, or the `-maxlen` of a `prefix/len-maxlen` target; the full width for `-I`)
    /// and the targets without that suffix.
    func maxLenAndTargets() throws -> (Int, [String]) {
        var maxLen = options.maxLen
        var texts: [String] = []
        for t in options.targets {
            if let slash = t.firstIndex(of: "/"), let dash = t[slash...].firstIndex(of: "-") {
                guard let m = Int(t[t.index(after: dash)...]) else {
                    throw XMapError("invalid max-len in target '\(t)'")
                }
                if let existing = maxLen, existing != m {
                    throw XMapError("target '\(t)' asks for max-len \(m), but max-len is \(existing)")
                }
                maxLen = m
                texts.append(String(t[..<dash]))
            } else {
                texts.append(t)
            }
        }
        // A list file is scanned address by address: max-len is the full width (as XMap).
        let len = options.listOfIPsFile != nil ? family.bits : (maxLen ?? 32)
        guard len >= 1 && len <= family.bits else {
            throw XMapError("argument `scanning max-len' must be between 1 and \(family.bits) (got \(len))")
        }
        return (len, texts)
    }

    /// `-U`, `--iid-args` and `--iid-num`.
    static func addIID(to targets: inout TargetPlan, options: XMapOptions) throws {
        let name = options.iidModule ?? "default"
        guard let module = IIDCatalog.module(named: name) else {
            throw XMapError("specified iid module (\(name)) does not exist")
        }
        targets.iidName = module.name
        targets.iid = try module.generator(args: options.iidArgs, family: targets.family)
        targets.iidNum = options.iidNum ?? 1
        guard targets.iidNum >= 0 else { throw XMapError("`--iid-num=' should > 0") }
        guard targets.iidNum >= 1 else { throw XMapError("--iid-num must be at least 1 (0 would send nothing)") }
    }
}
