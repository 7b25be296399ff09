"""TCP responder: tcp_responder.py PORT PIDFILE

A dual-stack listener on PORT with a huge backlog in the target namespace: every live address
answers a SYN with a SYN-ACK (the kernel does it); connections are accepted and closed.
"""
import socket
import sys

from labnet import ready, warn


def main(port, pidfile):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(65535)
    ready(pidfile)
    while True:  # accept + close keeps the accept queue from ever filling up
        try:
            c, _ = s.accept()
            c.close()
        except OSError as e:
            warn("accept:", e)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
