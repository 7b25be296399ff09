// Least privilege once a scan is set up: give up root and every capability, set no_new_privs,
// and install a seccomp filter that allows only the system calls the scan loops make. A call
// outside the list ends the process with one log line naming it (SIGSYS handler).
#ifndef _GNU_SOURCE
#error You must define _GNU_SOURCE
#endif
#include "CXMapLinux.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

int CXMap_drop_user(unsigned int uid, unsigned int gid) {
    // The bounding set first, while CAP_SETPCAP is still there (EINVAL past the kernel's last cap).
    for (int cap = 0; cap <= 63; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno == EINVAL) break;
    }
    if (setgroups(0, NULL) != 0) return errno;
    if (setresgid(gid, gid, gid) != 0) return errno;
    // With every uid non-zero and PR_SET_KEEPCAPS off, the kernel clears the permitted and
    // effective sets (glibc applies the change to every thread).
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) return errno;
    if (setresuid(uid, uid, uid) != 0) return errno;
    uid_t r, e, s;
    if (getresuid(&r, &e, &s) != 0 || r != uid || e != uid || s != uid) return EPERM;
    if (uid != 0 && setuid(0) == 0) return EPERM;
    return 0;
}

int CXMap_clear_capabilities(void) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capset, &header, data) != 0) return errno;
    (void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    return 0;
}

int CXMap_set_no_new_privs(void) {
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ? 0 : errno;
}

// ---- seccomp ----

#if defined(__x86_64__)
#define CXMAP_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define CXMAP_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

// Names for the SIGSYS line: every call the filter knows of, allowed or commonly forbidden.
#define CXMAP_SYSCALL_NAME(n) {__NR_##n, #n},
static const struct { long number; const char *name; } cxmap_names[] = {
#ifdef __NR_open
    CXMAP_SYSCALL_NAME(open) CXMAP_SYSCALL_NAME(stat) CXMAP_SYSCALL_NAME(lstat) CXMAP_SYSCALL_NAME(poll)
    CXMAP_SYSCALL_NAME(select) CXMAP_SYSCALL_NAME(access) CXMAP_SYSCALL_NAME(pipe) CXMAP_SYSCALL_NAME(fork)
    CXMAP_SYSCALL_NAME(vfork) CXMAP_SYSCALL_NAME(unlink) CXMAP_SYSCALL_NAME(rename) CXMAP_SYSCALL_NAME(mkdir)
    CXMAP_SYSCALL_NAME(rmdir) CXMAP_SYSCALL_NAME(chmod) CXMAP_SYSCALL_NAME(chown) CXMAP_SYSCALL_NAME(time)
    CXMAP_SYSCALL_NAME(creat) CXMAP_SYSCALL_NAME(link) CXMAP_SYSCALL_NAME(symlink) CXMAP_SYSCALL_NAME(readlink)
    CXMAP_SYSCALL_NAME(dup2) CXMAP_SYSCALL_NAME(alarm) CXMAP_SYSCALL_NAME(getpgrp)
#endif
    CXMAP_SYSCALL_NAME(read) CXMAP_SYSCALL_NAME(write) CXMAP_SYSCALL_NAME(readv) CXMAP_SYSCALL_NAME(writev)
    CXMAP_SYSCALL_NAME(pread64) CXMAP_SYSCALL_NAME(pwrite64) CXMAP_SYSCALL_NAME(lseek) CXMAP_SYSCALL_NAME(close)
    CXMAP_SYSCALL_NAME(fstat) CXMAP_SYSCALL_NAME(newfstatat) CXMAP_SYSCALL_NAME(statx) CXMAP_SYSCALL_NAME(fsync)
    CXMAP_SYSCALL_NAME(fdatasync) CXMAP_SYSCALL_NAME(ftruncate) CXMAP_SYSCALL_NAME(fcntl) CXMAP_SYSCALL_NAME(dup)
    CXMAP_SYSCALL_NAME(dup3) CXMAP_SYSCALL_NAME(mmap) CXMAP_SYSCALL_NAME(munmap) CXMAP_SYSCALL_NAME(mremap)
    CXMAP_SYSCALL_NAME(mprotect) CXMAP_SYSCALL_NAME(madvise) CXMAP_SYSCALL_NAME(brk) CXMAP_SYSCALL_NAME(futex)
    CXMAP_SYSCALL_NAME(set_robust_list) CXMAP_SYSCALL_NAME(get_robust_list) CXMAP_SYSCALL_NAME(rseq)
    CXMAP_SYSCALL_NAME(clone) CXMAP_SYSCALL_NAME(clone3) CXMAP_SYSCALL_NAME(exit) CXMAP_SYSCALL_NAME(exit_group)
    CXMAP_SYSCALL_NAME(gettid) CXMAP_SYSCALL_NAME(getpid) CXMAP_SYSCALL_NAME(getppid) CXMAP_SYSCALL_NAME(tgkill)
    CXMAP_SYSCALL_NAME(tkill) CXMAP_SYSCALL_NAME(kill) CXMAP_SYSCALL_NAME(rt_sigprocmask)
    CXMAP_SYSCALL_NAME(rt_sigaction) CXMAP_SYSCALL_NAME(rt_sigreturn) CXMAP_SYSCALL_NAME(sigaltstack)
    CXMAP_SYSCALL_NAME(restart_syscall) CXMAP_SYSCALL_NAME(sched_yield) CXMAP_SYSCALL_NAME(sched_getaffinity)
    CXMAP_SYSCALL_NAME(sched_setaffinity) CXMAP_SYSCALL_NAME(clock_gettime) CXMAP_SYSCALL_NAME(clock_getres)
    CXMAP_SYSCALL_NAME(gettimeofday) CXMAP_SYSCALL_NAME(clock_nanosleep) CXMAP_SYSCALL_NAME(nanosleep)
    CXMAP_SYSCALL_NAME(ppoll) CXMAP_SYSCALL_NAME(pselect6) CXMAP_SYSCALL_NAME(epoll_pwait)
    CXMAP_SYSCALL_NAME(epoll_ctl) CXMAP_SYSCALL_NAME(epoll_create1) CXMAP_SYSCALL_NAME(socket)
    CXMAP_SYSCALL_NAME(connect) CXMAP_SYSCALL_NAME(sendto) CXMAP_SYSCALL_NAME(sendmsg)
    CXMAP_SYSCALL_NAME(sendmmsg) CXMAP_SYSCALL_NAME(recvfrom) CXMAP_SYSCALL_NAME(recvmsg)
    CXMAP_SYSCALL_NAME(recvmmsg) CXMAP_SYSCALL_NAME(getsockopt) CXMAP_SYSCALL_NAME(setsockopt)
    CXMAP_SYSCALL_NAME(getsockname) CXMAP_SYSCALL_NAME(getpeername) CXMAP_SYSCALL_NAME(shutdown)
    CXMAP_SYSCALL_NAME(ioctl) CXMAP_SYSCALL_NAME(getrandom) CXMAP_SYSCALL_NAME(prctl) CXMAP_SYSCALL_NAME(uname)
    CXMAP_SYSCALL_NAME(getuid) CXMAP_SYSCALL_NAME(geteuid) CXMAP_SYSCALL_NAME(getgid) CXMAP_SYSCALL_NAME(getegid)
    CXMAP_SYSCALL_NAME(getrusage) CXMAP_SYSCALL_NAME(sysinfo) CXMAP_SYSCALL_NAME(openat)
    CXMAP_SYSCALL_NAME(getdents64) CXMAP_SYSCALL_NAME(membarrier) CXMAP_SYSCALL_NAME(execve)
    CXMAP_SYSCALL_NAME(execveat) CXMAP_SYSCALL_NAME(ptrace) CXMAP_SYSCALL_NAME(bind) CXMAP_SYSCALL_NAME(listen)
    CXMAP_SYSCALL_NAME(accept4) CXMAP_SYSCALL_NAME(setuid) CXMAP_SYSCALL_NAME(setgid)
    CXMAP_SYSCALL_NAME(setresuid) CXMAP_SYSCALL_NAME(setresgid) CXMAP_SYSCALL_NAME(capset)
    CXMAP_SYSCALL_NAME(mount) CXMAP_SYSCALL_NAME(umount2) CXMAP_SYSCALL_NAME(chroot) CXMAP_SYSCALL_NAME(unshare)
    CXMAP_SYSCALL_NAME(setns) CXMAP_SYSCALL_NAME(bpf) CXMAP_SYSCALL_NAME(unlinkat) CXMAP_SYSCALL_NAME(renameat)
    CXMAP_SYSCALL_NAME(renameat2) CXMAP_SYSCALL_NAME(mkdirat) CXMAP_SYSCALL_NAME(fchmodat)
    CXMAP_SYSCALL_NAME(fchownat) CXMAP_SYSCALL_NAME(pipe2) CXMAP_SYSCALL_NAME(wait4)
    CXMAP_SYSCALL_NAME(memfd_create) CXMAP_SYSCALL_NAME(process_vm_readv) CXMAP_SYSCALL_NAME(init_module)
    CXMAP_SYSCALL_NAME(finit_module) CXMAP_SYSCALL_NAME(kexec_load) CXMAP_SYSCALL_NAME(reboot)
    CXMAP_SYSCALL_NAME(personality) CXMAP_SYSCALL_NAME(seccomp) CXMAP_SYSCALL_NAME(close_range)
    CXMAP_SYSCALL_NAME(mlock) CXMAP_SYSCALL_NAME(munlock) CXMAP_SYSCALL_NAME(set_tid_address)
};

static int cxmap_sandbox_log_fd = 2;
static char cxmap_sandbox_prefix[96];

// Appends `s` to buf at *n (bounded); async-signal-safe.
static void cxmap_append(char *buf, size_t size, size_t *n, const char *s) {
    while (*s && *n + 1 < size) buf[(*n)++] = *s++;
}

static void cxmap_append_number(char *buf, size_t size, size_t *n, long v) {
    char digits[24];
    int k = 0;
    unsigned long u = v < 0 ? (unsigned long)(-v) : (unsigned long)v;
    do { digits[k++] = (char)('0' + u % 10); u /= 10; } while (u && k < 23);
    if (v < 0 && *n + 1 < size) buf[(*n)++] = '-';
    while (k && *n + 1 < size) buf[(*n)++] = digits[--k];
}

// SIGSYS from the filter: one line naming the call, then the process ends (status 1).
static void cxmap_sigsys(int sig, siginfo_t *info, void *context) {
    (void)sig;
    (void)context;
    long number = info->si_syscall;
    const char *name = NULL;
    for (size_t i = 0; i < sizeof cxmap_names / sizeof cxmap_names[0]; i++) {
        if (cxmap_names[i].number == number) { name = cxmap_names[i].name; break; }
    }
    char line[256];
    size_t n = 0;
    cxmap_append(line, sizeof line, &n, cxmap_sandbox_prefix);
    cxmap_append(line, sizeof line, &n, "system call ");
    cxmap_append(line, sizeof line, &n, name ? name : "number ");
    if (!name) cxmap_append_number(line, sizeof line, &n, number);
    else {
        cxmap_append(line, sizeof line, &n, " (");
        cxmap_append_number(line, sizeof line, &n, number);
        cxmap_append(line, sizeof line, &n, ")");
    }
    cxmap_append(line, sizeof line, &n, " is not allowed after set-up; stopping (a bug in xmap: please report it)\n");
    ssize_t ignored = write(cxmap_sandbox_log_fd, line, n);
    (void)ignored;
    if (cxmap_sandbox_log_fd != 2) { ignored = write(2, line, n); (void)ignored; }
    _exit(1);
}

#define CXMAP_LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))

// What a scan does once it is set up: memory and threads (the Swift runtime, glibc), time and
// sleeping, signals, sending and receiving on the sockets and rings already open (sendmmsg,
// AF_XDP wake-ups, netmap's sync ioctls, libpcap's ring and statistics), writing results, logs,
// status and checkpoint files through their descriptors, syslog and Redis (which may reconnect:
// socket and connect), and exiting. Opening files is allowed read-only only (glibc reads
// /sys/devices/system/cpu/online for sysconf); nothing may be executed, created, renamed or
// removed, and no privilege can be regained.
static const long cxmap_allowed[] = {
    SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_pread64, SYS_pwrite64, SYS_lseek, SYS_close,
    SYS_fstat, SYS_newfstatat, SYS_statx, SYS_fsync, SYS_fdatasync, SYS_ftruncate, SYS_fcntl,
    SYS_mmap, SYS_munmap, SYS_mremap, SYS_mprotect, SYS_madvise, SYS_brk,
    SYS_futex, SYS_set_robust_list, SYS_get_robust_list, SYS_rseq, SYS_clone, SYS_clone3, SYS_exit,
    SYS_exit_group, SYS_gettid, SYS_getpid, SYS_tgkill, SYS_rt_sigprocmask, SYS_rt_sigaction,
    SYS_rt_sigreturn, SYS_sigaltstack, SYS_restart_syscall, SYS_sched_yield, SYS_sched_getaffinity,
    SYS_sched_setaffinity, SYS_clock_gettime, SYS_clock_getres, SYS_gettimeofday, SYS_clock_nanosleep,
    SYS_nanosleep, SYS_ppoll, SYS_pselect6, SYS_epoll_pwait, SYS_epoll_ctl, SYS_epoll_create1,
    SYS_socket, SYS_connect, SYS_sendto, SYS_sendmsg, SYS_sendmmsg, SYS_recvfrom, SYS_recvmsg,
    SYS_recvmmsg, SYS_getsockopt, SYS_setsockopt, SYS_getsockname, SYS_getpeername, SYS_shutdown,
    SYS_ioctl, SYS_getrandom, SYS_prctl, SYS_uname, SYS_getuid, SYS_geteuid, SYS_getgid, SYS_getegid,
    SYS_getrusage, SYS_sysinfo, SYS_getdents64, SYS_membarrier,
#ifdef SYS_poll
    SYS_poll, SYS_select, SYS_epoll_wait, SYS_time,
#endif
};

static const long cxmap_readonly_open[] = {
    SYS_openat,
#ifdef SYS_open
    SYS_open,
#endif
};

int CXMap_install_syscall_filter(int log_fd, const char *prefix) {
#ifndef CXMAP_AUDIT_ARCH
    (void)log_fd; (void)prefix;
    return ENOSYS;
#else
    enum { count = sizeof cxmap_allowed / sizeof cxmap_allowed[0] };
    enum { opens = sizeof cxmap_readonly_open / sizeof cxmap_readonly_open[0] };
    cxmap_sandbox_log_fd = log_fd;
    size_t n = 0;
    cxmap_append(cxmap_sandbox_prefix, sizeof cxmap_sandbox_prefix, &n, prefix);
    cxmap_sandbox_prefix[n] = 0;

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = cxmap_sigsys;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGSYS, &action, NULL) != 0) return errno;

    // The architecture, then one compare per allowed call, then the read-only opens (the flags,
    // argument 1 of open and 2 of openat, with no write, create, truncate or append bit);
    // anything else traps.
    struct sock_filter program[4 + 2 * count + 5 * opens + 1];
    int k = 0;
    program[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    program[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CXMAP_AUDIT_ARCH, 1, 0);
    program[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    program[k++] = (struct sock_filter)CXMAP_LOAD_NR;
    for (int i = 0; i < count; i++) {
        program[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)cxmap_allowed[i], 0, 1);
        program[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    }
    const unsigned int writeFlags = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;
    for (int i = 0; i < opens; i++) {
        unsigned int argument = cxmap_readonly_open[i] == SYS_openat ? 2 : 1;
        program[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
                                                    (unsigned int)cxmap_readonly_open[i], 0, 4);
        program[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                                    offsetof(struct seccomp_data, args) + 8 * argument);
        program[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, writeFlags, 1, 0);
        program[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        program[k++] = (struct sock_filter)CXMAP_LOAD_NR;
    }
    program[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP);
    struct sock_fprog fprog = {(unsigned short)k, program};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fprog) != 0) return errno;
    return 0;
#endif
}

long CXMap_forbidden_call_for_test(void) {
    // A call no scan makes, so the filter must stop it; harmless when allowed (PTRACE_PEEKTEXT
    // of pid 0 fails with ESRCH).
    return syscall(SYS_ptrace, 1, 0, 0, 0);
}
