// ref-sender: minimal C senders that set the kernel ceiling in `make bench-send`, next to xmap:
// the same 54-byte TCP SYN frames (valid checksums) to consecutive addresses of a /16, sent with
// AF_PACKET + sendmmsg (batches of 64) or AF_XDP in copy mode (one queue, batches of 64, frames
// reused once the completion ring returns them). No rate limit, no validation, no receive side.
//
//   ref-sender sendmmsg|afxdp IFNAME SRC_MAC DST_MAC SRC_IP DST_NET COUNT [QUEUE]
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SOL_XDP
#define SOL_XDP 283
#endif
#define BATCH 64
#define FRAME 2048
#define NFRAMES 4096

static uint16_t fold(uint32_t s) { while (s >> 16) s = (s & 0xffff) + (s >> 16); return (uint16_t)~s; }
static uint32_t sum16(const uint8_t *p, int n, uint32_t s) {
    for (int i = 0; i + 1 < n; i += 2) s += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1) s += (uint32_t)p[n - 1] << 8;
    return s;
}

static void parse_mac(const char *t, uint8_t *m) {
    sscanf(t, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]);
}

// A SYN from src to dst (network order) into f (54 bytes).
static void build(uint8_t *f, const uint8_t *smac, const uint8_t *dmac, uint32_t src, uint32_t dst, uint32_t i) {
    memcpy(f, dmac, 6); memcpy(f + 6, smac, 6); f[12] = 0x08; f[13] = 0;
    uint8_t *ip = f + 14, *tcp = f + 34;
    memset(ip, 0, 40);
    ip[0] = 0x45; ip[3] = 40; ip[8] = 64; ip[9] = 6;
    memcpy(ip + 12, &src, 4); memcpy(ip + 16, &dst, 4);
    uint16_t c = fold(sum16(ip, 20, 0)); ip[10] = c >> 8; ip[11] = c & 0xff;
    tcp[0] = 0x80 | (i & 0x3f); tcp[1] = i >> 6; tcp[3] = 80;
    tcp[4] = i >> 24; tcp[5] = i >> 16; tcp[6] = i >> 8; tcp[7] = i;
    tcp[12] = 0x50; tcp[13] = 0x02; tcp[14] = 0xff; tcp[15] = 0xff;
    uint32_t s = sum16(ip + 12, 8, 0) + 6 + 20;
    c = fold(sum16(tcp, 20, s)); tcp[16] = c >> 8; tcp[17] = c & 0xff;
}

int main(int argc, char **argv) {
    if (argc < 8) { fprintf(stderr, "usage: ref-sender sendmmsg|afxdp IF SRC_MAC DST_MAC SRC_IP DST_NET COUNT [QUEUE]\n"); return 2; }
    int xdp = strcmp(argv[1], "afxdp") == 0;
    int ifindex = (int)if_nametoindex(argv[2]);
    uint8_t smac[6], dmac[6];
    parse_mac(argv[3], smac); parse_mac(argv[4], dmac);
    uint32_t src = inet_addr(argv[5]), net = ntohl(inet_addr(argv[6]));
    long count = atol(argv[7]);
    unsigned queue = argc > 8 ? (unsigned)atoi(argv[8]) : 0;
    if (!ifindex) { perror("if_nametoindex"); return 1; }
    if (!xdp) {
        int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
        if (fd < 0) { perror("socket"); return 1; }
        struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_protocol = htons(ETH_P_IP)};
        if (bind(fd, (struct sockaddr *)&sll, sizeof sll)) { perror("bind"); return 1; }
        static uint8_t frames[BATCH][64];
        struct iovec iov[BATCH];
        struct mmsghdr msgs[BATCH];
        memset(msgs, 0, sizeof msgs);
        for (long sent = 0; sent < count;) {
            int n = count - sent < BATCH ? (int)(count - sent) : BATCH;
            for (int k = 0; k < n; k++) {
                uint32_t i = (uint32_t)(sent + k);
                build(frames[k], smac, dmac, src, htonl(net + (i & 0xffff)), i);
                iov[k].iov_base = frames[k]; iov[k].iov_len = 54;
                msgs[k].msg_hdr.msg_iov = &iov[k]; msgs[k].msg_hdr.msg_iovlen = 1;
            }
            int done = 0;
            while (done < n) {
                int r = sendmmsg(fd, msgs + done, n - done, 0);
                if (r < 0) { if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN) continue; perror("sendmmsg"); return 1; }
                done += r;
            }
            sent += n;
        }
        return 0;
    }
    uint8_t *umem = mmap(NULL, (size_t)NFRAMES * FRAME, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    int fd = socket(AF_XDP, SOCK_RAW, 0);
    if (fd < 0 || umem == MAP_FAILED) { perror("AF_XDP"); return 1; }
    struct xdp_umem_reg reg = {.addr = (uint64_t)(uintptr_t)umem, .len = (uint64_t)NFRAMES * FRAME, .chunk_size = FRAME};
    unsigned ring = NFRAMES, fill = 64;
    if (setsockopt(fd, SOL_XDP, XDP_UMEM_REG, &reg, sizeof reg) || setsockopt(fd, SOL_XDP, XDP_UMEM_FILL_RING, &fill, sizeof fill)
        || setsockopt(fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, &ring, sizeof ring) || setsockopt(fd, SOL_XDP, XDP_TX_RING, &ring, sizeof ring)) {
        perror("setsockopt"); return 1;
    }
    struct xdp_mmap_offsets off; socklen_t ol = sizeof off;
    if (getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &ol)) { perror("getsockopt"); return 1; }
    uint8_t *tx = mmap(NULL, off.tx.desc + ring * sizeof(struct xdp_desc), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, XDP_PGOFF_TX_RING);
    uint8_t *cq = mmap(NULL, off.cr.desc + ring * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, XDP_UMEM_PGOFF_COMPLETION_RING);
    uint8_t *fq = mmap(NULL, off.fr.desc + fill * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, XDP_UMEM_PGOFF_FILL_RING);
    if (tx == MAP_FAILED || cq == MAP_FAILED || fq == MAP_FAILED) { perror("mmap"); return 1; }
    struct sockaddr_xdp sa = {.sxdp_family = AF_XDP, .sxdp_flags = XDP_COPY | XDP_USE_NEED_WAKEUP, .sxdp_ifindex = (uint32_t)ifindex, .sxdp_queue_id = queue};
    for (int t = 0; bind(fd, (struct sockaddr *)&sa, sizeof sa); t++) {
        if (errno != EBUSY || t > 40) { perror("bind"); return 1; }
        usleep(50000);
    }
    uint32_t *tprod = (uint32_t *)(tx + off.tx.producer), *tcons = (uint32_t *)(tx + off.tx.consumer), *tflags = (uint32_t *)(tx + off.tx.flags);
    struct xdp_desc *td = (struct xdp_desc *)(tx + off.tx.desc);
    uint32_t *cprod = (uint32_t *)(cq + off.cr.producer), *ccons = (uint32_t *)(cq + off.cr.consumer);
    long sent = 0, completed = 0;
    uint32_t next_frame = 0;
    while (completed < count) {
        // Frames are free once completed: at most NFRAMES in flight.
        uint32_t cp = __atomic_load_n(cprod, __ATOMIC_ACQUIRE), cc = *ccons;
        completed += cp - cc;
        __atomic_store_n(ccons, cp, __ATOMIC_RELEASE);
        long inflight = sent - completed;
        int n = 0;
        if (sent < count && inflight + BATCH <= NFRAMES) {
            n = count - sent < BATCH ? (int)(count - sent) : BATCH;
            uint32_t p = *tprod;
            if (ring - (p - __atomic_load_n(tcons, __ATOMIC_ACQUIRE)) < (uint32_t)n) n = 0;
            for (int k = 0; k < n; k++) {
                uint32_t i = (uint32_t)(sent + k), fr = (next_frame + k) % NFRAMES;
                build(umem + (size_t)fr * FRAME, smac, dmac, src, htonl(net + (i & 0xffff)), i);
                td[(p + k) & (ring - 1)] = (struct xdp_desc){.addr = (uint64_t)fr * FRAME, .len = 54};
            }
            __atomic_store_n(tprod, p + n, __ATOMIC_RELEASE);
            next_frame = (next_frame + n) % NFRAMES;
            sent += n;
        }
        if (__atomic_load_n(tflags, __ATOMIC_ACQUIRE) & XDP_RING_NEED_WAKEUP) sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
    }
    return 0;
}
