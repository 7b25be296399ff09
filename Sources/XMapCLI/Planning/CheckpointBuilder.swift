import XMapCore
import XMapEngine
import XMapIO

/// `--checkpoint FILE` and `--resume FILE`: reads the checkpoint to resume (before the seed is
/// chosen, since a resumed scan keeps its seed and key), and checks that the command line
/// describes the same scan.
struct CheckpointBuilder {
    let options: XMapOptions

    /// The checkpoint `--resume` names, if any.
    func load() throws -> Checkpoint? {
        guard let path = options.resume else { return nil }
        let bytes: [UInt8]
        do { bytes = try SlotFile.read(path) } catch let e as XMapError {
            throw XMapError("cannot resume: \(e.message)")
        }
        return try Checkpoint(json: String(decoding: bytes, as: UTF8.self), path: path)
    }

    /// The plan part, after checking a resumed checkpoint against this command line.
    func build(plan: ScanPlan, resuming checkpoint: Checkpoint?) throws -> CheckpointPlan? {
        guard options.checkpoint != nil || checkpoint != nil else { return nil }
        let parameters = Self.parameters(options: options, plan: plan)
        if let checkpoint {
            let differences = checkpoint.differences(from: parameters)
            guard differences.isEmpty else {
                throw XMapError(
                    "cannot resume \(options.resume ?? ""): the scan parameters differ from the checkpoint's: "
                        + differences.joined(separator: ", "))
            }
            guard checkpoint.threads.count == plan.sending.senderThreads else {
                throw XMapError(
                    "cannot resume \(options.resume ?? ""): the checkpoint has \(checkpoint.threads.count) sender "
                        + "threads, the scan \(plan.sending.senderThreads)"
                )
            }
            if checkpoint.isComplete {
                Log.warn("the checkpoint's scan is complete: nothing is left to send", module: "checkpoint")
            }
        }
        return CheckpointPlan(path: options.checkpoint ?? options.resume, parameters: parameters, resume: checkpoint)
    }

    /// What identifies the scan: everything that decides which packets go to which target in
    /// which order. Rate, output and logging may change between runs.
    static func parameters(options o: XMapOptions, plan: ScanPlan) -> [String: String] {
        let t = plan.targets, p = plan.probe.settings
        return [
            "family": "\(plan.family.rawValue)", "max_len": "\(t.space.maxLen)",
            "targets": o.targets.joined(separator: " "),
            "allowlist": o.whitelistFile ?? "", "blocklist": o.blacklistFile ?? "",
            "list_of_ips": o.listOfIPsFile ?? "",
            "ports": t.space.ports.map(String.init).joined(separator: ","), "target_index": "\(t.space.indexCount)",
            "probe_module": plan.probe.module.name, "probe_args": o.probeArgs ?? "", "probes": "\(p.probes)",
            "probe_ttl": "\(p.ttl)", "source_ports": "\(p.sourcePorts.first)-\(p.sourcePorts.last)",
            "source_ips": o.sourceIP ?? "", "iid_module": t.iidName, "iid_args": o.iidArgs ?? "",
            "iid_num": "\(t.iidNum)",
            "seed": "\(plan.identity.seed)", "shards": "\(plan.identity.shards)", "shard": "\(plan.identity.shard)",
            "sender_threads": "\(plan.sending.senderThreads)", "max_targets": "\(plan.limits.maxTargets)",
            "max_packets": "\(plan.limits.maxPackets)"
        ]
    }
}
