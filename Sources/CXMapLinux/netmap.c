// netmap control on the raw kernel API: register a port (NIOCCTRL with NETMAP_REQ_REGISTER),
// map its shared memory, sync rings, and read the link state. The request structures are
// declared here from netmap's published header (net/netmap.h, API 14); only the fields xmap
// sets or reads are named, the rest keep their place. No netmap header or library is needed
// to build this, and nothing here runs unless `--backend netmap` is chosen in a build with the
// Netmap trait.
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include "CXMapLinux.h"

enum { NM_API = 14, NM_REQ_REGISTER = 1, NM_NAME_LEN = 64 };

struct nm_req_header {          // struct nmreq_header
    uint16_t version;
    uint16_t reqtype;
    uint32_t reserved;
    char name[NM_NAME_LEN];
    uint64_t options;
    uint64_t body;              // pointer to the request body
};

struct nm_req_register {        // struct nmreq_register (API 14)
    uint64_t offset;            // of the netmap_if in the shared memory
    uint64_t memsize;
    uint32_t tx_slots, rx_slots;
    uint16_t tx_rings, rx_rings;
    uint16_t host_tx_rings, host_rx_rings;   // new in API 14 (API 13 had none)
    uint16_t mem_id, ringid;
    uint32_t mode, extra_bufs;
    uint64_t flags;
};

// The published layout of API 14 (net/netmap.h, x86_64 and aarch64): the kernel copies exactly
// sizeof(struct nmreq_register) bytes from the body pointer, so a shorter declaration lets it
// read the caller's stack as nr_flags. Checked again at run time by the tests through
// CXMap_netmap_layout.
_Static_assert(sizeof(struct nm_req_header) == 88, "nmreq_header layout");
_Static_assert(offsetof(struct nm_req_header, name) == 8 && offsetof(struct nm_req_header, body) == 80,
               "nmreq_header fields");
_Static_assert(sizeof(struct nm_req_register) == 56, "nmreq_register layout (API 14)");
_Static_assert(offsetof(struct nm_req_register, host_tx_rings) == 28
               && offsetof(struct nm_req_register, mem_id) == 32 && offsetof(struct nm_req_register, ringid) == 34
               && offsetof(struct nm_req_register, mode) == 36 && offsetof(struct nm_req_register, extra_bufs) == 40
               && offsetof(struct nm_req_register, flags) == 48, "nmreq_register fields (API 14)");

#define NM_IOCTL_CTRL _IOWR('i', 151, struct nm_req_header)
#define NM_IOCTL_TXSYNC _IO('i', 148)
#define NM_IOCTL_RXSYNC _IO('i', 149)

int CXMap_netmap_open(const char *device, const char *ifname, uint32_t mode, uint16_t ring, uint64_t flags,
                      CXMap_netmap_port *port, const char **step) {
    memset(port, 0, sizeof *port);
    port->fd = -1;
    int fd = open(device, O_RDWR | O_CLOEXEC);
    if (fd < 0) { *step = "open"; return errno; }
    struct nm_req_register reg = {.mode = mode, .ringid = ring, .flags = flags};
    struct nm_req_header hdr = {.version = NM_API, .reqtype = NM_REQ_REGISTER, .body = (uint64_t)(uintptr_t)&reg};
    strncpy(hdr.name, ifname, NM_NAME_LEN - 1);
    if (ioctl(fd, NM_IOCTL_CTRL, &hdr) != 0) {
        int e = errno;
        close(fd);
        *step = "ioctl(NIOCCTRL, register)";
        return e;
    }
    void *mem = mmap(NULL, reg.memsize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (mem == MAP_FAILED) {
        int e = errno;
        close(fd);
        *step = "mmap";
        return e;
    }
    port->fd = fd;
    port->memory = mem;
    port->memory_size = reg.memsize;
    port->interface_offset = reg.offset;
    port->tx_rings = reg.tx_rings;
    port->rx_rings = reg.rx_rings;
    port->tx_slots = reg.tx_slots;
    port->rx_slots = reg.rx_slots;
    return 0;
}

void CXMap_netmap_layout(CXMap_netmap_layout_t *out) {
    out->api = NM_API;
    out->register_request = NM_REQ_REGISTER;
    out->ioctl_ctrl = NM_IOCTL_CTRL;
    out->ioctl_txsync = NM_IOCTL_TXSYNC;
    out->ioctl_rxsync = NM_IOCTL_RXSYNC;
    out->header_size = sizeof(struct nm_req_header);
    out->header_name = offsetof(struct nm_req_header, name);
    out->header_options = offsetof(struct nm_req_header, options);
    out->header_body = offsetof(struct nm_req_header, body);
    out->register_size = sizeof(struct nm_req_register);
    out->register_memsize = offsetof(struct nm_req_register, memsize);
    out->register_tx_slots = offsetof(struct nm_req_register, tx_slots);
    out->register_tx_rings = offsetof(struct nm_req_register, tx_rings);
    out->register_host_tx_rings = offsetof(struct nm_req_register, host_tx_rings);
    out->register_mem_id = offsetof(struct nm_req_register, mem_id);
    out->register_ringid = offsetof(struct nm_req_register, ringid);
    out->register_mode = offsetof(struct nm_req_register, mode);
    out->register_extra_bufs = offsetof(struct nm_req_register, extra_bufs);
    out->register_flags = offsetof(struct nm_req_register, flags);
}

void CXMap_netmap_close(CXMap_netmap_port *port) {
    if (port->memory) munmap(port->memory, port->memory_size);
    if (port->fd >= 0) close(port->fd);
    port->memory = NULL;
    port->fd = -1;
}

int CXMap_netmap_txsync(int fd) { return ioctl(fd, NM_IOCTL_TXSYNC, NULL) == 0 ? 0 : errno; }
int CXMap_netmap_rxsync(int fd) { return ioctl(fd, NM_IOCTL_RXSYNC, NULL) == 0 ? 0 : errno; }

int CXMap_link_up(const char *ifname) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    struct ethtool_value value = {.cmd = ETHTOOL_GLINK};
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
    ifr.ifr_data = (char *)&value;
    int r = ioctl(fd, SIOCETHTOOL, &ifr) == 0 ? (value.data ? 1 : 0) : -errno;
    close(fd);
    return r;
}
