// AF_XDP transmit socket on the raw kernel API (<linux/if_xdp.h>): a UMEM of fixed-size frames,
// a fill and a completion ring (the kernel requires both), and a TX ring. No XDP program is
// loaded: the socket only transmits. Producer and consumer indexes are shared with the kernel
// and read and written with acquire/release atomics.
#include <errno.h>
#include <linux/if_xdp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "CXMapLinux.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef SOL_XDP
#define SOL_XDP 283
#endif

struct xsk_ring {
    uint32_t *producer, *consumer, *flags;
    void *desc;
    uint32_t size, mask;
    void *map;
    size_t map_len;
};

struct CXMap_xsk {
    int fd;
    uint8_t *umem;
    size_t umem_len;
    struct xsk_ring tx, cq, fq;
    int zerocopy;
};

static int map_ring(int fd, struct xsk_ring *r, const struct xdp_ring_offset *off, uint32_t size, size_t entry,
                    off_t pgoff) {
    r->map_len = off->desc + (size_t)size * entry;
    r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, pgoff);
    if (r->map == MAP_FAILED) { r->map = NULL; return -1; }
    r->producer = (uint32_t *)((char *)r->map + off->producer);
    r->consumer = (uint32_t *)((char *)r->map + off->consumer);
    r->flags = (uint32_t *)((char *)r->map + off->flags);
    r->desc = (char *)r->map + off->desc;
    r->size = size;
    r->mask = size - 1;
    return 0;
}

static int bind_xsk(int fd, int ifindex, unsigned queue, uint16_t mode) {
    struct sockaddr_xdp sa = {.sxdp_family = AF_XDP, .sxdp_flags = mode | XDP_USE_NEED_WAKEUP,
                              .sxdp_ifindex = (uint32_t)ifindex, .sxdp_queue_id = queue};
    // The queue stays busy for up to about a second after the previous socket on it closed.
    for (int tries = 0;; tries++) {
        if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0) return 0;
        if (errno != EBUSY || tries >= 40) return -1;
        struct timespec t = {0, 50000000};
        nanosleep(&t, NULL);
    }
}

void CXMap_xsk_close(CXMap_xsk *x) {
    if (!x) return;
    if (x->tx.map) munmap(x->tx.map, x->tx.map_len);
    if (x->cq.map) munmap(x->cq.map, x->cq.map_len);
    if (x->fq.map) munmap(x->fq.map, x->fq.map_len);
    if (x->fd >= 0) close(x->fd);
    if (x->umem) munmap(x->umem, x->umem_len);
    free(x);
}

CXMap_xsk *CXMap_xsk_open(int ifindex, unsigned queue, unsigned frames, unsigned frame_size, int mode, int *error,
                          const char **step) {
    CXMap_xsk *x = calloc(1, sizeof *x);
    if (!x) { *error = ENOMEM; *step = "calloc"; return NULL; }
    x->fd = -1;
#define FAIL(what) do { *error = errno; *step = what; CXMap_xsk_close(x); return NULL; } while (0)
    x->umem_len = (size_t)frames * frame_size;
    x->umem = mmap(NULL, x->umem_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (x->umem == MAP_FAILED) { x->umem = NULL; FAIL("mmap(UMEM)"); }
    x->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (x->fd < 0) FAIL("socket(AF_XDP)");
    struct xdp_umem_reg reg = {.addr = (uint64_t)(uintptr_t)x->umem, .len = x->umem_len, .chunk_size = frame_size,
                               .headroom = 0};
    if (setsockopt(x->fd, SOL_XDP, XDP_UMEM_REG, &reg, sizeof reg)) FAIL("setsockopt(XDP_UMEM_REG)");
    unsigned fill = 64, ring = frames;
    if (setsockopt(x->fd, SOL_XDP, XDP_UMEM_FILL_RING, &fill, sizeof fill)) FAIL("setsockopt(XDP_UMEM_FILL_RING)");
    if (setsockopt(x->fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, &ring, sizeof ring)) FAIL("setsockopt(XDP_UMEM_COMPLETION_RING)");
    if (setsockopt(x->fd, SOL_XDP, XDP_TX_RING, &ring, sizeof ring)) FAIL("setsockopt(XDP_TX_RING)");
    struct xdp_mmap_offsets off;
    socklen_t optlen = sizeof off;
    if (getsockopt(x->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen)) FAIL("getsockopt(XDP_MMAP_OFFSETS)");
    if (map_ring(x->fd, &x->tx, &off.tx, ring, sizeof(struct xdp_desc), XDP_PGOFF_TX_RING)) FAIL("mmap(TX ring)");
    if (map_ring(x->fd, &x->cq, &off.cr, ring, sizeof(uint64_t), XDP_UMEM_PGOFF_COMPLETION_RING)) FAIL("mmap(completion ring)");
    if (map_ring(x->fd, &x->fq, &off.fr, fill, sizeof(uint64_t), XDP_UMEM_PGOFF_FILL_RING)) FAIL("mmap(fill ring)");
    // mode 0: zero-copy if the driver allows it (veth does not), else copy; mode 1: copy only.
    if (mode == 0 && bind_xsk(x->fd, ifindex, queue, XDP_ZEROCOPY) == 0) {
        x->zerocopy = 1;
        return x;
    }
    if (bind_xsk(x->fd, ifindex, queue, XDP_COPY) != 0) FAIL("bind(AF_XDP)");
    return x;
#undef FAIL
}

int CXMap_xsk_zerocopy(const CXMap_xsk *x) { return x->zerocopy; }
uint8_t *CXMap_xsk_umem(CXMap_xsk *x) { return x->umem; }

unsigned CXMap_xsk_submit(CXMap_xsk *x, const uint64_t *addrs, const uint32_t *lens, unsigned n) {
    struct xsk_ring *r = &x->tx;
    uint32_t prod = *r->producer;   // only we write it
    uint32_t cons = __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
    uint32_t space = r->size - (prod - cons);
    if (n > space) n = space;
    struct xdp_desc *d = r->desc;
    for (unsigned i = 0; i < n; i++) {
        struct xdp_desc *e = &d[(prod + i) & r->mask];
        e->addr = addrs[i];
        e->len = lens[i];
        e->options = 0;
    }
    __atomic_store_n(r->producer, prod + n, __ATOMIC_RELEASE);
    return n;
}

int CXMap_xsk_kick(CXMap_xsk *x) {
    if (!(__atomic_load_n(x->tx.flags, __ATOMIC_ACQUIRE) & XDP_RING_NEED_WAKEUP)) return 0;
    // A blocking kick fails with EOPNOTSUPP; EAGAIN, EBUSY and ENOBUFS mean "try again later".
    if (sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0) return 0;
    if (errno == EAGAIN || errno == EBUSY || errno == ENOBUFS || errno == ENETDOWN) return 0;
    return -errno;
}

int CXMap_xsk_flush(CXMap_xsk *x) {
    uint32_t prod = *x->tx.producer;
    if (__atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE) == prod) return 0;
    if (!(__atomic_load_n(x->tx.flags, __ATOMIC_ACQUIRE) & XDP_RING_NEED_WAKEUP)) return 0;
    // EAGAIN: the per-call budget ran out with descriptors left; EBUSY/ENOBUFS: the device queue
    // or the completion ring is full for now.
    if (sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0 || errno == EAGAIN) return 1;
    if (errno == EBUSY || errno == ENOBUFS) return 2;
    return -errno;
}

unsigned CXMap_xsk_tx_pending(const CXMap_xsk *x) {
    return *x->tx.producer - __atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE);
}

unsigned CXMap_xsk_complete(CXMap_xsk *x, uint64_t *addrs, unsigned max) {
    struct xsk_ring *r = &x->cq;
    uint32_t cons = *r->consumer;
    uint32_t prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
    unsigned n = prod - cons;
    if (n > max) n = max;
    const uint64_t *d = r->desc;
    for (unsigned i = 0; i < n; i++) addrs[i] = d[(cons + i) & r->mask];
    __atomic_store_n(r->consumer, cons + n, __ATOMIC_RELEASE);
    return n;
}
