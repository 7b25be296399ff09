import XMapCore
import XMapEngine
import XMapModules

/// Results: `-O`, `-f`, `-F`, `-o`, `--no-header-row`, `--dedup-method`, `-E`.
struct OutputPlanBuilder {
    let options: XMapOptions

    func build(entry: ProbeModuleEntry, schema: RecordSchema, ports: Int = 1) throws -> OutputPlan {
        let zmap = options.personality == .zmap
        // ZMap's default mode: no -O, -f or --output-filter means csv, saddr, successes once, no
        // header; any of them means csv, saddr (saddr,sport with several ports), no filter.
        let zmapDefaultMode =
            zmap && options.outputModule == nil && options.outputFields == nil
            && options.outputFilter == nil
        let name = options.outputModule ?? (zmap ? "csv" : "default")
        guard let type = OutputCatalog.module(named: name) else {
            throw XMapError("specified output module (\(name)) does not exist")
        }
        if entry.needsDynamicOutput && !type.supportsDynamicOutput {
            throw XMapError(
                "specified probe module (\(entry.name)) requires dynamic output support, which output module "
                    + "(\(type.name)) does not support. Most likely you want to use JSON output."
            )
        }
        var names = type.defaultFields
        if zmap && !zmapDefaultMode && ports > 1 { names = ["saddr", "sport"] }
        if let f = options.outputFields {
            names = f.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            guard !names.isEmpty else { throw XMapError("no output fields given") }
        }
        if type == RedisPackedOutput.self && names != ["saddr_raw"] {
            throw XMapError(
                "the redis-packed output module writes saddr_raw only (got -f \(names.joined(separator: ",")))")
        }
        let selection = try FieldSelection(names, schema: schema)
        let filter: FilterExpression?
        switch options.outputFilter {
        case nil where zmap && !zmapDefaultMode: filter = nil
        case nil, "default"?: filter = try FilterExpression.parse("success = 1 && repeat = 0", schema: schema)
        case ""?: filter = nil
        case let text?: filter = try FilterExpression.parse(text, schema: schema)
        }
        var plan = OutputPlan(
            moduleName: type.name, module: type.init(selection: selection), schema: schema,
            selection: selection, filter: filter, path: options.outputFile,
            headerRow: !options.noHeaderRow && !options.fastDryrun && !zmapDefaultMode)
        if let batch = type.redisBatch {
            plan.redis = (try RedisEndpoint(arguments: options.outputArgs ?? type.defaultRedisArguments), batch)
            plan.headerRow = false
        }
        plan.dedup = try dedup(ports: ports)
        if let limit = options.dedupLimit {
            guard limit >= 2 && limit <= 1 << 34 else {
                throw XMapError("--dedup-limit must be between 2 and 2^34 (got \(limit))")
            }
            plan.dedupLimit = limit
        }
        if let e = options.estElements {
            guard e >= 0 else { throw XMapError("invalid est element number: `-E|--est-elements='") }
            guard e <= 1 << 36 else { throw XMapError("--est-elements must be at most 2^36 (got \(e))") }
            plan.expectedResults = max(1, Int(e))
        }
        return plan
    }

    /// ZMap's `--dedup-method` and `--dedup-window-size`.
    /// ZMap's default: full with one port, a window with several (XMap: always full).
    func dedup(ports: Int = 1) throws -> DedupMethod {
        let window = options.dedupWindowSize ?? 1_000_000
        guard window >= 1 else { throw XMapError("--dedup-window-size must be at least 1 (got \(window))") }
        switch options.dedupMethod {
        case nil, "default"?:
            return options.personality == .zmap && ports > 1 ? .window(window) : .full
        case "full"?:
            if options.personality == .zmap && ports > 1 {
                throw XMapError("--dedup-method full is for one port; with several, use window")
            }
            return .full
        case "window"?: return .window(window)
        case "none"?: return .none
        case let other?: throw XMapError("invalid --dedup-method '\(other)' (expected default, full, window or none)")
        }
    }
}
