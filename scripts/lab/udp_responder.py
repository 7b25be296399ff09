"""UDP responder: udp_responder.py PORT PIDFILE SRC4[,SRC4...] SRC6[,SRC6...]

Answers each datagram to PORT from one of the scanner's addresses (SRC4 / SRC6) with
b"xmaplab <probed address>\\n", sent FROM the probed address.
"""
import select
import sys

from labnet import answer, ready, receive, udp_pair


def main(port, pidfile, src4, src6):
    s4, s6 = udp_pair(port)
    ready(pidfile)
    family = {s4: 4, s6: 6}
    allowed = {s4: src4.split(","), s6: src6.split(",")}
    while True:
        for s in select.select([s4, s6], [], [])[0]:
            got = receive(s, family[s])
            if got is None:
                continue
            _data, peer, addr, cmsg = got
            if peer[0] not in allowed[s] or cmsg is None:  # only ever answer the scanner
                continue
            answer(s, b"xmaplab " + addr.encode() + b"\n", cmsg, peer, addr)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4])
