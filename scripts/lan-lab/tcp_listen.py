"""A dual-stack TCP listener that accepts and closes (the LAN lab's open port).

usage: tcp_listen.py PORT PIDFILE     (runs until killed)"""
import os
import socket
import sys

port, pidfile = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", port))
s.listen(4096)
with open(pidfile + ".tmp", "w") as f:
    f.write("%d\n" % os.getpid())
os.rename(pidfile + ".tmp", pidfile)
while True:
    try:
        c, _ = s.accept()
        c.close()
    except OSError as e:
        print("accept:", e, file=sys.stderr, flush=True)
