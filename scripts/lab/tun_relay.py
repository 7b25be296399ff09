"""L3 link: tun_relay.py NETNS_PATH SCAN_DEV NET_DEV TUN4 TUN6 PIDFILE

Started in the scanner namespace: creates tun device SCAN_DEV there (addresses TUN4/32 and
TUN6/128), enters the target namespace (NETNS_PATH), creates NET_DEV there with routes back to
TUN4/TUN6, and copies IP packets between the two devices (no Ethernet header: what VPN and
tunnel interfaces look like to xmap -X).
"""
import ctypes
import fcntl
import os
import select
import struct
import subprocess
import sys

from labnet import ready

TUNSETIFF, IFF_TUN, IFF_NO_PI, CLONE_NEWNET = 0x400454CA, 0x0001, 0x1000, 0x40000000


def tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def ip(*args):
    subprocess.run(["ip"] + list(args), check=True)


def main(net_path, scan_dev, net_dev, tun4, tun6, pidfile):
    scan_fd = tun(scan_dev)                      # in the scanner namespace
    ip("link", "set", scan_dev, "up")
    ip("addr", "add", tun4 + "/32", "dev", scan_dev)
    ip("-6", "addr", "add", tun6 + "/128", "dev", scan_dev, "nodad")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(os.open(net_path, os.O_RDONLY), CLONE_NEWNET) != 0:
        sys.exit("setns failed: %d" % ctypes.get_errno())
    net_fd = tun(net_dev)                        # in the target network namespace
    ip("link", "set", net_dev, "up")
    ip("route", "add", tun4 + "/32", "dev", net_dev)
    ip("-6", "route", "add", tun6 + "/128", "dev", net_dev)
    ready(pidfile)
    peer = {scan_fd: net_fd, net_fd: scan_fd}
    while True:
        for fd in select.select([scan_fd, net_fd], [], [])[0]:
            os.write(peer[fd], os.read(fd, 65535))


if __name__ == "__main__":
    main(*sys.argv[1:7])
