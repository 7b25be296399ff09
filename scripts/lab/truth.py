"""Ground-truth files of the lab, one address per line in LC_ALL=C sort order (IPv6 in
Python's compressed form).

    truth.py live DIR TARGETS4 "LIVE4..." TARGETS6 "LIVE6..."
        live{4,6}.txt, tcp80_, udp5353_, ntp, upnp, bacnet{4,6}.txt: every live address in the
        targets; ipip4_decap.txt (even last octet) and ipip4_unreach.txt (odd)
    truth.py dns DIR TARGETS4 "LIVE4..." NOERROR4 REFUSED4 NXDOMAIN4 TARGETS6 "LIVE6..." NOERROR6 REFUSED6 NXDOMAIN6
        dns{4,6}_{noerror,refused,nxdomain,unreach}.txt: how each live address answers a
        question about example.test on port 53
"""
import ipaddress
import os
import sys


def live_in(target, prefixes):
    net = ipaddress.ip_network(target)
    return {a for p in prefixes.split() for a in ipaddress.ip_network(p) if a in net}


def write(path, addrs):
    with open(path, "w") as f:
        f.write("".join(sorted(str(a) + "\n" for a in addrs)))  # == LC_ALL=C sort


def live(d, args):
    for fam, target, prefixes in (("4", args[0], args[1]), ("6", args[2], args[3])):
        addrs = live_in(target, prefixes)
        for name in ("live", "tcp80_", "udp5353_", "ntp", "upnp", "bacnet"):
            write(os.path.join(d, f"{name}{fam}.txt"), addrs)
        if fam == "4":  # IP-in-IP: even last octets decapsulate, odd ones answer protocol unreachable
            write(os.path.join(d, "ipip4_decap.txt"), {a for a in addrs if int(a) % 2 == 0})
            write(os.path.join(d, "ipip4_unreach.txt"), {a for a in addrs if int(a) % 2 == 1})


def dns(d, args):
    for fam, a in (("4", args[0:5]), ("6", args[5:10])):
        addrs = live_in(a[0], a[1])
        groups = {k: set(ipaddress.ip_network(p)) for k, p in zip(("noerror", "refused", "nxdomain"), a[2:5])}
        groups["unreach"] = addrs - set().union(*groups.values())
        for k, members in groups.items():
            write(os.path.join(d, f"dns{fam}_{k}.txt"), members)


if __name__ == "__main__":
    {"live": live, "dns": dns}[sys.argv[1]](sys.argv[2], sys.argv[3:])
