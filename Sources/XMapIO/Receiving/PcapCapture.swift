#if canImport(Glibc)
import Glibc
#endif
import CPcap
import CXMapLinux
import XMapCore

/// A libpcap capture on one interface, filtered in the kernel by BPF, that sees only incoming
/// frames (our own probes never reach user space), and hands over the IP packets of one family.
/// Owned by the receive thread once the scan starts; Sendable only for that hand-off.
public final class PcapCapture: ReplySource, @unchecked Sendable {
    private let handle: OpaquePointer
    /// How frames carry IP packets on this interface.
    public let framing: LinkFraming
    private let family: IPFamily
    /// The EtherType of the packets handed over (the family's, or ARP's for the `arp` module).
    private let etherType: UInt16
    private let selectableFD: Int32
    private let pollMillis: Int32
    private var unframed: UInt64 = 0

    /// Opens `interface` in immediate mode with `filter`, for replies of `family`. On an
    /// Ethernet interface, frames from `excludingSource` (our own MAC) are filtered out as well.
    /// `etherType` selects ARP packets instead of IP ones (nil: the family's IP packets).
    /// - Throws: `XMapError` naming the interface or the filter problem.
    public init(
        interface: String, family: IPFamily, snaplen: Int, filter: String, excludingSource mac: MACAddress? = nil,
        bufferBytes: Int = 64 << 20, timeoutMillis: Int32 = 100, etherType: UInt16? = nil
    ) throws {
        var err = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let h = pcap_create(interface, &err) else {
            throw XMapError("could not open \(interface) for capture: \(Posix.string(fromCString: err))")
        }
        func fail(_ message: String) -> XMapError {
            pcap_close(h)
            return XMapError(message)
        }
        pcap_set_snaplen(h, Int32(snaplen))
        pcap_set_promisc(h, 1)
        pcap_set_timeout(h, timeoutMillis)
        pcap_set_immediate_mode(h, 1)
        pcap_set_buffer_size(h, Int32(clamping: bufferBytes))
        if pcap_activate(h) < 0 {
            throw fail("could not start capture on \(interface): \(String(cString: pcap_geterr(h)))")
        }
        guard let framing = Self.framing(h) else { throw fail("unknown data link layer on \(interface)") }
        // Incoming frames only: libpcap filters the direction itself where the kernel cannot,
        // so a failure here costs nothing but time (and the BPF filter on our MAC stays).
        _ = pcap_setdirection(h, PCAP_D_IN)
        // libpcap filters the direction after the kernel has cloned every outgoing frame for the
        // capture; PACKET_IGNORE_OUTGOING keeps our probes away from the capture socket at no
        // cost (the BPF filter on our MAC stays, for kernels without it, where this fails).
        // Sending is up to 14% cheaper in the kernel with it.
        let socket = pcap_fileno(h)
        _ = Posix.attempt("setsockopt(PACKET_IGNORE_OUTGOING)") { system_packet_ignore_outgoing(socket) }
        // Non-blocking plus our own poll(): libpcap's read timeout is not honoured in immediate mode.
        if pcap_setnonblock(h, 1, &err) != 0 {
            throw fail("could not make the capture on \(interface) non-blocking: \(Posix.string(fromCString: err))")
        }
        var prog = bpf_program()
        let filter = framing == .ethernet && mac != nil ? "not ether src \(mac!) and (\(filter))" : filter
        if pcap_compile(h, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 {
            throw fail("couldn't compile bpf filter '\(filter)': \(String(cString: pcap_geterr(h)))")
        }
        defer { pcap_freecode(&prog) }
        if pcap_setfilter(h, &prog) != 0 {
            throw fail("couldn't install bpf filter: \(String(cString: pcap_geterr(h)))")
        }
        handle = h
        self.framing = framing
        self.family = family
        self.etherType = etherType ?? family.etherType
        selectableFD = pcap_get_selectable_fd(h)
        pollMillis = timeoutMillis
    }

    /// Reads the frames of the pcap file at `path` as if they were being captured (tests).
    init(savefile path: String, family: IPFamily) throws {
        var err = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let h = pcap_open_offline(path, &err) else {
            throw XMapError("could not open \(path): \(Posix.string(fromCString: err))")
        }
        guard let framing = Self.framing(h) else {
            pcap_close(h)
            throw XMapError("unknown data link layer in \(path)")
        }
        handle = h
        self.framing = framing
        self.family = family
        etherType = family.etherType
        selectableFD = pcap_get_selectable_fd(h)
        pollMillis = 100
    }

    deinit { pcap_close(handle) }

    /// How the frames of `handle` carry IP packets, if xmap knows its link type.
    private static func framing(_ handle: OpaquePointer) -> LinkFraming? {
        switch pcap_datalink(handle) {
        case DLT_EN10MB: .ethernet
        case DLT_RAW: .rawIP
        case DLT_LINUX_SLL: .linuxCooked
        default: nil
        }
    }

    /// Passes the next IP packet to `body`, waiting up to the poll timeout (100 ms) for a frame.
    /// Frames of another protocol are consumed without calling `body`. Returns false when no
    /// frame arrived in that time.
    /// - Throws: `SystemError` when waiting fails (poll(2); EINTR is retried), `XMapError` when
    ///   libpcap fails.
    @inline(__always)
    public func next(_ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool {
        if try readOne(body) { return true }
        _ = try Posix.wait(selectableFD, for: Int16(POLLIN), timeoutMillis: pollMillis)
        return try readOne(body)
    }

    /// Passes the next frame already in the capture buffer, without waiting.
    public func nextIfReady(_ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool {
        try readOne(body)
    }

    @inline(__always)
    private func readOne(_ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool {
        var hdr: UnsafeMutablePointer<pcap_pkthdr>? = nil
        var data: UnsafePointer<UInt8>? = nil
        let r = pcap_next_ex(handle, &hdr, &data)
        if r == 1, let hdr, let data {
            let frame = UnsafeRawBufferPointer(start: data, count: Int(hdr.pointee.caplen))
            if let ip = framing.packet(in: frame, family: family, etherType: etherType) {
                body(ip)
            } else {
                unframed &+= 1
            }
            return true
        }
        if r == 0 || r == PCAP_ERROR_BREAK { return false }
        throw XMapError("capture failed: \(String(cString: pcap_geterr(handle)))")
    }

    public func statistics() -> CaptureStatistics {
        var s = pcap_stat()
        if pcap_stats(handle, &s) != 0 { return CaptureStatistics(unframed: unframed) }
        return CaptureStatistics(
            received: UInt64(s.ps_recv), dropped: UInt64(s.ps_drop), interfaceDropped: UInt64(s.ps_ifdrop),
            unframed: unframed)
    }
}
