#if canImport(Glibc)
import Glibc
#endif
import CXMapLinux

// Every call XMapIO makes into the kernel, through libc or the C shim (CXMapLinux), declared
// once: `system_` and the C function's name, its arguments and its result as they are. Nothing
// else in XMapIO names those functions; the `Posix` funnel (System.swift) and the types built
// on it call these. In builds with ENABLE_MOCKING (debug builds), each asks the calling
// thread's `MockingDriver` first, which records the call and may make it fail with an errno
// in the function's own convention (-1 and `errno`, an errno value, or a negative errno).
// Calls that cannot fail and never block (clocks, `strerror`, `strftime`) are made directly.

#if ENABLE_MOCKING
/// `mockedFailure` for a call returning -1 and `errno`.
@inline(__always) private func failed(_ call: String) -> Bool { mockedFailure(call) }
/// `mockedErrno` for a call returning an errno value.
@inline(__always) private func forced(_ call: String) -> Int32? { mockedErrno(call) }
#else
@inline(__always) private func failed(_ call: String) -> Bool { false }
@inline(__always) private func forced(_ call: String) -> Int32? { nil }
#endif

// MARK: - Files and directories

func system_open(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32 {
    failed("open") ? -1 : open(path, flags, mode)
}

func system_close(_ fd: Int32) -> Int32 { failed("close") ? -1 : close(fd) }

func system_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    failed("read") ? -1 : read(fd, buffer, count)
}

func system_write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    failed("write") ? -1 : write(fd, buffer, count)
}

func system_pwrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int, _ offset: off_t) -> Int {
    failed("pwrite") ? -1 : pwrite(fd, buffer, count, offset)
}

func system_fdatasync(_ fd: Int32) -> Int32 { failed("fdatasync") ? -1 : fdatasync(fd) }

func system_ftruncate(_ fd: Int32, _ length: off_t) -> Int32 { failed("ftruncate") ? -1 : ftruncate(fd, length) }

func system_fstat(_ fd: Int32, _ status: UnsafeMutablePointer<stat>) -> Int32 {
    failed("fstat") ? -1 : fstat(fd, status)
}

func system_access(_ path: UnsafePointer<CChar>, _ mode: Int32) -> Int32 {
    failed("access") ? -1 : access(path, mode)
}

func system_opendir(_ path: UnsafePointer<CChar>) -> OpaquePointer? { failed("opendir") ? nil : opendir(path) }

func system_readdir(_ directory: OpaquePointer) -> UnsafeMutablePointer<dirent>? {
    failed("readdir") ? nil : readdir(directory)
}

func system_closedir(_ directory: OpaquePointer) -> Int32 { failed("closedir") ? -1 : closedir(directory) }

// MARK: - Waiting

func system_poll(_ fds: UnsafeMutablePointer<pollfd>, _ count: nfds_t, _ timeoutMillis: Int32) -> Int32 {
    failed("poll") ? -1 : poll(fds, count, timeoutMillis)
}

func system_nanosleep(_ request: UnsafePointer<timespec>, _ remaining: UnsafeMutablePointer<timespec>?) -> Int32 {
    failed("nanosleep") ? -1 : nanosleep(request, remaining)
}

func system_sched_yield() -> Int32 { sched_yield() }

// MARK: - Sockets

func system_socket(_ domain: Int32, _ type: Int32, _ proto: Int32) -> Int32 {
    failed("socket") ? -1 : socket(domain, type, proto)
}

func system_bind(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    failed("bind") ? -1 : bind(fd, address, length)
}

func system_setsockopt(
    _ fd: Int32, _ level: Int32, _ name: Int32, _ value: UnsafeRawPointer?,
    _ length: socklen_t
) -> Int32 {
    failed("setsockopt") ? -1 : setsockopt(fd, level, name, value, length)
}

func system_sendto(
    _ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int, _ flags: Int32,
    _ address: UnsafePointer<sockaddr>?, _ length: socklen_t
) -> Int {
    failed("sendto") ? -1 : sendto(fd, buffer, count, flags, address, length)
}

func system_recvfrom(
    _ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int, _ flags: Int32,
    _ address: UnsafeMutablePointer<sockaddr>?, _ length: UnsafeMutablePointer<socklen_t>?
) -> Int {
    failed("recvfrom") ? -1 : recvfrom(fd, buffer, count, flags, address, length)
}

/// sendmmsg(2) through the shim (glibc's `struct mmsghdr` is hidden from Swift).
func system_sendmmsg(
    _ fd: Int32, _ messages: UnsafeMutablePointer<CXMap_mmsghdr>, _ count: UInt32,
    _ flags: Int32
) -> Int32 {
    failed("sendmmsg") ? -1 : CXMap_sendmmsg(fd, messages, count, flags)
}

/// setsockopt(PACKET_QDISC_BYPASS).
func system_packet_qdisc_bypass(_ fd: Int32) -> Int32 {
    failed("setsockopt(PACKET_QDISC_BYPASS)") ? -1 : CXMap_packet_qdisc_bypass(fd)
}

/// setsockopt(PACKET_IGNORE_OUTGOING).
func system_packet_ignore_outgoing(_ fd: Int32) -> Int32 {
    failed("setsockopt(PACKET_IGNORE_OUTGOING)") ? -1 : CXMap_packet_ignore_outgoing(fd)
}

/// if_nametoindex(3); 0 (with errno) when there is no such interface.
func system_if_nametoindex(_ name: UnsafePointer<CChar>) -> UInt32 {
    failed("if_nametoindex") ? 0 : if_nametoindex(name)
}

/// setns(2) with CLONE_NEWNET, for the calling thread.
func system_setns_net(_ fd: Int32) -> Int32 { failed("setns") ? -1 : CXMap_setns_net(fd) }

// MARK: - Names

func system_gethostname(_ buffer: UnsafeMutablePointer<CChar>, _ length: Int) -> Int32 {
    failed("gethostname") ? -1 : gethostname(buffer, length)
}

/// getaddrinfo(3): its own status codes (EAI_*), errno only with EAI_SYSTEM.
func system_getaddrinfo(
    _ node: UnsafePointer<CChar>?, _ service: UnsafePointer<CChar>?,
    _ hints: UnsafePointer<addrinfo>?,
    _ result: UnsafeMutablePointer<UnsafeMutablePointer<addrinfo>?>?
) -> Int32 {
    if failed("getaddrinfo") { return EAI_SYSTEM }
    return getaddrinfo(node, service, hints, result)
}

func system_freeaddrinfo(_ list: UnsafeMutablePointer<addrinfo>) { freeaddrinfo(list) }

/// getpwnam_r(3): 0 or an errno value.
func system_getpwnam_r(
    _ name: UnsafePointer<CChar>, _ entry: UnsafeMutablePointer<passwd>,
    _ buffer: UnsafeMutablePointer<CChar>, _ length: Int,
    _ result: UnsafeMutablePointer<UnsafeMutablePointer<passwd>?>
) -> Int32 {
    forced("getpwnam_r") ?? getpwnam_r(name, entry, buffer, length, result)
}

func system_geteuid() -> uid_t { geteuid() }

// MARK: - Signals

func system_sigaction(
    _ signal: Int32, _ action: UnsafePointer<sigaction>?,
    _ old: UnsafeMutablePointer<sigaction>?
) -> Int32 {
    failed("sigaction") ? -1 : sigaction(signal, action, old)
}

/// pthread_sigmask(3): 0 or an errno value.
func system_pthread_sigmask(
    _ how: Int32, _ set: UnsafePointer<sigset_t>?,
    _ old: UnsafeMutablePointer<sigset_t>?
) -> Int32 {
    forced("pthread_sigmask") ?? pthread_sigmask(how, set, old)
}

// MARK: - Threads and CPUs

/// pthread_create(3): 0 or an errno value.
func system_pthread_create(
    _ thread: UnsafeMutablePointer<pthread_t>,
    _ body: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?,
    _ argument: UnsafeMutableRawPointer?
) -> Int32 {
    forced("pthread_create") ?? pthread_create(thread, nil, body, argument)
}

/// pthread_join(3): 0 or an errno value.
func system_pthread_join(_ thread: pthread_t) -> Int32 { pthread_join(thread, nil) }

/// sched_getaffinity(2) through the shim: how many CPUs it wrote, or -1 and errno.
func system_allowed_cpus(_ out: UnsafeMutablePointer<Int32>, _ max: Int32) -> Int32 {
    failed("sched_getaffinity") ? -1 : CXMap_allowed_cpus(out, max)
}

/// pthread_setaffinity_np(3) through the shim: 0 or an errno value.
func system_pin_current_thread(_ cpu: Int32) -> Int32 {
    forced("pthread_setaffinity_np") ?? CXMap_pin_current_thread(cpu)
}

/// getrandom(2) through the shim.
func system_getrandom(_ buffer: UnsafeMutableRawPointer, _ count: UInt) -> Int {
    failed("getrandom") ? -1 : CXMap_getrandom(buffer, count)
}

// MARK: - Least privilege (sandbox.c: each 0 or an errno value)

func system_drop_user(_ uid: UInt32, _ gid: UInt32) -> Int32 { forced("drop_user") ?? CXMap_drop_user(uid, gid) }

func system_clear_capabilities() -> Int32 { forced("capset") ?? CXMap_clear_capabilities() }

func system_set_no_new_privs() -> Int32 { forced("prctl(PR_SET_NO_NEW_PRIVS)") ?? CXMap_set_no_new_privs() }

func system_install_syscall_filter(_ logFD: Int32, _ prefix: UnsafePointer<CChar>) -> Int32 {
    forced("seccomp") ?? CXMap_install_syscall_filter(logFD, prefix)
}

// MARK: - AF_XDP (xsk.c)

/// Opens an AF_XDP socket and its UMEM: nil with the errno in `error` and the failing call in
/// `step`.
func system_xsk_open(
    _ interfaceIndex: Int32, _ queue: UInt32, _ frames: UInt32, _ frameSize: UInt32,
    _ mode: Int32, _ error: UnsafeMutablePointer<Int32>,
    _ step: UnsafeMutablePointer<UnsafePointer<CChar>?>
) -> OpaquePointer? {
    if let e = forced("xsk_open") {
        error.pointee = e
        return nil
    }
    return CXMap_xsk_open(interfaceIndex, queue, frames, frameSize, mode, error, step)
}

/// Wakes the kernel to send (`sendto` with MSG_DONTWAIT) if the TX ring asks for it: 0, or
/// a negative errno for a real error.
func system_xsk_kick(_ socket: OpaquePointer) -> Int32 { forced("xsk_kick").map { -$0 } ?? CXMap_xsk_kick(socket) }

/// Wakes the kernel until the TX ring is empty: 0 done, 1 again, 2 busy, or a negative errno.
func system_xsk_flush(_ socket: OpaquePointer) -> Int32 {
    forced("xsk_flush").map { -$0 } ?? CXMap_xsk_flush(socket)
}

func system_xsk_close(_ socket: OpaquePointer) { CXMap_xsk_close(socket) }

// MARK: - netmap (netmap.c)

/// Opens `/dev/netmap` and registers a port: 0, or an errno value with the failing call in
/// `step`.
func system_netmap_open(
    _ device: UnsafePointer<CChar>, _ name: UnsafePointer<CChar>, _ mode: UInt32,
    _ ring: UInt16, _ flags: UInt64, _ port: UnsafeMutablePointer<CXMap_netmap_port>,
    _ step: UnsafeMutablePointer<UnsafePointer<CChar>?>
) -> Int32 {
    forced("netmap_open") ?? CXMap_netmap_open(device, name, mode, ring, flags, port, step)
}

func system_netmap_close(_ port: UnsafeMutablePointer<CXMap_netmap_port>) { CXMap_netmap_close(port) }

/// ioctl(NIOCTXSYNC): 0 or an errno value.
func system_netmap_txsync(_ fd: Int32) -> Int32 { forced("ioctl(NIOCTXSYNC)") ?? CXMap_netmap_txsync(fd) }

/// ioctl(NIOCRXSYNC): 0 or an errno value.
func system_netmap_rxsync(_ fd: Int32) -> Int32 { forced("ioctl(NIOCRXSYNC)") ?? CXMap_netmap_rxsync(fd) }

/// The carrier of an interface (SIOCETHTOOL): 1 up, 0 down, or a negative errno.
func system_link_up(_ name: UnsafePointer<CChar>) -> Int32 {
    forced("ioctl(SIOCETHTOOL)").map { -$0 } ?? CXMap_link_up(name)
}

// MARK: - syslog

func system_openlog(_ ident: UnsafePointer<CChar>) { CXMap_openlog(ident) }

func system_syslog(_ level: Int32, _ message: UnsafePointer<CChar>) { CXMap_syslog(level, message) }
