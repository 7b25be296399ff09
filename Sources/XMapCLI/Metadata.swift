import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// The `-m/--metadata-file` JSON document: settings and counters of a finished scan, with
/// XMap's key names where XMap has the same item.
enum Metadata {
    static func json(config c: ScanConfiguration, summary s: ScanSummary, options o: XMapOptions) -> String {
        var items: [(String, String)] = []
        func str(_ k: String, _ v: String) {
            var b: [UInt8] = []
            JSONOutput.appendString(v, to: &b)
            items.append((k, String(decoding: b, as: UTF8.self)))
        }
        func num(_ k: String, _ v: some BinaryInteger) { items.append((k, "\(v)")) }
        func bool(_ k: String, _ v: Bool) { items.append((k, v ? "true" : "false")) }
        func strings(_ k: String, _ v: [String]) {
            var parts: [String] = []
            for x in v {
                var b: [UInt8] = []
                JSONOutput.appendString(x, to: &b)
                parts.append(String(decoding: b, as: UTF8.self))
            }
            items.append((k, parts.isEmpty ? "[ ]" : "[ " + parts.joined(separator: ", ") + " ]"))
        }
        num("ipv46_flag", c.family.rawValue)
        num("max_probe_len", c.space.maxLen)
        num("target_port_num", c.space.ports.count)
        num("target_port_bits", c.space.portBits)
        if !c.space.ports.isEmpty { items.append(("target_ports", "[ " + c.space.ports.map { "\($0)" }.joined(separator: ", ") + " ]")) }
        num("target_index_num", c.space.indexCount)
        num("source_port_first", c.sourcePorts.first)
        num("source_port_last", c.sourcePorts.last)
        num("max_targets", c.maxTargets)
        num("max_packets", c.maxPackets)
        num("max_runtime", c.maxRuntime)
        items.append(("max_results", c.maxResults == 0 ? "-1" : "\(c.maxResults)"))
        num("output_results", s.resultsOutput)
        str("iface", c.interfaceName)
        str("rate", c.rate == 0 ? "unlimited" : "\(c.rate) pps")
        num("batch", c.batchSize)
        num("probes", c.probes)
        num("retries", c.retries)
        num("iid_num", c.iidNum)
        num("cooldown_secs", c.cooldownSeconds)
        num("est_elements", c.expectedResults)
        num("senders", c.senderThreads)
        items.append(("pin_cores", c.pinCores.isEmpty ? "[ ]" : "[ " + c.pinCores.map(String.init).joined(separator: ", ") + " ]"))
        num("seed", Int64(bitPattern: c.seed))
        bool("seed_provided", c.seedProvided)
        num("shard_num", c.shard)
        num("total_shards", c.shards)
        items.append(("min_hitrate", "\(c.minHitrate)"))
        num("max_sendto_failures", c.maxSendtoFailures)
        str("allowed_prefixes", "\(c.space.prefixCount)")
        str("allowed_targets", "\(c.space.targetCount)")
        num("validation_passed", s.validReplies)
        num("validation_failed", s.invalidReplies)
        num("packets_sent", s.packetsSent)
        num("send_to_failures", s.packetsFailed)
        num("hosts_scanned", s.targetsScanned)
        num("success_unique", s.successUnique)
        items.append(("hitrate", s.targetsScanned == 0 ? "0.0" : "\(Double(s.successUnique) * 100 / Double(s.targetsScanned))"))
        str("duration_secs", "\(s.seconds)")
        str("probe_module", c.probeModule)
        str("output_module", c.outputModule)
        strings("output_fields", c.outputFields)
        if let f = o.outputFilter { str("output_filter", f) }
        if let a = c.probeArgs { str("probe_args", a) }
        num("probe_ttl", c.ttl)
        strings("cli_cidr_destinations", o.targets)
        str("gateway_mac", c.gatewayMAC.description)
        str("source_mac", c.sourceMAC.description)
        strings("source_ips", c.sourceAddresses.map { IPAddress(family: c.family, value: $0).description })
        str("output_filename", c.outputPath ?? "-")
        if let b = o.blacklistFile { str("blocklist_filename", b) }
        if let w = o.whitelistFile { str("allowlist_filename", w) }
        if let u = c.statusUpdatesPath { str("status_updates_file", u) }
        if let l = o.logFile { str("log_file", l) }
        if let d = o.logDirectory { str("log_directory", d) }
        bool("iplayer", c.ipLayer)
        bool("interrupted", s.interrupted)
        bool("dryrun", c.dryRun)
        bool("quiet", c.quiet)
        if let n = o.notes { str("notes", n) }
        return "{ " + items.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + " }\n"
    }
}
