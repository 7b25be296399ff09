"""The command line: which check each port gets, and the report over a directory of payloads."""
import os
import re
import sys

from .ber import check_cldap, check_kerberos, check_snmp
from .binary import (check_a2s, check_bacnet, check_coap, check_dht, check_enip, check_memcached,
                     check_mssql, check_mumble, check_natpmp, check_ntp, check_raknet, check_rip,
                     check_rmcp, check_rpc, check_tftp, check_ubnt, check_xdmcp)
from .core import EXTRA_FILES, IPV4_LIMIT, IPV6_LIMIT, Bad, need
from .dns import check_dns, check_mdns, check_netbios_ns
from .handshakes import check_ike, check_l2tp, check_openvpn, check_quic, check_stun
from .text import check_sip, check_ssdp, check_text_any, check_wsdiscovery


PROTOCOLS = {
    7: lambda d: check_text_any(d, "echo"),
    13: lambda d: check_text_any(d, "daytime"),
    17: lambda d: check_text_any(d, "qotd"),
    19: lambda d: check_text_any(d, "chargen"),
    53: check_dns,
    69: check_tftp,
    88: check_kerberos,
    111: lambda d: check_rpc(d, 100000),
    123: check_ntp,
    137: check_netbios_ns,
    161: check_snmp,
    177: check_xdmcp,
    389: check_cldap,
    443: check_quic,
    500: check_ike,
    520: check_rip,
    623: check_rmcp,
    1194: check_openvpn,
    1434: check_mssql,
    1701: check_l2tp,
    1900: check_ssdp,
    2049: lambda d: check_rpc(d, 100003),
    3478: check_stun,
    3702: check_wsdiscovery,
    4500: lambda d: check_ike(d, nat_t=True),
    5060: check_sip,
    5351: check_natpmp,
    5353: check_mdns,
    5683: lambda d: check_coap(d, "/.well-known/core"),
    6881: check_dht,
    10001: check_ubnt,
    11211: check_memcached,
    19132: check_raknet,
    27015: check_a2s,
    44818: check_enip,
    47808: check_bacnet,
    64738: check_mumble,
}

NAME = re.compile(r"([1-9][0-9]{0,4})\.(pkt|txt|hex)")


def load(path, ext):
    with open(path, "rb") as f:
        raw = f.read()
    if ext != "hex":
        return raw
    digits = bytes(c for c in raw if c not in b" \t\r\n\v\f")   # the scanner drops whitespace
    need(len(digits) % 2 == 0, "odd number of hex digits")
    try:
        return bytes.fromhex(digits.decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        raise Bad("non-hex character in a .hex file")


def main(argv):
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # scripts/
    directory = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(here), "examples", "udp-probes")
    if not os.path.isdir(directory):
        print(f"error: {directory} is not a directory", file=sys.stderr)
        return 2
    problems, ports = 0, {}
    names = sorted(os.listdir(directory), key=lambda n: (int(NAME.fullmatch(n).group(1)) if NAME.fullmatch(n) else 1 << 20, n))
    for name in names:
        if name in EXTRA_FILES:
            continue
        m = NAME.fullmatch(name)
        if not m or not os.path.isfile(os.path.join(directory, name)) or not 1 <= int(m.group(1)) <= 65535:
            print(f"FAIL {name}: not a regular file named <port>.pkt, <port>.txt or <port>.hex (port 1..65535, no leading zero)")
            problems += 1
            continue
        ports.setdefault(int(m.group(1)), []).append(name)
    for port, files in sorted(ports.items()):
        if len(files) > 1:
            order = {"pkt": 0, "txt": 1, "hex": 2}
            files.sort(key=lambda n: order[n.rsplit(".", 1)[1]])
            print(f"FAIL port {port}: {len(files)} files {files}; the scanner would use only {files[0]}")
            problems += 1
        for name in files:
            ext = name.rsplit(".", 1)[1]
            try:
                data = load(os.path.join(directory, name), ext)
                need(data, "empty payload")
                need(len(data) <= IPV4_LIMIT, f"{len(data)} bytes: more than fits one IPv4 datagram ({IPV4_LIMIT})")
                need(len(data) <= IPV6_LIMIT, f"{len(data)} bytes: more than fits one IPv6 datagram ({IPV6_LIMIT})")
                check = PROTOCOLS.get(port)
                summary = check(data) if check else "no structural check for this port"
                print(f"ok   {name:<10} {len(data):5d} B  {summary}")
            except Bad as e:
                print(f"FAIL {name:<10} {e}")
                problems += 1
    missing = sorted(set(PROTOCOLS) - set(ports))
    if missing:
        print(f"note: checks exist for ports without a file: {missing}")
    print(f"{sum(len(f) for f in ports.values())} payload file(s) for {len(ports)} port(s), {problems} problem(s)")
    return 1 if problems else 0
