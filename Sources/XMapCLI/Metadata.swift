import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// The `-m/--metadata-file` JSON document: settings and counters of a finished scan, with
/// XMap's key names where XMap has the same item.
struct Metadata: MetadataDocument {
    let plan: ScanPlan
    let summary: ScanSummary
    let options: XMapOptions
    /// `--user-metadata`, parsed.
    let userMetadata: JSONValue?

    var items: [(String, String)] = []

    init(plan: ScanPlan, summary: ScanSummary, options: XMapOptions, userMetadata: JSONValue?) {
        self.plan = plan
        self.summary = summary
        self.options = options
        self.userMetadata = userMetadata
    }

    /// The document, one line: XMap's keys in XMap's order and JSON types (`addXMapKeys`, as
    /// reference §7.3 lists them), then xmap's own (`addOwnKeys`).
    func json() -> String {
        var m = self
        m.addXMapKeys()
        m.addOwnKeys()
        return m.text
    }

    /// `%.2f` with a decimal unit (`6.56 Kbps`), as XMap formats rates.
    static func bitsPerSecond(_ bps: Double) -> String {
        func twoDecimals(_ v: Double) -> String {
            let hundredths = Int((v * 100).rounded())
            let frac = hundredths % 100
            return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
        }
        for (limit, unit) in [(1e9, "Gbps"), (1e6, "Mbps"), (1e3, "Kbps")] where bps >= limit {
            return twoDecimals(bps / limit) + " " + unit
        }
        return twoDecimals(bps) + " bps"
    }

    func address(_ v: UInt128) -> String { IPAddress(family: plan.family, value: v).description }

    func time(_ seconds: Int) -> String {
        seconds == 0 ? "" : Log.localTime("%Y-%m-%dT%H:%M:%S%z", seconds: seconds)
    }

    private mutating func addXMapKeys() {
        let space = plan.targets.space, s = summary, o = options
        let names = Posix.hostNames()
        str("local_hostname", names.local)
        str("full_hostname", names.full)
        num("ipv46_flag", plan.family.rawValue)
        num("max_probe_len", space.maxLen)
        num("max_probe_port_len", space.maxLen + space.portBits)
        num("max_port_index_len", space.portBits + space.indexBits)
        num("max_probe_port_index_len", space.maxLen + space.portBits + space.indexBits)
        num("target_port_num", space.ports.count)
        num("target_port_bits", space.portBits)
        if !space.ports.isEmpty { items.append(("target_ports", Self.array(space.ports.map { "\($0)" }))) }
        num("target_index_num", space.indexCount)
        num("target_index_bits", space.indexBits)
        num("source_port_first", plan.probe.settings.sourcePorts.first)
        num("source_port_last", plan.probe.settings.sourcePorts.last)
        num("max_targets", plan.limits.maxTargets)
        num("max_packets", plan.limits.maxPackets)
        num("max_runtime", plan.limits.maxRuntime)
        items.append(("max_results", plan.limits.maxResults == 0 ? "-1" : "\(plan.limits.maxResults)"))
        num("est_elements", plan.output.expectedResults)
        num("output_results", s.resultsOutput)
        str("iface", plan.network.interfaceName)
        let rate = plan.sending.rate
        str("rate", "\(rate) pps")
        let frame = (plan.network.ipLayer ? 0 : EthernetHeader.length) + plan.probe.module.packetLength
        str("bandwidth", Self.bitsPerSecond(Double(rate) * Double(frame) * 8))
        num("batch", plan.sending.batchSize)
        num("probes", plan.probe.settings.probes)
        num("retires", plan.sending.retries)  // XMap's spelling; `retries` follows with xmap's keys
        num("iid_num", plan.targets.iidNum)
        num("cooldown_secs", plan.limits.cooldownSeconds)
        num("senders", plan.sending.senderThreads)
        items.append(("pin_cores", Self.array(plan.sending.pinCores.map(String.init))))
        num("seed", plan.identity.seed)
        bool("seed_provided", plan.identity.seedProvided)
        if case .permutation(let p) = plan.targets.order {
            str("generator", "\(p.generator)")
        } else {
            str("generator", "0")
        }
        items.append(
            ("hitrate", s.targetsScanned == 0 ? "0.0" : "\(Double(s.successUnique) * 100 / Double(s.targetsScanned))"))
        num("shard_num", plan.identity.shard)
        num("total_shards", plan.identity.shards)
        items.append(("min_hitrate", "\(plan.monitor.minHitrate)"))
        num("max_sendto_failures", plan.monitor.maxSendtoFailures)
        bool("syslog", !o.disableSyslog)
        // XMap's default mode drops repeats and failures (`success = 1 && repeat = 0`).
        let defaultFilter = o.outputFilter == nil
        bool("filter_duplicates", defaultFilter)
        bool("filter_unsuccessful", defaultFilter)
        num("pcap_recv", s.captureReceived)
        num("pcap_drop", s.captureDropped)
        num("pcap_ifdrop", s.captureInterfaceDropped)
        num("ip_fragments", s.ipFragments)
        // The blocklist counts, as decimal strings: allowed and blocked prefixes at max-len
        // granularity, then times the ports, then times the ports and indexes.
        func times(_ a: UInt192, _ b: Int) -> UInt192 { a.multipliedFullWidth(by: UInt192(UInt64(b))).low }
        let allowed = UInt192(space.prefixCount), blocked = UInt192.power2(space.maxLen) - allowed
        let ports = max(1, space.ports.count), indexes = space.indexCount
        str("blocklist_total_allowed_ip", "\(allowed)")
        str("blocklist_total_not_allowed_ip", "\(blocked)")
        str("blocklist_total_allowed_ip_port_actual", "\(times(allowed, ports))")
        str("blocklist_total_allowed_ip_port", "\(allowed.shiftedLeft(space.portBits))")
        str("blocklist_total_not_allowed_ip_port", "\(times(blocked, ports))")
        str("blocklist_total_allowed_ip_port_index_actual", "\(times(times(allowed, ports), indexes))")
        str("blocklist_total_allowed_ip_port_index", "\(allowed.shiftedLeft(space.portBits + space.indexBits))")
        str("blocklist_total_not_allowed_ip_port_index", "\(times(times(blocked, ports), indexes))")
        num("validation_passed", s.validReplies)
        num("validation_failed", s.invalidReplies)
        num("validation_again", s.followUpsSent)
        let first = s.firstTarget
        str(
            "first_scanned_prefix",
            first.map { "\(address($0 & IPPrefix.mask(length: space.maxLen, bits: plan.family.bits)))/\(space.maxLen)" }
                ?? "")
        str("first_scanned", first.map(address) ?? "")
        num("send_to_failures", s.packetsFailed)
        num("packets_sent", s.packetsSent)
        num("packets_tried", s.packetsSent + s.packetsFailed)
        num("hosts_scanned", s.targetsScanned)
        num("success_total", s.successTotal)
        num("success_unique", s.successUnique)
        if plan.output.schema.appSuccess != nil {
            num("app_success_total", s.appSuccessTotal)
            num("app_success_unique", s.appSuccessUnique)
        }
        num("success_cooldown_total", s.successCooldownTotal)
        num("success_cooldown_unique", s.successCooldownUnique)
        num("failure_total", s.failureTotal)
        str("probe_module", plan.probe.module.name)
        str("output_module", plan.output.moduleName)
        str("iid_module", plan.targets.iidName)
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
        if let a = o.iidArgs { str("iid_args", a) }
        str("gateway_mac", plan.network.gatewayMAC.description)
        str("gateway_ip", address(0))
        str("source_mac", plan.network.sourceMAC.description)
        strings("source_ips", plan.network.sourceAddresses.map(address))
        bool("iplayer", plan.network.ipLayer)
        str("output_filename", plan.output.path ?? "-")
        if let b = o.blacklistFile { str("blocklist_filename", b) }
        if let w = o.whitelistFile { str("allowlist_filename", w) }
        if let l = o.listOfIPsFile { str("list_of_ips_filename", l) }
        let listCount = plan.targets.list.map { UInt64($0.count) } ?? 0
        num("list_of_ip_count", listCount)
        num("list_of_ip_port_count", listCount * UInt64(max(1, space.ports.count)))
        num("list_of_ip_port_count_index", listCount * UInt64(max(1, space.ports.count)) * UInt64(space.indexCount))
        bool("ignore_blacklist_error", o.ignoreBlacklistError)
        bool("ignore_filelist_error", o.ignoreFilelistError)
        if let c = o.config { str("config_filename", c) }
        if let u = plan.monitor.statusUpdatesPath { str("status_updates_file", u) }
        if let m = o.metadataFile { str("metadata_filename", m) }
        bool("dryrun", plan.sending.dryRun)
        bool("quiet", plan.monitor.quiet)
        num("log_level", o.verbosity ?? 3)
        if let u = userMetadata { items.append(("user-metadata", u.text)) }
        if let n = o.notes { str("notes", n) }
        strings("blocklisted_networks", plan.targets.blocklistedNetworks)
        strings("allowlisted_networks", plan.targets.allowlistedNetworks)
    }

    private mutating func addOwnKeys() {
        let space = plan.targets.space, s = summary
        num("retries", plan.sending.retries)
        str("backend", plan.sending.dryRun ? "dryrun" : plan.sending.backend.rawValue)
        strings("output_fields", plan.output.selection.names)
        num("results_written", s.resultsWritten)
        num("results_lost", s.resultsLost)
        if let failure = s.outputFailure { str("output_error", failure) }
        bool("interrupted", s.interrupted)
        num("capture_buffer_bytes", plan.capture.bufferBytes)
        num("repeat_replies", s.repeatReplies)
        num("malformed_replies", s.malformedReplies)
        str("allowed_prefixes", "\(space.prefixCount)")
        str("allowed_targets", "\(space.targetCount)")
        str("duration_secs", "\(s.seconds)")
        // What the scan gave up once set up (see --user, --no-drop-privileges).
        bool("privileges_dropped", plan.privileges.drop)
        if let user = plan.privileges.user { str("run_as_user", user.name) }
    }
}
