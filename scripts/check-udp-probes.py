#!/usr/bin/env python3
"""Offline checker for the per-port UDP payloads of `xmap -M udp --probe-args=dir:DIR`.

    scripts/check-udp-probes.py [DIR]        (default: examples/udp-probes beside this script's repo)

The udp module takes, for a target port P, the first existing file among DIR/P.pkt (raw bytes),
DIR/P.txt (raw bytes) and DIR/P.hex (hex digits, whitespace ignored). This script checks that:

  * every file in DIR is named <port>.pkt, <port>.txt or <port>.hex (README.md and .gitattributes
    excepted), with 1 <= port <= 65535 and no leading zero, and there is exactly one file per port;
  * every payload is non-empty and fits one unfragmented datagram over IPv6 (1452 bytes; IPv4: 1472);
  * each payload parses as the protocol of its port: lengths, counts and encodings are consistent
    and the message is the request the README says it is (see PROTOCOLS in udp_probe_check/cli.py).

It prints one line per file and exits 1 if anything is wrong. Standard library only; it never
opens a socket. The checks live in the package udp_probe_check/ beside this file.
"""
import os
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from udp_probe_check.cli import main  # noqa: E402  (the package beside this file: its checks)

if __name__ == "__main__":
    sys.exit(main(sys.argv))
