import XMapCore
import XMapIO
import XMapModules

/// Every packet I/O backend xmap has. `--backend` names, their checks, the plan's thread caps
/// and the engine specialised for each backend's transmitter and reply source all come from
/// the one list in `visit`, so adding a backend is its file plus one line there.
public enum BackendCatalog {
    /// Shows `visitor` every backend, in listing order: the list of backends.
    static func visit<V: BackendVisitor>(_ visitor: inout V) {
        visitor.visit(PacketSocketBackend.self)
        visitor.visit(AFXDPBackend.self)
        visitor.visit(NetmapBackend.self)
    }

    /// The backends, in listing order (for lookups at plan time).
    static let backends: [any ScanBackend.Type] = {
        var list = Listing()
        visit(&list)
        return list.backends
    }()

    /// The names `--backend` takes, in listing order.
    public static var names: [String] { backends.map { $0.name } }

    static func backend(named name: String) -> (any ScanBackend.Type)? { backends.first { $0.name == name } }

    /// The backend `--backend NAME` asks for, once it is known to suit the scan: `ipLayer` is
    /// `-X`; a dry run (which sends nothing) needs nothing from the host.
    /// - Throws: `XMapError` for an unknown name, `-X` with a backend that sends Ethernet frames,
    ///   or a host that lacks what the backend needs.
    public static func backend(named name: String, ipLayer: Bool, dryRun: Bool) throws -> PacketBackend {
        guard let backend = backend(named: name) else {
            throw XMapError("unknown --backend '\(name)' (expected \(listed(names)))")
        }
        if ipLayer && !backend.sendsBareIP {
            let bare = backends.filter { $0.sendsBareIP }.map { "--backend \($0.name)" }
            throw XMapError("--backend \(name) sends Ethernet frames; -X/--iplayer needs \(listed(bare))")
        }
        if !dryRun { try backend.checkRequirements() }
        return PacketBackend(rawValue: name)
    }

    /// `a`, `a or b`, `a, b or c`.
    static func listed(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items.last!
    }

    /// Fits `sending.senderThreads` to its backend on `host` (nil: the host is not known, so
    /// nothing is capped) and logs each change. ZMap's caps for a backend with TX queues: one
    /// sender per queue and one core kept for the receiver; without `-T`, min(queues, cores − 1);
    /// an explicit `-T` is honoured up to the number of queues. Not for a dry run.
    public static func fitThreads(_ sending: inout SendPlan, host: () -> BackendHost?) {
        guard !sending.dryRun, let backend = backend(named: sending.backend.rawValue),
            case .transmitQueues(let label) = backend.senderThreadLimit, let host = host()
        else { return }
        let name = host.interfaceName, queues = host.transmitQueues, cores = host.cores
        var threads = sending.senderThreads
        if !sending.senderThreadsGiven {
            threads = max(1, min(queues, cores - 1))
            if threads != sending.senderThreads {
                let listed = "\(queues) TX queue\(queues == 1 ? "" : "s")"
                Log.info(
                    "\(label): \(threads) sender threads (\(name) has \(listed), \(cores) cores, one kept for "
                        + "receiving)", module: "send")
            }
        } else if threads > queues {
            Log.warn(
                "\(label): -T \(threads) capped to \(queues), the number of TX queues of \(name) "
                    + "(ethtool -L \(name) tx N rx N adds queues)", module: "send")
            threads = queues
        }
        sending.senderThreads = threads
    }

    /// Runs `plan` on the backend it names, with the engine specialised for the probe module
    /// and for that backend's types.
    /// - Throws: `XMapError` for a backend the catalog does not have, or what the scan throws.
    static func run<P: ProbeModule>(_ probe: P, _ plan: ScanPlan) throws -> ScanSummary {
        var starter = Starter(probe: probe, plan: plan)
        visit(&starter)
        guard let result = starter.result else {
            throw XMapError("unknown --backend '\(plan.sending.backend.rawValue)' (expected \(listed(names)))")
        }
        return try result.get()
    }
}

/// Something shown every backend type by `BackendCatalog.visit`.
protocol BackendVisitor {
    mutating func visit<B: ScanBackend>(_ backend: B.Type)
}

/// Collects the backend types.
private struct Listing: BackendVisitor {
    var backends: [any ScanBackend.Type] = []
    mutating func visit<B: ScanBackend>(_ backend: B.Type) { backends.append(backend) }
}

/// Runs the scan on the backend whose name the plan gives.
private struct Starter<P: ProbeModule>: BackendVisitor {
    let probe: P
    let plan: ScanPlan
    var result: Result<ScanSummary, any Error>?

    mutating func visit<B: ScanBackend>(_ backend: B.Type) {
        guard result == nil, B.name == plan.sending.backend.rawValue else { return }
        let (probe, plan) = (self.probe, self.plan)
        result = Result { try Scanner.run(probe, plan, backend: B.self, clock: SystemClock()) }
    }
}

/// What fitting sender threads to a backend needs to know about the host.
public struct BackendHost: Sendable, Equatable {
    /// The interface the scan sends on.
    public var interfaceName: String
    /// Its transmit queues.
    public var transmitQueues: Int
    /// The CPUs this process may run on.
    public var cores: Int

    /// A host described by hand (tests).
    public init(interfaceName: String, transmitQueues: Int, cores: Int) {
        self.interfaceName = interfaceName
        self.transmitQueues = transmitQueues
        self.cores = cores
    }

    /// This machine, for interface `interfaceName`: its TX queues (`/sys/class/net/NAME/queues`,
    /// 1 when they cannot be read) and the CPUs of this process's affinity mask.
    public static func current(interfaceName: String) -> BackendHost {
        BackendHost(
            interfaceName: interfaceName, transmitQueues: Posix.transmitQueues(interfaceName),
            cores: ((try? Posix.allowedCPUs()) ?? [0]).count)
    }
}
