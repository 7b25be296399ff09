import XMapCore
import XMapEngine
import XMapIO
import XMapModules

/// Turns parsed options into a checked `ScanPlan`, with XMap's defaults and errors. Each part of
/// the plan has its own small builder; this runs them in order, each getting what the earlier
/// ones decided.
struct ScanPlanner {
    let options: XMapOptions

    /// `-4` or `-6` (the default; `-6` wins when both are given, as in XMap).
    var family: IPFamily { options.ipv4 && !options.ipv6 ? .v4 : .v6 }

    /// The probe module `-M` names, for the family of the scan.
    func probeEntry() throws -> ProbeModuleEntry {
        try ProbePlanBuilder(options: options, family: family).entry()
    }

    /// Builds the plan, all but its network details (see `network()`).
    func plan() throws -> ScanPlan {
        let family = self.family
        let entry = try probeEntry()
        let targetBuilder = TargetPlanBuilder(options: options, family: family)
        let ports = try targetBuilder.ports(for: entry)
        let checkpoints = CheckpointBuilder(options: options)
        let resumed = try checkpoints.load()
        let identity = try IdentityBuilder(options: options).build(resuming: resumed)
        var limits = try LimitsBuilder(options: options).build()
        var sending = try SendPlanBuilder(options: options).build()
        if let a = sending.waitPing, a.family != family {
            throw XMapError("--netmap-wait-ping: \(a) is an \(a.family) address, but this is an \(family) scan")
        }
        let monitor = try MonitorPlanBuilder(options: options).build()
        let probeBuilder = ProbePlanBuilder(options: options, family: family)
        let settings = try probeBuilder.settings(for: entry, ports: ports)
        // The module is built before the target space: DNS modules decide the number of indexes.
        let probe = try probeBuilder.build(entry: entry, settings: settings)
        var targets = try targetBuilder.build(
            ports: ports, seed: identity.seed, indexes: probe.module.instance.targetIndexCount)
        limits.maxTargets = try LimitsBuilder.maxTargets(
            options.maxTargets, maxLen: targets.space.maxLen,
            ports: max(1, ports.count))
        if options.personality == .zmap && !sending.senderThreadsGiven {
            sending.senderThreads = SendPlanBuilder.zmapDefaultThreads(targets: targets)
        }
        // The backend's cap comes first, so everything after it (the checks below, the order,
        // the checkpoint, the metadata) sees the threads the scan will run.
        BackendCatalog.fitThreads(&sending) {
            NetworkPlanBuilder(options: options).interfaceName(family: family).map(BackendHost.current)
        }
        let zmap = options.personality == .zmap
        let droppedThreads = try SendPlanBuilder.fitThreads(
            &sending, identity: identity, limits: limits,
            targets: targets, quiet: zmap)
        sending.rate = try SendPlanBuilder.rate(
            options: options,
            frameLength: EthernetHeader.length + probe.module.packetLength)
        if options.personality == .zmap {
            SendPlanBuilder.zmapSlowRate(&sending)
            // ZMap's own order (not with -I, which keeps the list's order: see docs/zmap-users.md).
            if targets.list == nil {
                targets.order = .zmap(
                    try ZMapScanOrder(
                        allowed: targets.space.allowed, ports: targets.space.ports,
                        seed: identity.seed, shards: identity.shards,
                        shard: identity.shard, threads: sending.senderThreads))
            }
        }
        try TargetPlanBuilder.addIID(to: &targets, options: options)
        var output = try OutputPlanBuilder(options: options).build(
            entry: entry, schema: probe.module.schema,
            ports: max(1, ports.count))
        if options.estElements == nil {
            // The repeat filter starts no larger than the scan (it grows when replies outnumber it).
            var scanned = min(targets.expectedTargets, Double(1 << 20))
            if limits.maxTargets > 0 { scanned = min(scanned, Double(limits.maxTargets)) }
            output.expectedResults = min(output.expectedResults, max(1, Int(scanned)))
        }
        var plan = ScanPlan(
            targets: targets, probe: probe, output: output, sending: sending, limits: limits,
            network: NetworkPlan(), identity: identity, monitor: monitor)
        plan.checkpoint = try checkpoints.build(plan: plan, resuming: resumed)
        plan.capture = try CapturePlanBuilder(options: options).build(
            rate: sending.rate, snaplen: probe.module.instance.snaplen)
        plan.privileges = try Self.privileges(options)
        plan.startLines =
            zmap
            ? Self.zmapStartLines(options, plan, droppedThreads: droppedThreads)
            : Self.xmapStartLines(plan)
        Self.logPlanDetails(plan)
        return plan
    }

    /// XMap's start-up lines: the family, the modules, and the csv module's note about stdout.
    static func xmapStartLines(_ plan: ScanPlan) -> [StartLine] {
        var lines = [
            StartLine("xmap", "probe network: ipv\(plan.family.rawValue)"),
            StartLine("xmap", "probe module: \(plan.probe.module.name)"),
            StartLine("xmap", "output module: \(plan.output.moduleName)"),
            StartLine("xmap", "iid module: \(plan.targets.iidName)")
        ]
        if plan.output.moduleName == "csv" && (plan.output.path ?? "-") == "-" {
            lines.append(StartLine("csv", "no output file selected, will use stdout"))
        }
        return lines
    }

    /// What `-v 4` shows of the plan: the seed, the threads, the rate, the sources and the limits.
    static func logPlanDetails(_ plan: ScanPlan) {
        guard Log.isEnabled(.debug) else { return }
        let identity = plan.identity
        Log.debug(
            "seed \(identity.seed) (\(identity.seedProvided ? "given" : "drawn")), shard \(identity.shard) "
                + "of \(identity.shards)")
        let targets = plan.targets.expectedTargets
        let count = targets < 1e18 ? "\(UInt64(targets))" : "\(targets)"
        Log.debug("\(count) targets of \(plan.targets.space.ports.count) port(s)", module: "send")
        Log.debug(
            "will use \(plan.sending.senderThreads) sender thread(s), batch \(plan.sending.batchSize)",
            module: "send")
        Log.debug(plan.sending.rate == 0 ? "rate unlimited" : "rate set to \(plan.sending.rate) pkt/s", module: "send")
        let limits = plan.limits
        Log.debug(
            "limits: max targets \(limits.maxTargets), max packets \(limits.maxPackets), max results "
                + "\(limits.maxResults), max runtime \(limits.maxRuntime) s, cooldown \(limits.cooldownSeconds) s",
            module: "send")
    }

    /// ZMap's start-up lines, in ZMap's order and words: the default output mode's notice, the
    /// deduplication method, the notice for an output module without a filter, and the sender
    /// thread warnings.
    static func zmapStartLines(_ options: XMapOptions, _ plan: ScanPlan, droppedThreads: Bool) -> [StartLine] {
        var lines: [StartLine] = []
        let defaultMode = options.outputModule == nil && options.outputFields == nil && options.outputFilter == nil
        if defaultMode {
            lines.append(
                StartLine(
                    "zmap",
                    "By default, ZMap will output the unique IP addresses of hosts that "
                        + "respond successfully (e.g., SYN-ACK packet). This is equivalent to running ZMap with the "
                        + "following flags: --output-module=csv --output-fields=saddr --output-filter='success=1 && "
                        + "repeat=0' --no-header-row. If you want all responses, explicitly set an output module or "
                        + "set "
                        + "--output-filter=\"\"."))
        }
        switch plan.output.dedup {
        case .full: lines.append(StartLine("dedup", "Response deduplication method is full"))
        case .window(let n): lines.append(StartLine("dedup", "Response deduplication method is window with size \(n)"))
        case .none: lines.append(StartLine("dedup", "Response deduplication method is none"))
        }
        if !defaultMode && options.outputFilter == nil {
            lines.append(
                StartLine(
                    "filter",
                    "No output filter provided. ZMap will output all results, including "
                        + "duplicate and non-successful responses (e.g., RST and ICMP packets). If you want a filter "
                        + "similar to ZMap's default behavior, you can set an output filter similar to the following: "
                        + "--output-filter=\"success=1 && repeat=0\"."))
        }
        if let list = plan.targets.list, list.count > 0, UInt64(UInt32.max) / UInt64(list.count) > 100_000 {
            lines.append(
                StartLine(
                    warning: true, "zmap",
                    "list of IPs is small compared to address space. "
                        + "Performance will suffer, consider using an allowlist instead"))
        }
        if droppedThreads {
            lines.append(
                StartLine(warning: true, "zmap", "too few targets relative to senders, dropping to one sender"))
        }
        let cores = ((try? Posix.allowedCPUs()) ?? [0]).count
        if plan.sending.senderThreads > max(1, cores - 1) {
            lines.append(
                StartLine(
                    warning: true, "zmap",
                    "ZMap has been configured to use a larger number of "
                        + "sending threads (\(plan.sending.senderThreads)) than the number of dedicated cores "
                        + "(\(cores)) "
                        + "that can be assigned to sending packets. We advise using a sending thread per CPU core "
                        + "while "
                        + "reserving one core for packet receiving and monitoring. Using a large number of sender "
                        + "threads "
                        + "will likely decrease performance, not increase it."))
        }
        return lines
    }

    /// `--user` and `--no-drop-privileges`: whom the scan becomes once set up.
    static func privileges(_ options: XMapOptions) throws -> PrivilegePlan {
        let name = options.user ?? "nobody"
        if options.noDropPrivileges || name == "root" { return PrivilegePlan(drop: false) }
        guard Privileges.isRoot else {
            if options.user != nil { Log.warn("--user \(name): xmap is not running as root, so it keeps its own user") }
            return PrivilegePlan(drop: true, user: nil)
        }
        return PrivilegePlan(drop: true, user: try Privileges.user(named: name))
    }

    /// The network details: interface, MACs and source addresses, from the options or else
    /// from the kernel, and the targets on the interface's own link.
    func network(for plan: ScanPlan) throws -> NetworkPlan {
        try OnLinkPlanBuilder(options: options).network(for: plan)
    }
}
