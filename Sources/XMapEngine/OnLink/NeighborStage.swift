import Synchronization
import XMapCore
import XMapIO
import XMapModules

/// The first stage of a scan with on-link targets (`OnLinkPlan`): before any probe, every
/// on-link target gets an ARP request (IPv4) or a neighbour solicitation (IPv6), built by the
/// `arp` or `nd` module and sent at the scan's rate from a packet socket on the scan interface,
/// while a receive thread collects the answers into the plan's `NeighborTable`. Targets that
/// did not answer the first round are asked once more. Then the table is marked resolved: the
/// senders send each on-link probe to its target's MAC, and none to a target that did not
/// answer. Nothing runs in a dry run.
enum NeighborStage {
    /// How long each round waits for answers after its last request.
    static let roundWaits: [UInt64] = [500_000_000, 1_000_000_000]

    /// Shared between the stage and its receive thread.
    final class Progress: Sendable {
        let stop = Atomic<Bool>(false)
        let answered = Atomic<Int>(0)
    }

    /// Resolves the on-link targets of `plan`, if it has any and has not resolved them yet.
    static func run(_ plan: ScanPlan) throws {
        guard let onLink = plan.network.onLink, !plan.sending.dryRun, !onLink.neighbors.isResolved else { return }
        if plan.sending.backend.rawValue == NetmapBackend.name {
            Log.warn(
                "on-link targets (\(onLink.prefixList)) are not resolved with --backend netmap: their probes go "
                    + "to the gateway", module: "onlink")
            return
        }
        let settings = ProbeSettings(family: plan.family)
        switch plan.family {
        case .v4: try sweep(try ARPProbe.V4(settings: settings), plan, onLink)
        case .v6: try sweep(try NDProbe.V6(settings: settings), plan, onLink)
        }
    }

    /// The reply scope of a scan with probe module `P`: for `arp` and `nd`, replies to our
    /// addresses about our targets; nil for IP modules, whose replies validation checks.
    static func replyScope<P: ProbeModule>(_ probe: P.Type, _ plan: ScanPlan) -> LinkReplyScope? {
        guard P.linkLayer != .ip else { return nil }
        let space = plan.targets.space
        return LinkReplyScope(
            localAddresses: plan.network.sourceAddresses, targets: space.allowed,
            prefixShift: plan.family.bits - space.maxLen)
    }

    /// The MAC an answer gives: the ARP sender's, or the advertisement's target link-layer address.
    static func answeringMAC(_ packet: ReplyPacket, header: IPHeaderView, linkLayer: ProbeLinkLayer) -> MACAddress? {
        linkLayer == .arp
            ? ARPPacket.reply(packet)?.senderMAC
            : NeighborDiscovery.advertisement(packet, header: header)?.mac
    }

    /// Sends `probe`'s requests to every on-link target (in rounds) and fills the table.
    static func sweep<P: ProbeModule>(_ probe: P, _ plan: ScanPlan, _ onLink: OnLinkPlan) throws
    where P.ThreadState == Void {
        let network = plan.network, family = plan.family, table = onLink.neighbors
        let batch = 64
        let transmitter = try PacketSocketTransmitter(
            interfaceIndex: network.interfaceIndex, interfaceName: network.interfaceName, batchCapacity: batch,
            packetCapacity: probe.packetLength, link: network.ethernetHeader(family), ipLayer: nil,
            retries: plan.sending.retries, bypassQueueing: plan.sending.bypassQueueing)
        let capture = try PcapCapture(
            interface: network.interfaceName, family: family, snaplen: probe.snaplen,
            filter: probe.pcapFilter, excludingSource: network.sourceMAC,
            bufferBytes: 8 << 20, etherType: P.linkLayer.etherType(family))
        var context = ReplyContext(
            validator: Validator(key: plan.identity.validationKey, family: family),
            sourcePorts: plan.probe.settings.sourcePorts, probes: 1, targetPorts: PortSet([]))
        let bits = family.bits
        context.linkScope = LinkReplyScope(
            localAddresses: network.sourceAddresses,
            targets: PrefixIntervals(
                onLink.prefixes.map { p in
                    let mask = IPPrefix.mask(length: p.length, bits: bits),
                        all = IPPrefix.mask(length: bits, bits: bits)
                    return (p.address.value & mask)...((p.address.value & mask) | (all & ~mask))
                }),
            prefixShift: 0)
        for i in 0..<batch { probe.writeTemplate(into: transmitter.packetBuffer(i)) }
        let link = LinkAddressing(P.self, network: network, dryRun: false)
        let source = network.sourceAddresses[0]
        let targets = onLink.targets
        let what = P.linkLayer == .arp ? "ARP requests" : "neighbour solicitations"
        Log.info(
            "resolving the \(targets.count) targets on the link of \(network.interfaceName) "
                + "(\(onLink.prefixList)) with \(what)", module: "onlink")
        var sent = 0, failed = 0
        for wait in roundWaits {
            // The targets that have not answered yet (the table has no writer between rounds).
            let view = table.view
            let asked = (0..<targets.count).filter { view.lookup(targets[$0]) == NeighborTable.unresolved }
            let progress = Progress()
            progress.answered.store(table.resolvedCount, ordering: .relaxed)
            let receiver = try startReceiver(
                probe, capture: capture, context: context, table: table,
                progress: progress, family: family)
            var limiter = RateLimiter(packetsPerSecond: Double(plan.sending.rate), clock: SystemClock())
            var pending = 0
            for i in asked {
                let address = targets[i]
                if limiter.mustWait() {
                    if pending > 0 { failed += transmitter.send(count: pending) }
                    pending = 0
                    limiter.sleep()
                }
                limiter.consume()
                let buffer = transmitter.packetBuffer(pending)
                let target = Target(address: address, port: 0, index: 0)
                let length = probe.makePacket(
                    into: buffer, source: source, target: target, probe: 0,
                    validation: AESBlock())
                link.write(link.destination(for: address), before: buffer)
                transmitter.setLength(pending, length)
                pending += 1
                sent += 1
                if pending == batch {
                    failed += transmitter.send(count: pending)
                    pending = 0
                }
            }
            if pending > 0 { failed += transmitter.send(count: pending) }
            let deadline = Posix.monotonicNanos() &+ wait
            while Posix.monotonicNanos() < deadline && progress.answered.load(ordering: .relaxed) < targets.count {
                Posix.sleep(nanos: 5_000_000)
            }
            progress.stop.store(true, ordering: .releasing)
            receiver.join()
            if table.resolvedCount >= targets.count { break }
        }
        table.markResolved()
        let missing = max(0, targets.count - table.resolvedCount)
        Log.info(
            "\(table.resolvedCount) of \(targets.count) on-link targets answered (\(sent) \(what) sent, "
                + "\(failed) failed); their probes go to their own MACs"
                + (missing > 0 ? ", the \(missing) others get none" : ""), module: "onlink")
    }

    /// The stage's receive thread: answers into the table until `progress.stop`.
    static func startReceiver<P: ProbeModule>(
        _ probe: P, capture: PcapCapture, context: ReplyContext,
        table: NeighborTable, progress: Progress,
        family: IPFamily
    ) throws -> OSThread {
        return try OSThread.spawn(name: "xmap-neighbors") {
            while !progress.stop.load(ordering: .acquiring) {
                do {
                    _ = try capture.next { bytes in
                        let packet = ReplyPacket(bytes)
                        guard
                            let header = P.linkLayer == .arp
                                ? IPHeaderView(arp: packet)
                                : IPHeaderView(packet, family: family),
                            let valid = probe.validate(packet, header: header, context: context),
                            let mac = answeringMAC(packet, header: header, linkLayer: P.linkLayer)
                        else { return }
                        if table.resolve(valid.reportedSource, mac: mac) {
                            progress.answered.add(1, ordering: .relaxed)
                        }
                    }
                } catch {
                    Log.error("\(error)", module: "onlink")
                    return
                }
            }
        }
    }
}
