// A stand-in for netmap's /dev/netmap, for scripts/check-netmap-build.sh (LD_PRELOAD into xmap
// inside a private network namespace). It answers open("/dev/netmap") with a descriptor of
// /dev/null and checks each NIOCCTRL request byte by byte against netmap's published API 14
// layout, as the kernel would read it:
//   struct nmreq_header (88 bytes): nr_version 14, nr_reqtype NETMAP_REQ_REGISTER (1), nr_name,
//     nr_options 0, nr_body pointing at
//   struct nmreq_register (56 bytes): outputs zero (offset, memsize, slots, rings, host rings),
//     nr_mem_id 0, nr_mode NR_REG_ALL_NIC (ring id 0) or NR_REG_ONE_NIC (with NR_TX_RINGS_ONLY),
//     nr_extra_bufs 0, nr_flags only NR_TX_RINGS_ONLY and NR_NO_TX_POLL.
// It writes one line per request to $NETMAP_STANDIN_REPORT ("register ok …" or "register bad:
// …") and fails the ioctl: with EOPNOTSUPP for a good request (there are no rings behind it),
// EINVAL for a bad one (what the kernel answers). Written for xmap's tests; no netmap code.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int standin_fd = -1;

static void report(const char *line) {
    const char *path = getenv("NETMAP_STANDIN_REPORT");
    if (!path) return;
    FILE *f = fopen(path, "a");
    if (!f) return;
    fprintf(f, "%s\n", line);
    fclose(f);
}

static int open_standin(const char *path, int flags, mode_t mode, int (*real)(const char *, int, ...)) {
    if (strcmp(path, "/dev/netmap") == 0) {
        standin_fd = real("/dev/null", O_RDWR | (flags & O_CLOEXEC));
        return standin_fd;
    }
    return real(path, flags, mode);
}

#define OPEN_WRAPPER(name)                                                        \
    int name(const char *path, int flags, ...) {                                 \
        mode_t mode = 0;                                                          \
        if (flags & (O_CREAT | O_TMPFILE)) {                                      \
            va_list ap;                                                           \
            va_start(ap, flags);                                                  \
            mode = va_arg(ap, mode_t);                                            \
            va_end(ap);                                                           \
        }                                                                         \
        int (*real)(const char *, int, ...) = dlsym(RTLD_NEXT, #name);            \
        return open_standin(path, flags, mode, real);                             \
    }
OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)

static uint64_t u64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint32_t u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

// The verdict on one NIOCCTRL request; NULL when it is well formed (`line` gets the summary).
static const char *check(const uint8_t *hdr, char *line, size_t size) {
    if (u16(hdr) != 14) return "nr_version is not 14";
    if (u16(hdr + 2) != 1) return "nr_reqtype is not NETMAP_REQ_REGISTER";
    if (u32(hdr + 4) != 0) return "nr_reserved is not 0";
    if (memchr(hdr + 8, 0, 64) == NULL || hdr[8] == 0) return "nr_name is not a terminated name";
    if (u64(hdr + 72) != 0) return "nr_options is not 0";
    const uint8_t *reg = (const uint8_t *)(uintptr_t)u64(hdr + 80);
    if (!reg) return "nr_body is NULL";
    // The kernel copies 56 bytes from nr_body: every field must be what a caller means.
    for (int off = 0; off < 32; off += 4) {
        if (u32(reg + off) != 0) return "an output field (offset, memsize, slots, rings, host rings) is not 0";
    }
    if (u16(reg + 32) != 0) return "nr_mem_id is not 0";
    uint16_t ringid = u16(reg + 34);
    uint32_t mode = u32(reg + 36);
    uint64_t flags = u64(reg + 48);
    if (u32(reg + 40) != 0) return "nr_extra_bufs is not 0";
    if (flags & ~(uint64_t)(0x4000 | 0x20000)) return "nr_flags has bits xmap never sets (read past the request?)";
    if (mode == 1) {
        if (ringid != 0) return "NR_REG_ALL_NIC with a ring id";
    } else if (mode == 4) {
        if (!(flags & 0x4000)) return "NR_REG_ONE_NIC without NR_TX_RINGS_ONLY";
    } else {
        return "nr_mode is neither NR_REG_ALL_NIC nor NR_REG_ONE_NIC";
    }
    snprintf(line, size, "register ok name=%s mode=%u ringid=%u flags=0x%llx", (const char *)hdr + 8, mode,
             ringid, (unsigned long long)flags);
    return NULL;
}

int ioctl(int fd, unsigned long request, ...) {
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (fd == standin_fd && request == 0xC0586997UL) {
        char line[256];
        const char *bad = check(arg, line, sizeof line);
        if (bad) {
            snprintf(line, sizeof line, "register bad: %s", bad);
            report(line);
            errno = EINVAL;
            return -1;
        }
        report(line);
        errno = EOPNOTSUPP;
        return -1;
    }
    int (*real)(int, unsigned long, ...) = dlsym(RTLD_NEXT, "ioctl");
    return real(fd, request, arg);
}

#ifdef STANDIN_SELFTEST
// The stand-in's own check: it must refuse API 13's 48-byte register request (the bytes after
// it are whatever lies on the caller's stack) and accept API 14's.
int main(void) {
    int fd = open("/dev/netmap", O_RDWR);
    uint8_t hdr[88] = {0}, body[64];
    hdr[0] = 14; hdr[2] = 1; strcpy((char *)hdr + 8, "lo");
    uint64_t p = (uint64_t)(uintptr_t)body;
    memcpy(hdr + 80, &p, 8);
    // API 13: mem_id 28, ringid 30, mode 32, extra_bufs 36, flags 40; then 8 bytes of stack.
    memset(body, 0, sizeof body);
    body[32] = 1;
    memset(body + 48, 0xA5, 8);
    int old = ioctl(fd, 0xC0586997UL, hdr) == -1 && errno == EINVAL;
    // API 14: mode 36, flags 48.
    memset(body, 0, sizeof body);
    body[36] = 1;
    uint64_t flags = 0x20000;
    memcpy(body + 48, &flags, 8);
    int good = ioctl(fd, 0xC0586997UL, hdr) == -1 && errno == EOPNOTSUPP;
    printf("API 13 request refused: %s; API 14 request accepted: %s\n", old ? "yes" : "NO", good ? "yes" : "NO");
    return old && good ? 0 : 1;
}
#endif
