import Synchronization
import XMapCore
import XMapIO
import XMapModules

/// The dry run's "backend": it prints each packet in XMap's format (or, for ZMap's
/// `--fast-dryrun`, writes a binary record) instead of sending it. One packet per batch, so
/// packets print in send order; threads share one printer. Like XMap, it prints the Ethernet
/// block only for Ethernet frames (not with `-X`).
final class DryRunTransmitter<P: ProbeModule>: PacketTransmitter, @unchecked Sendable {
    let batchCapacity = 1
    private let probe: P
    private let printer: DryRunPrinter
    private let printsLink: Bool
    private let fast: Bool
    private let separator: String
    /// ZMap's text instead of XMap's (the `zmap` personality).
    private let zmapStyle: ZMapDryRunFormat.Style?
    private let buffer: UnsafeMutableRawPointer
    private let linkBytes: UnsafeMutableRawPointer
    private var length = 0

    /// `link` is the Ethernet header of every frame, nil for bare IP packets (`-X`).
    init(probe: P, printer: DryRunPrinter, link: EthernetHeader?, fast: Bool, zmapStyle: ZMapDryRunFormat.Style? = nil)
    {
        self.probe = probe
        self.zmapStyle = zmapStyle
        self.printer = printer
        printsLink = link != nil
        self.fast = fast
        separator = probe.dryRunSeparator
        linkBytes = .allocate(byteCount: EthernetHeader.length + max(probe.packetLength, 64), alignment: 16)
        linkBytes.initializeMemory(
            as: UInt8.self, repeating: 0, count: EthernetHeader.length + max(probe.packetLength, 64))
        link?.write(to: linkBytes)
        buffer = linkBytes + EthernetHeader.length
    }

    deinit { linkBytes.deallocate() }

    func packetBuffer(_ slot: Int) -> UnsafeMutableRawPointer { buffer }
    func setLength(_ slot: Int, _ length: Int) { self.length = length }

    func send(count: Int) -> Int {
        guard count > 0 else { return 0 }
        let packet = UnsafeRawBufferPointer(start: buffer, count: length)
        if fast {
            printer.record(packet, family: P.family)
        } else if let zmapStyle {
            let link = printsLink ? UnsafeRawBufferPointer(start: linkBytes, count: EthernetHeader.length) : nil
            printer.printRaw(ZMapDryRunFormat.describe(packet, link: link, style: zmapStyle))
        } else {
            let ethernet =
                printsLink
                ? DryRunFormat.ethernet(UnsafeRawBufferPointer(start: linkBytes, count: EthernetHeader.length)) : ""
            printer.print(ethernet + probe.describe(packet: packet), separator: separator)
        }
        return 0
    }
}

/// Serialises dry-run output on stdout. When stdout fails (a closed pipe, a full disk) it stops
/// the scan and keeps the error for the one-line report.
final class DryRunPrinter: Sendable {
    private let failure = Mutex<SystemError?>(nil)
    private let counters: ScanCounters

    init(counters: ScanCounters) { self.counters = counters }

    /// The first write error, if any.
    var writeError: SystemError? { failure.withLock { $0 } }

    func print(_ description: String, separator: String = DryRunFormat.separator) {
        write(Array((description + separator + "\n").utf8))
    }

    /// Writes `text` as it is.
    func printRaw(_ text: String) { write(Array(text.utf8)) }

    private func write(_ bytes: [UInt8]) {
        failure.withLock { error in
            guard error == nil else { return }
            if case .failure(let e) = bytes.withUnsafeBytes({ b in
                Result { () throws(SystemError) in try Posix.writeAll(1, b) }
            }) {
                error = e
                counters.stopAll()
            }
        }
    }

    /// ZMap's `--fast-dryrun` record: the packet's destination address and port in network
    /// byte order (6 bytes for IPv4, 18 for IPv6; port 0 for protocols without ports).
    func record(_ packet: UnsafeRawBufferPointer, family: IPFamily) {
        let p = ReplyPacket(packet)
        guard let header = IPHeaderView(p, family: family) else { return }
        var port: UInt16 = 0
        if header.proto == IPProtocol.tcp || header.proto == IPProtocol.udp {
            port = p.u16(header.payloadOffset + 2) ?? 0
        }
        var bytes = [UInt8](repeating: 0, count: family.bytes + 2)
        bytes.withUnsafeMutableBytes { b in
            let w = PacketWriter(b.baseAddress!)
            w.address(0, header.destination, family: family)
            w.u16(family.bytes, port)
        }
        write(bytes)
    }
}
