// An LD_PRELOAD counter for scripts/check-hot-path.sh: counts calls of the malloc family and of
// swift_retain in the whole process and appends "MALLOCS RETAINS" to $XMAP_COUNT_FILE at exit.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static unsigned long mallocs, retains;
static int out = -1;

static void count(unsigned long *c) { __atomic_add_fetch(c, 1, __ATOMIC_RELAXED); }

void *malloc(size_t n) { count(&mallocs); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { count(&mallocs); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { count(&mallocs); return __libc_realloc(p, n); }
void *aligned_alloc(size_t a, size_t n) { count(&mallocs); return __libc_memalign(a, n); }
int posix_memalign(void **result, size_t a, size_t n) {
    count(&mallocs);
    void *p = __libc_memalign(a, n);
    if (!p) return 12;
    *result = p;
    return 0;
}

void *swift_retain(void *p) {
    static void *(*real)(void *);
    if (!real) real = (void *(*)(void *))dlsym(RTLD_NEXT, "swift_retain");
    count(&retains);
    return real(p);
}

__attribute__((constructor)) static void open_report(void) {
    const char *path = getenv("XMAP_COUNT_FILE");
    if (path) out = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

__attribute__((destructor)) static void report(void) {
    char line[64];
    int n = snprintf(line, sizeof line, "%lu %lu\n", mallocs, retains);
    if (out >= 0 && n > 0) (void)!write(out, line, (size_t)n);
}
