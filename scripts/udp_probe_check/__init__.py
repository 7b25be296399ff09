"""Offline checker for the per-port UDP payloads of `xmap -M udp --probe-args=dir:DIR`.

The command is scripts/check-udp-probes.py (see its docstring); this package holds its parts:
core (limits, Bad, Reader), one module per protocol family (dns, ber, text, handshakes, binary)
and cli (the port -> check table and the report). Standard library only; it never opens a socket.
"""
