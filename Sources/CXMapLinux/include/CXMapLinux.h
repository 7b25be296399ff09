#ifndef CXMAP_LINUX_H
#define CXMAP_LINUX_H

// Linux-only declarations that Swift's Glibc module does not show (they need _GNU_SOURCE or
// live in linux/ uapi headers). Only <linux/if_packet.h> is included, never <netpacket/packet.h>,
// because both define sockaddr_ll.
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/neighbour.h>
#include <linux/if_addr.h>

/// Layout copy of glibc's struct mmsghdr (checked by a static assert in shim.c).
typedef struct {
    struct msghdr msg_hdr;
    unsigned int msg_len;
} CXMap_mmsghdr;

/// sendmmsg(2). Returns the number of messages sent, or -1 with errno set.
int CXMap_sendmmsg(int fd, CXMap_mmsghdr *msgs, unsigned int count, int flags);

/// Fills a sockaddr_ll for an interface index, protocol (host order) and optional 6-byte address.
void CXMap_fill_sockaddr_ll(struct sockaddr_ll *sll, int ifindex, uint16_t protocol,
                            const uint8_t *mac);

/// Sets PACKET_IGNORE_OUTGOING where the kernel has it; returns 0 or -1 with errno.
int CXMap_packet_ignore_outgoing(int fd);

/// Sets PACKET_QDISC_BYPASS; returns 0 or -1 with errno.
int CXMap_packet_qdisc_bypass(int fd);

/// Macro helpers for netlink messages.
static inline unsigned int CXMap_NLMSG_ALIGN(unsigned int len) { return NLMSG_ALIGN(len); }
static inline unsigned int CXMap_NLMSG_HDRLEN(void) { return NLMSG_HDRLEN; }
static inline unsigned int CXMap_RTA_ALIGN(unsigned int len) { return RTA_ALIGN(len); }

static inline uint16_t CXMap_ETH_P_ALL(void) { return ETH_P_ALL; }
static inline uint16_t CXMap_ETH_P_IP(void) { return ETH_P_IP; }
static inline uint16_t CXMap_ETH_P_IPV6(void) { return ETH_P_IPV6; }

/// setns(2) into the network namespace open at `fd` (CLONE_NEWNET), for the calling thread only.
/// Returns 0, or -1 with errno set.
int CXMap_setns_net(int fd);

/// Pins the calling thread to one CPU (pthread_setaffinity_np). Returns 0 or an errno value.
int CXMap_pin_current_thread(int cpu);

/// Writes the CPUs the calling thread may run on (sched_getaffinity) to `out`, ascending, at
/// most `max` of them. Returns how many, or -1 with errno set.
int CXMap_allowed_cpus(int *out, int max);

/// openlog(ident, 0, LOG_USER) and syslog(priority, "%s", message): syslog(3) is variadic, which
/// Swift cannot call. `level` is 0 fatal ... 4 debug (XMap's mapping: crit, err, warning, info, debug).
void CXMap_openlog(const char *ident);
void CXMap_syslog(int level, const char *message);

/// getrandom(2): fills buf with up to len random bytes from the kernel; -1 with errno on error.
long CXMap_getrandom(void *buf, unsigned long len);



/// An AF_XDP socket that transmits from a UMEM of `frames` frames of `frame_size` bytes (xsk.c).
typedef struct CXMap_xsk CXMap_xsk;
/// Opens and binds it to queue `queue` of interface `ifindex`; mode 0 tries zero-copy first,
/// 1 forces copy mode. NULL on failure, with errno in *error and the failing call in *step.
CXMap_xsk *CXMap_xsk_open(int ifindex, unsigned queue, unsigned frames, unsigned frame_size, int mode, int *error,
                          const char **step);
void CXMap_xsk_close(CXMap_xsk *x);
/// Whether the socket is bound in zero-copy mode.
int CXMap_xsk_zerocopy(const CXMap_xsk *x);
/// The UMEM: frame i starts at i * frame_size.
uint8_t *CXMap_xsk_umem(CXMap_xsk *x);
/// Queues up to n frames (UMEM offsets and lengths) on the TX ring; returns how many fitted.
unsigned CXMap_xsk_submit(CXMap_xsk *x, const uint64_t *addrs, const uint32_t *lens, unsigned n);
/// Wakes the kernel if the TX ring asks for it; 0, or -errno for a real error.
int CXMap_xsk_kick(CXMap_xsk *x);
/// Pushes the TX ring out: wakes the kernel until it has taken every queued descriptor (copy
/// mode sends at most 32 per wake-up, so one wake-up per batch would strand the rest in the
/// ring). 0 when the ring is empty or the driver needs no wake-up, 1 when it should be called
/// again at once, 2 when the kernel is busy (reap completions and yield first), -errno on error.
int CXMap_xsk_flush(CXMap_xsk *x);
/// How many queued descriptors the kernel has not taken off the TX ring yet.
unsigned CXMap_xsk_tx_pending(const CXMap_xsk *x);
/// Takes up to max completed frames off the completion ring into addrs; returns how many.
unsigned CXMap_xsk_complete(CXMap_xsk *x, uint64_t *addrs, unsigned max);

/// A registered netmap port (netmap.c): its file descriptor, the shared memory and what the
/// kernel reported about its rings.
typedef struct {
    int fd;
    void *memory;
    uint64_t memory_size;
    /// Where the port's struct netmap_if starts in `memory`.
    uint64_t interface_offset;
    uint16_t tx_rings, rx_rings;
    uint32_t tx_slots, rx_slots;
} CXMap_netmap_port;
/// Opens `device` (/dev/netmap), registers `ifname` with register mode `mode` (1: all NIC rings,
/// 4: the NIC ring pair `ring`) and flags, and maps the shared memory. 0, or an errno with the
/// failing call in *step.
int CXMap_netmap_open(const char *device, const char *ifname, uint32_t mode, uint16_t ring, uint64_t flags,
                      CXMap_netmap_port *port, const char **step);
void CXMap_netmap_close(CXMap_netmap_port *port);
/// The layout netmap.c declares for netmap's control requests (sizes, field offsets, ioctl
/// numbers), for tests that compare it with netmap's published header.
typedef struct {
    unsigned api, register_request;
    unsigned long ioctl_ctrl, ioctl_txsync, ioctl_rxsync;
    unsigned header_size, header_name, header_options, header_body;
    unsigned register_size, register_memsize, register_tx_slots, register_tx_rings, register_host_tx_rings;
    unsigned register_mem_id, register_ringid, register_mode, register_extra_bufs, register_flags;
} CXMap_netmap_layout_t;
void CXMap_netmap_layout(CXMap_netmap_layout_t *out);
/// NIOCTXSYNC / NIOCRXSYNC on a registered port: 0 or errno.
int CXMap_netmap_txsync(int fd);
int CXMap_netmap_rxsync(int fd);
/// The carrier of `ifname` (SIOCETHTOOL, ETHTOOL_GLINK): 1 up, 0 down, -errno when unknown.
int CXMap_link_up(const char *ifname);

// ---- Least privilege (sandbox.c) ----

/// Gives up root: drops the capability bounding set, the supplementary groups, then sets every
/// gid and uid (which clears the permitted and effective capabilities of every thread). Checks
/// that root cannot be regained. Returns 0 or an errno value.
int CXMap_drop_user(unsigned int uid, unsigned int gid);

/// Clears the calling thread's capability sets and the ambient set (a non-root process with file
/// capabilities). Returns 0 or an errno value.
int CXMap_clear_capabilities(void);

/// prctl(PR_SET_NO_NEW_PRIVS, 1). Returns 0 or an errno value.
int CXMap_set_no_new_privs(void);

/// Installs the scan's seccomp filter on every thread (see sandbox.c for the list). A call
/// outside it writes `prefix` + "system call NAME (N) is not allowed…" to `log_fd` (and stderr)
/// and ends the process with status 1. Returns 0 or an errno value.
int CXMap_install_syscall_filter(int log_fd, const char *prefix);

/// Makes a system call no scan makes (for the test that checks the filter stops it).
long CXMap_forbidden_call_for_test(void);

#endif
