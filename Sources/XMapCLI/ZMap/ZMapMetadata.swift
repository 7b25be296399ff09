import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// `zmap -m`: ZMap 4.3's metadata document (its keys, in its order and JSON types, json-c's
/// spaced one-line style), then a few of xmap's own keys.
struct ZMapMetadata: MetadataDocument {
    let plan: ScanPlan
    let summary: ScanSummary
    let options: XMapOptions
    let userMetadata: JSONValue?

    var items: [(String, String)] = []

    init(plan: ScanPlan, summary: ScanSummary, options: XMapOptions, userMetadata: JSONValue?) {
        self.plan = plan
        self.summary = summary
        self.options = options
        self.userMetadata = userMetadata
    }

    func json() -> String {
        var m = self
        m.addZMapKeys()
        m.addOwnKeys()
        return m.text
    }

    private func time(_ seconds: Int) -> String {
        seconds == 0 ? "" : Log.localTime("%Y-%m-%dT%H:%M:%S%z", seconds: seconds)
    }

    private func address(_ v: UInt128) -> String { IPAddress(family: .v4, value: v).description }

    /// Whether the output is ZMap's "default mode" (no -O, -f or --output-filter).
    var defaultMode: Bool { options.outputModule == nil && options.outputFields == nil && options.outputFilter == nil }

    private mutating func addZMapKeys() {
        let s = summary, o = options, space = plan.targets.space
        let names = Posix.hostNames()
        str("local_hostname", names.local)
        str("full_hostname", names.full)
        num("source_port_first", plan.probe.settings.sourcePorts.first)
        num("source_port_last", plan.probe.settings.sourcePorts.last)
        items.append(
            (
                "target_ports",
                space.ports.isEmpty
                    ? "[ ]"
                    : "[ "
                        + space.ports.map { "\($0)" }
                        .joined(separator: ", ") + " ]"
            ))
        items.append(("max_targets", plan.limits.maxTargets == 0 ? "-1" : "\(plan.limits.maxTargets)"))
        num("max_runtime", plan.limits.maxRuntime)
        num("max_results", plan.limits.maxResults)
        num("output_results", s.resultsOutput)
        str("iface", plan.network.interfaceName)
        num("rate", plan.sending.rate)
        num("bandwidth", 0)
        num("cooldown_secs", plan.limits.cooldownSeconds)
        num("senders", plan.sending.senderThreads)
        num("seed", plan.identity.seed)
        bool("seed_provided", plan.identity.seedProvided)
        num("generator", plan.targets.generator)
        items.append(
            (
                "hitrate",
                s.targetsScanned == 0
                    ? "0.0"
                    : "\(Double(s.successUnique) * 100 / Double(s.targetsScanned))"
            ))
        num("shard_num", plan.identity.shard)
        num("total_shards", plan.identity.shards)
        items.append(("min_hitrate", "\(plan.monitor.minHitrate)"))
        num("max_sendto_failures", plan.monitor.maxSendtoFailures)
        bool("syslog", !o.disableSyslog)
        bool("default_mode", defaultMode)
        num("pcap_recv", s.captureReceived)
        num("pcap_drop", s.captureDropped)
        num("pcap_ifdrop", s.captureInterfaceDropped)
        num("ip_fragments", s.ipFragments)
        let allowed = UInt64(truncatingIfNeeded: space.prefixCount)
        num("blocklist_total_allowed", allowed)
        num("blocklist_total_not_allowed", (UInt64(1) << 32) - allowed)
        num("validation_passed", s.validReplies)
        num("validation_failed", s.invalidReplies)
        str("first_scanned", s.firstTarget.map(address) ?? "")
        num("send_to_failures", s.packetsFailed)
        num("packets_sent", s.packetsSent)
        num("targets_scanned", s.targetsScanned)
        num("success_total", s.successTotal)
        num("success_unique", s.successUnique)
        if plan.output.schema.appSuccess != nil {
            num("app_success_total", s.appSuccessTotal)
            num("app_success_unique", s.appSuccessUnique)
        }
        num("success_cooldown_total", s.successCooldownTotal)
        num("success_cooldown_unique", s.successCooldownUnique)
        num("failure_total", s.failureTotal)
        num("packet_streams", plan.probe.settings.probes)
        str("probe_module", o.probeModule ?? Personality.zmap.defaultProbeModule)
        str("output_module", o.outputModule ?? "csv")
        str("send_start_time", time(s.sendStart))
        str("send_end_time", time(s.sendEnd))
        str("recv_start_time", time(s.receiveStart))
        str("recv_end_time", time(s.receiveEnd))
        if let f = o.outputFilter { str("output_filter", f) }
        if let l = o.logFile { str("log_file", l) }
        if let d = o.logDirectory { str("log_directory", d) }
        if !o.targets.isEmpty { strings("cli_cidr_destinations", o.targets) }
        if let a = o.probeArgs { str("probe_args", a) }
        num("probe_ttl", plan.probe.settings.ttl)
        if let a = o.outputArgs { str("output_args", a) }
        str("gateway_mac", plan.network.gatewayMAC.description)
        str("source_mac", plan.network.sourceMAC.description)
        strings("source_ips", plan.network.sourceAddresses.map(address))
        if let p = plan.output.path { str("output_filename", p) }
        if let b = o.blacklistFile { str("blocklist_filename", b) }
        if let w = o.whitelistFile { str("allowlist_filename", w) }
        if let l = o.listOfIPsFile {
            str("list_of_ips_filename", l)
            num("list_of_ips_count", plan.targets.list?.count ?? 0)
        }
        bool("dryrun", plan.sending.dryRun)
        bool("quiet", plan.monitor.quiet)
        num("log_level", o.verbosity ?? 3)
        switch plan.output.dedup {
        case .full: str("deduplication_method", "full")
        case .none: str("deduplication_method", "none")
        case .window(let n):
            str("deduplication_method", "window")
            num("deduplication_window_size", n)
        }
        if let u = userMetadata { items.append(("user-metadata", u.text)) }
        if let n = o.notes { str("notes", n) }
        if !plan.targets.blocklistedNetworks.isEmpty {
            strings("blocklisted_networks", plan.targets.blocklistedNetworks)
        }
        if !plan.targets.allowlistedNetworks.isEmpty {
            strings("allowlisted_networks", plan.targets.allowlistedNetworks)
        }
    }

    private mutating func addOwnKeys() {
        str("scanner", XMapMain.version)
        str("backend", plan.sending.dryRun ? "dryrun" : plan.sending.backend.rawValue)
        num("results_written", summary.resultsWritten)
        num("results_lost", summary.resultsLost)
        if let failure = summary.outputFailure { str("output_error", failure) }
        bool("interrupted", summary.interrupted)
        bool("privileges_dropped", plan.privileges.drop)
    }
}
