#if canImport(Glibc)
import Glibc
#endif
import CPcap
import XMapCore

/// A libpcap capture on one interface, filtered in the kernel by BPF, that sees only incoming
/// frames (our own probes never reach user space).
/// Owned by the receive thread once the scan starts; Sendable only for that hand-off.
public final class PcapCapture: @unchecked Sendable {
    private let handle: OpaquePointer
    /// Bytes of link-layer header in front of the IP header (14 for Ethernet, 0 for raw IP).
    public let linkHeaderLength: Int

    /// Opens `interface` in immediate mode with `filter`. On an Ethernet interface, frames from
    /// `excludingSource` (our own MAC) are filtered out as well.
    /// - Throws: `XMapError` naming the interface or the filter problem.
    public init(interface: String, snaplen: Int, filter: String, excludingSource mac: MACAddress? = nil,
                timeoutMillis: Int32 = 100) throws {
        var err = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let h = pcap_create(interface, &err) else {
            throw XMapError("could not open \(interface) for capture: \(String(cString: err))")
        }
        pcap_set_snaplen(h, Int32(snaplen))
        pcap_set_promisc(h, 1)
        pcap_set_timeout(h, timeoutMillis)
        pcap_set_immediate_mode(h, 1)
        pcap_set_buffer_size(h, 64 << 20)
        let rc = pcap_activate(h)
        if rc < 0 {
            let msg = String(cString: pcap_geterr(h))
            pcap_close(h)
            throw XMapError("could not start capture on \(interface): \(msg)")
        }
        switch pcap_datalink(h) {
        case DLT_EN10MB: linkHeaderLength = 14
        case DLT_RAW: linkHeaderLength = 0
        case DLT_LINUX_SLL: linkHeaderLength = 16
        default:
            pcap_close(h)
            throw XMapError("unknown data link layer on \(interface)")
        }
        _ = pcap_setdirection(h, PCAP_D_IN)
        // Non-blocking plus our own poll(): libpcap's read timeout is not honoured in immediate mode.
        if pcap_setnonblock(h, 1, &err) != 0 {
            pcap_close(h)
            throw XMapError("could not make the capture on \(interface) non-blocking: \(String(cString: err))")
        }
        var prog = bpf_program()
        let filter = linkHeaderLength == 14 && mac != nil ? "not ether src \(mac!) and (\(filter))" : filter
        if pcap_compile(h, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 {
            let msg = String(cString: pcap_geterr(h))
            pcap_close(h)
            throw XMapError("couldn't compile bpf filter '\(filter)': \(msg)")
        }
        defer { pcap_freecode(&prog) }
        if pcap_setfilter(h, &prog) != 0 {
            let msg = String(cString: pcap_geterr(h))
            pcap_close(h)
            throw XMapError("couldn't install bpf filter: \(msg)")
        }
        handle = h
        selectableFD = pcap_get_selectable_fd(h)
        pollMillis = timeoutMillis
    }

    private let selectableFD: Int32
    private let pollMillis: Int32

    deinit { pcap_close(handle) }

    /// Passes the next frame to `body`, waiting up to the poll timeout (100 ms) for one.
    /// Returns false when none arrived in that time.
    @inline(__always)
    public func next(_ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool {
        if try readOne(body) { return true }
        var pfd = pollfd(fd: selectableFD, events: Int16(POLLIN), revents: 0)
        _ = poll(&pfd, 1, pollMillis)
        return try readOne(body)
    }

    @inline(__always)
    private func readOne(_ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool {
        var hdr: UnsafeMutablePointer<pcap_pkthdr>? = nil
        var data: UnsafePointer<UInt8>? = nil
        let r = pcap_next_ex(handle, &hdr, &data)
        if r == 1, let hdr, let data {
            body(UnsafeRawBufferPointer(start: data, count: Int(hdr.pointee.caplen)))
            return true
        }
        if r == 0 || r == PCAP_ERROR_BREAK { return false }
        throw XMapError("capture failed: \(String(cString: pcap_geterr(handle)))")
    }

    /// (received, dropped by the kernel buffer, dropped by the interface).
    public func statistics() -> (received: UInt64, dropped: UInt64, interfaceDropped: UInt64) {
        var s = pcap_stat()
        if pcap_stats(handle, &s) != 0 { return (0, 0, 0) }
        return (UInt64(s.ps_recv), UInt64(s.ps_drop), UInt64(s.ps_ifdrop))
    }
}
