import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// The `-m/--metadata-file` JSON document: settings and counters of a finished scan, with
/// XMap's key names where XMap has the same item.
struct Metadata {
    let plan: ScanPlan
    let summary: ScanSummary
    let options: XMapOptions
    /// `--user-metadata`, parsed.
    let userMetadata: JSONValue?

    private var items: [(String, String)] = []

    init(plan: ScanPlan, summary: ScanSummary, options: XMapOptions, userMetadata: JSONValue?) {
        self.plan = plan
        self.summary = summary
        self.options = options
        self.userMetadata = userMetadata
    }

    private mutating func str(_ k: String, _ v: String) { items.append((k, JSONText.quoted(v))) }
    private mutating func num(_ k: String, _ v: some BinaryInteger) { items.append((k, "\(v)")) }
    private mutating func bool(_ k: String, _ v: Bool) { items.append((k, v ? "true" : "false")) }
    private mutating func strings(_ k: String, _ v: [String]) { items.append((k, Self.array(v.map(JSONText.quoted)))) }
    private static func array(_ parts: [String]) -> String { parts.isEmpty ? "[ ]" : "[ " + parts.joined(separator: ", ") + " ]" }

    /// The document, one line.
    func json() -> String {
        var m = self
        m.addScanSettings()
        m.addCounters()
        m.addModulesAndFiles()
        return "{ " + m.items.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + " }\n"
    }

    private mutating func addScanSettings() {
        let space = plan.targets.space, s = summary
        num("ipv46_flag", plan.family.rawValue)
        num("max_probe_len", space.maxLen)
        num("target_port_num", space.ports.count)
        num("target_port_bits", space.portBits)
        if !space.ports.isEmpty { items.append(("target_ports", Self.array(space.ports.map { "\($0)" }))) }
        num("target_index_num", space.indexCount)
        num("source_port_first", plan.probe.settings.sourcePorts.first)
        num("source_port_last", plan.probe.settings.sourcePorts.last)
        num("max_targets", plan.limits.maxTargets)
        num("max_packets", plan.limits.maxPackets)
        num("max_runtime", plan.limits.maxRuntime)
        items.append(("max_results", plan.limits.maxResults == 0 ? "-1" : "\(plan.limits.maxResults)"))
        num("output_results", s.resultsOutput)
        num("results_written", s.resultsWritten)
        num("results_lost", s.resultsLost)
        str("iface", plan.network.interfaceName)
        str("rate", plan.sending.rate == 0 ? "unlimited" : "\(plan.sending.rate) pps")
        num("batch", plan.sending.batchSize)
        num("capture_buffer_bytes", plan.capture.bufferBytes)
        num("probes", plan.probe.settings.probes)
        num("retries", plan.sending.retries)
        num("iid_num", plan.targets.iidNum)
        num("cooldown_secs", plan.limits.cooldownSeconds)
        num("est_elements", plan.output.expectedResults)
        num("senders", plan.sending.senderThreads)
        items.append(("pin_cores", Self.array(plan.sending.pinCores.map(String.init))))
        num("seed", Int64(bitPattern: plan.identity.seed))
        bool("seed_provided", plan.identity.seedProvided)
        num("shard_num", plan.identity.shard)
        num("total_shards", plan.identity.shards)
        items.append(("min_hitrate", "\(plan.monitor.minHitrate)"))
        num("max_sendto_failures", plan.monitor.maxSendtoFailures)
        str("allowed_prefixes", "\(space.prefixCount)")
        str("allowed_targets", "\(space.targetCount)")
    }

    private mutating func addCounters() {
        let s = summary
        num("pcap_recv", s.captureReceived)
        num("pcap_drop", s.captureDropped)
        num("pcap_ifdrop", s.captureInterfaceDropped)
        num("validation_passed", s.validReplies)
        num("validation_failed", s.invalidReplies)
        num("repeat_replies", s.repeatReplies)
        num("malformed_replies", s.malformedReplies)
        num("validation_again", s.followUpsSent)
        num("packets_sent", s.packetsSent)
        num("send_to_failures", s.packetsFailed)
        num("hosts_scanned", s.targetsScanned)
        num("success_total", s.successTotal)
        num("success_unique", s.successUnique)
        if plan.output.schema.appSuccess != nil {
            num("app_success_total", s.appSuccessTotal)
            num("app_success_unique", s.appSuccessUnique)
        }
        items.append(("hitrate", s.targetsScanned == 0 ? "0.0" : "\(Double(s.successUnique) * 100 / Double(s.targetsScanned))"))
        str("duration_secs", "\(s.seconds)")
    }

    private mutating func addModulesAndFiles() {
        let o = options
        str("probe_module", plan.probe.module.name)
        str("output_module", plan.output.moduleName)
        str("iid_module", plan.targets.iidName)
        strings("output_fields", plan.output.selection.names)
        if let f = o.outputFilter { str("output_filter", f) }
        if let a = o.probeArgs { str("probe_args", a) }
        num("probe_ttl", plan.probe.settings.ttl)
        strings("cli_cidr_destinations", o.targets)
        str("gateway_mac", plan.network.gatewayMAC.description)
        str("source_mac", plan.network.sourceMAC.description)
        strings("source_ips", plan.network.sourceAddresses.map { IPAddress(family: plan.family, value: $0).description })
        str("output_filename", plan.output.path ?? "-")
        if let b = o.blacklistFile { str("blocklist_filename", b) }
        if let w = o.whitelistFile { str("allowlist_filename", w) }
        if let u = plan.monitor.statusUpdatesPath { str("status_updates_file", u) }
        if let l = o.logFile { str("log_file", l) }
        if let d = o.logDirectory { str("log_directory", d) }
        bool("iplayer", plan.network.ipLayer)
        bool("interrupted", summary.interrupted)
        if let failure = summary.outputFailure { str("output_error", failure) }
        bool("dryrun", plan.sending.dryRun)
        bool("quiet", plan.monitor.quiet)
        if let u = userMetadata { items.append(("user-metadata", u.text)) }
        if let n = o.notes { str("notes", n) }
    }
}
