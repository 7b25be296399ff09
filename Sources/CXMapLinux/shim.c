#ifndef _GNU_SOURCE
#error You must define _GNU_SOURCE
#endif
#include "CXMapLinux.h"
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>

_Static_assert(sizeof(CXMap_mmsghdr) == sizeof(struct mmsghdr), "mmsghdr layout differs");
_Static_assert(__builtin_offsetof(CXMap_mmsghdr, msg_len) == __builtin_offsetof(struct mmsghdr, msg_len),
               "mmsghdr layout differs");

int CXMap_sendmmsg(int fd, CXMap_mmsghdr *msgs, unsigned int count, int flags) {
    return sendmmsg(fd, (struct mmsghdr *)msgs, count, flags);
}

void CXMap_fill_sockaddr_ll(struct sockaddr_ll *sll, int ifindex, uint16_t protocol, const uint8_t *mac) {
    memset(sll, 0, sizeof(*sll));
    sll->sll_family = AF_PACKET;
    sll->sll_protocol = htons(protocol);
    sll->sll_ifindex = ifindex;
    sll->sll_halen = ETH_ALEN;
    if (mac) memcpy(sll->sll_addr, mac, ETH_ALEN);
}

int CXMap_packet_ignore_outgoing(int fd) {
#ifdef PACKET_IGNORE_OUTGOING
    int one = 1;
    return setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
#else
    errno = ENOPROTOOPT;
    return -1;
#endif
}

int CXMap_packet_qdisc_bypass(int fd) {
    int one = 1;
    return setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
}

#include <sched.h>

int CXMap_setns_net(int fd) {
    return setns(fd, CLONE_NEWNET);
}

#include <pthread.h>

int CXMap_pin_current_thread(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int CXMap_allowed_cpus(int *out, int max) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return -1;
    int n = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && n < max; cpu++) {
        if (CPU_ISSET(cpu, &set)) out[n++] = cpu;
    }
    return n;
}

#include <syslog.h>

/* openlog keeps the pointer: the ident must outlive the call (Swift passes a temporary).
   LOG_NDELAY connects now, before the scan gives up its privileges. */
void CXMap_openlog(const char *ident) { openlog(strdup(ident), LOG_NDELAY, LOG_USER); }

void CXMap_syslog(int level, const char *message) {
    static const int priorities[] = {LOG_CRIT, LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG, LOG_DEBUG};
    int priority = level >= 0 && level < 6 ? priorities[level] : LOG_DEBUG;
    syslog(priority, "%s", message);
}

#include <sys/random.h>

long CXMap_getrandom(void *buf, unsigned long len) { return (long)getrandom(buf, len, 0); }
