"""What the lab's responders share: readiness pid files and UDP sockets that answer from the
probed address.

The target namespace routes whole prefixes to lo (AnyIP), so one socket receives datagrams for
every live address. With IP_PKTINFO / IPV6_PKTINFO a responder learns which address a datagram
was sent to, and answers FROM that address, as a real host there would. Responders answer only
the scanner's own addresses (allowed sources), never anything else.
"""
import os
import socket
import struct
import sys

IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)
IP_FREEBIND = getattr(socket, "IP_FREEBIND", 15)
IPV6_RECVPKTINFO = getattr(socket, "IPV6_RECVPKTINFO", 49)
IPV6_PKTINFO = getattr(socket, "IPV6_PKTINFO", 50)


def ready(pidfile):
    """Writes our pid atomically: lab.sh waits for a non-empty pid file."""
    tmp = pidfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(tmp, pidfile)


def warn(*args):
    print(*args, file=sys.stderr, flush=True)


def udp_pair(port):
    """An IPv4 and an IPv6-only UDP socket on PORT that report each datagram's destination."""
    s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s4.setsockopt(socket.SOL_IP, IP_PKTINFO, 1)
    s4.setsockopt(socket.SOL_IP, IP_FREEBIND, 1)
    s4.bind(("0.0.0.0", port))
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s6.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
    s6.setsockopt(socket.SOL_IP, IP_FREEBIND, 1)  # lets IPV6_PKTINFO use AnyIP sources
    s6.bind(("::", port))
    return s4, s6


def receive(s, family):
    """One datagram from S (family 4 or 6): (data, peer, probed address, reply cmsg).

    None if reading failed; the address and cmsg are None when no PKTINFO came with it.
    Sending the reply with that cmsg makes its source the probed address.
    """
    try:
        data, anc, _flags, peer = s.recvmsg(65535, 256)
    except OSError:
        return None
    addr = cmsg = None
    for level, ctype, cdata in anc:
        if family == 4 and level == socket.SOL_IP and ctype == IP_PKTINFO:
            _ifindex, _spec, dst = struct.unpack("i4s4s", cdata[:12])
            addr = socket.inet_ntop(socket.AF_INET, dst)
            cmsg = (socket.SOL_IP, IP_PKTINFO, struct.pack("i4s4s", 0, dst, bytes(4)))
        elif family == 6 and level == socket.IPPROTO_IPV6 and ctype == IPV6_PKTINFO:
            dst, _ifindex = struct.unpack("16si", cdata[:20])
            addr = socket.inet_ntop(socket.AF_INET6, dst)
            cmsg = (socket.IPPROTO_IPV6, IPV6_PKTINFO, struct.pack("16si", dst, 0))
    return data, peer, addr, cmsg


def answer(s, payload, cmsg, peer, addr):
    """Sends PAYLOAD to PEER from ADDR; True when it went out."""
    try:
        s.sendmsg([payload], [cmsg], 0, peer)
        return True
    except OSError as e:
        warn("sendmsg to", peer, "from", addr, ":", e)
        return False
