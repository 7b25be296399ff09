import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// The probe part of the plan: which module (`-M`), the settings it is built from (`--probe-ttl`,
/// `-s`, `--probes`, `--probe-args`, ports, `-P`), and the module itself, built once.
struct ProbePlanBuilder {
    let options: XMapOptions
    let family: IPFamily

    /// The module `-M` names (`default` is `icmp_echo`).
    func entry() throws -> ProbeModuleEntry {
        let name = options.probeModule ?? (options.personality == .xmap ? "default" : "tcp_synscan")
        guard let entry = ProbeCatalog.entry(named: name, family: family) else {
            if options.personality == .zmap { throw XMapError("specified probe module (\(name)) does not exist") }
            throw XMapError("specified \(family) probe module (\(name)) does not exist")
        }
        return entry
    }

    /// The settings for `entry`, checked.
    func settings(for entry: ProbeModuleEntry, ports: [UInt16]) throws -> ProbeSettings {
        guard (options.targetIndex ?? 0) >= 0 else {
            throw XMapError("invalid target index \(options.targetIndex ?? 0)")
        }
        let probes = options.probes ?? 1
        guard probes >= 0 else { throw XMapError("invalid probe times: `--probes='") }
        guard probes >= 1 else {
            if options.personality == .zmap {
                throw XMapError("number of probes per target must be at least 1, else there's nothing to do")
            }
            throw XMapError("--probes must be at least 1 (0 would send nothing)")
        }
        var ttl = UInt8(options.personality.defaultTTL)
        if let t = options.probeTTL {
            guard t >= 0 && t <= 255 else { throw XMapError("--probe-ttl must be between 0 and 255 (got \(t))") }
            ttl = UInt8(t)
        }
        var sourcePorts = SourcePortRange(first: 32768, last: 61000)
        if let s = options.sourcePort { sourcePorts = try SourcePortRange.parse(s) }
        if probes > Int(sourcePorts.count) && entry.usesPorts {
            throw XMapError("--probes (\(probes)) must not exceed the number of source ports (\(sourcePorts.count))")
        }
        // A module's own options are checked whichever module runs (a bad value is an error).
        for option in ProbeCatalog.options {
            if let text = options.probeModuleOptions[option.name] { try option.check(text, family: family) }
        }
        var settings = ProbeSettings(
            family: family, ttl: ttl, sourcePorts: sourcePorts, probes: probes,
            probeArgs: options.probeArgs, targetPorts: ports, targetIndexes: options.targetIndex ?? 1,
            targetIndexesGiven: options.targetIndex != nil, files: LocalFiles(),
            clock: {
                let (s, us) = Posix.wallClock(); return (UInt64(s), UInt32(us))
            })
        settings.moduleOptions = options.probeModuleOptions
        // ZMap's defaults where a module's differ from XMap's (the modules apply them).
        settings.zmapConventions = options.personality == .zmap
        let requested = RequestedFields(options: options)
        settings.measuresRoundTrip = requested.contains("rtt_us")
        settings.describesFingerprint = requested.contains("fingerprint")
        return settings
    }

    /// The module built from `settings` (it checks its `--probe-args` and reads the files they
    /// name).
    func build(entry: ProbeModuleEntry, settings: ProbeSettings) throws -> ProbePlan {
        let validate: Bool
        switch options.validateSourcePort {
        case nil, "enable"?: validate = true
        case "disable"?: validate = false
        case let other?: throw XMapError("invalid --validate-source-port '\(other)' (expected enable or disable)")
        }
        return ProbePlan(module: try entry.configure(settings), settings: settings, validateSourcePort: validate)
    }
}
