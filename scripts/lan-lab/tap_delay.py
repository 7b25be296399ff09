"""A delayed Ethernet segment for the LAN lab: two TAP devices, one in the bridge namespace
(enslaved to the bridge by lan-lab.sh) and one in a host namespace, with every frame held
DELAY_MS / 2 milliseconds in each direction, so the host is DELAY_MS further away (round trip)
than the others. netem is not available everywhere; this needs only /dev/net/tun.

usage: tap_delay.py HOST_NETNS_PATH BRIDGE_TAP HOST_TAP HOST_MAC DELAY_MS PIDFILE
Started inside the bridge namespace; runs until killed."""
import ctypes
import fcntl
import heapq
import os
import select
import struct
import subprocess
import sys
import time

TUNSETIFF, IFF_TAP, IFF_NO_PI, CLONE_NEWNET = 0x400454CA, 0x0002, 0x1000, 0x40000000


def tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def ip(*args):
    subprocess.run(["ip"] + list(args), check=True)


host_ns, bridge_tap, host_tap, host_mac, delay_ms, pidfile = sys.argv[1:7]
half = float(delay_ms) / 2000.0

bridge_fd = tap(bridge_tap)                  # in the bridge namespace
ip("link", "set", bridge_tap, "master", "br0", "up")
libc = ctypes.CDLL(None, use_errno=True)
if libc.setns(os.open(host_ns, os.O_RDONLY), CLONE_NEWNET) != 0:
    sys.exit("setns failed: %d" % ctypes.get_errno())
host_fd = tap(host_tap)                      # in the host namespace
ip("link", "set", host_tap, "address", host_mac)
ip("link", "set", host_tap, "up")
with open(pidfile + ".tmp", "w") as f:
    f.write("%d\n" % os.getpid())
os.rename(pidfile + ".tmp", pidfile)

peer = {bridge_fd: host_fd, host_fd: bridge_fd}
queue = []
serial = 0
while True:
    timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else None
    ready, _, _ = select.select([bridge_fd, host_fd], [], [], timeout)
    now = time.monotonic()
    for fd in ready:
        while True:
            try:
                frame = os.read(fd, 65535)
            except BlockingIOError:
                break
            serial += 1
            heapq.heappush(queue, (now + half, serial, peer[fd], frame))
    now = time.monotonic()
    while queue and queue[0][0] <= now:
        _, _, out, frame = heapq.heappop(queue)
        try:
            os.write(out, frame)
        except OSError:
            pass
