"""Records the frames one host sends into the LAN lab's bridge: run in the bridge namespace on
that host's bridge port, it writes one line per frame from SRC_MAC:
    DST_MAC ETHERTYPE [DST_ADDRESS PROTOCOL [TCP_FLAGS]]
(DST_ADDRESS and PROTOCOL for IPv4 and IPv6, and the flags in hex for TCP without IPv6
extension headers; for ARP, the address asked about and "arp").

usage: bridge_capture.py PORT SRC_MAC OUTFILE PIDFILE     (runs until killed)"""
import os
import socket
import sys

port, src_mac, out_path, pidfile = sys.argv[1:5]
ETH_P_ALL = 0x0003
src = bytes.fromhex(src_mac.replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
s.bind((port, 0))
out = open(out_path, "a", buffering=1)
with open(pidfile + ".tmp", "w") as f:
    f.write("%d\n" % os.getpid())
os.rename(pidfile + ".tmp", pidfile)
while True:
    frame = s.recv(65535)
    if len(frame) < 14 or frame[6:12] != src:
        continue
    dst = ":".join("%02x" % b for b in frame[0:6])
    ethertype = int.from_bytes(frame[12:14], "big")
    line = "%s %04x" % (dst, ethertype)
    if ethertype == 0x0800 and len(frame) >= 34:
        line += " %s %d" % (socket.inet_ntop(socket.AF_INET, frame[30:34]), frame[23])
        tcp = 14 + (frame[14] & 15) * 4
        if frame[23] == 6 and len(frame) > tcp + 13:
            line += " %02x" % frame[tcp + 13]
    elif ethertype == 0x86DD and len(frame) >= 54:
        line += " %s %d" % (socket.inet_ntop(socket.AF_INET6, frame[38:54]), frame[20])
        if frame[20] == 6 and len(frame) > 54 + 13:
            line += " %02x" % frame[54 + 13]
    elif ethertype == 0x0806 and len(frame) >= 42:
        line += " %s arp" % socket.inet_ntop(socket.AF_INET, frame[38:42])
    out.write(line + "\n")
