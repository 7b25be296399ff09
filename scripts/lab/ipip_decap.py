"""IP-in-IP in user space: ipip_decap.py PIDFILE SRC4[,...] "LIVE4 PREFIXES"

The lab's kernel has no ipip module, so this decapsulates instead, in the target namespace: an
IP-in-IP packet from the scanner (SRC4) to a live address (LIVE4) with an even last octet has
its inner packet sent on; one to an odd last octet is answered with ICMP protocol unreachable,
as a host without IP-in-IP answers.
"""
import ipaddress
import socket
import struct
import sys

from labnet import ready, warn


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def unreachable(pkt):
    """ICMP protocol unreachable (3/2) for PKT, from its destination to its source."""
    body = bytes([3, 2, 0, 0, 0, 0, 0, 0]) + pkt[:548]
    body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 0, 0, 64, 1, 0, pkt[16:20], pkt[12:16])
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + body


def main(pidfile, src4, live4):
    allowed = set(src4.split(","))
    live = [ipaddress.ip_network(p) for p in live4.split()]
    ipip = socket.socket(socket.AF_INET, socket.SOCK_RAW, 4)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    ready(pidfile)
    while True:
        try:
            pkt = ipip.recv(65535)
            if len(pkt) < 40 or pkt[0] >> 4 != 4:
                continue
            src, dst = socket.inet_ntoa(pkt[12:16]), ipaddress.ip_address(pkt[16:20])
            if src not in allowed or not any(dst in n for n in live):
                continue
            if int(dst) % 2 == 0:
                inner = pkt[(pkt[0] & 15) * 4:]
                raw.sendto(inner, (socket.inet_ntoa(inner[16:20]), 0))
            else:
                raw.sendto(unreachable(pkt), (src, 0))
        except OSError as e:
            warn("ipip:", e)


if __name__ == "__main__":
    main(*sys.argv[1:4])
