"""The DNS family: DNS (53), mDNS (5353), NetBIOS name service (137)."""
import struct

from .core import Reader, need


# ---------------------------------------------------------------- DNS family (RFC 1035 4.1)

def dns_name(r):
    labels, total = [], 0
    while True:
        n = r.u8("label length")
        if n == 0:
            break
        need(n & 0xC0 == 0, f"label length byte 0x{n:02x}: a query's only name is written out, without compression")
        label = r.take(n, "label")
        total += n + 1
        labels.append(label.decode("ascii", "replace"))
    need(total + 1 <= 255, "name longer than 255 octets")
    need(labels, "empty (root) name")
    return ".".join(labels)


def dns_header(r):
    ident, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", r.take(12, "DNS header"))
    need(flags & 0x8000 == 0, "QR=1: this is a response, not a query")
    need((flags >> 11) & 0xF == 0, "opcode is not QUERY")
    need(flags & 0x0070 == 0, "Z bits not zero")
    return ident, flags, qd, an, ns, ar


def dns_questions(r, qd):
    qs = []
    for _ in range(qd):
        name = dns_name(r)
        qtype, qclass = r.u16("QTYPE"), r.u16("QCLASS")
        qs.append((name, qtype, qclass))
    return qs


QTYPES = {1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA", 33: "SRV", 255: "ANY"}


def check_dns(d):
    r = Reader(d, "DNS")
    ident, flags, qd, an, ns, ar = dns_header(r)
    need(qd == 1 and an == 0 and ns == 0 and ar == 0, f"counts QD={qd} AN={an} NS={ns} AR={ar}, want 1/0/0/0")
    need(flags & 0x0100, "RD=0: a recursive resolver would not recurse")
    (name, qtype, qclass), = dns_questions(r, qd)
    r.end()
    need(qclass == 1, "QCLASS is not IN")
    need(qtype != 255, "QTYPE ANY is an amplification query")
    return f"DNS query id=0x{ident:04x} RD=1 {name} {QTYPES.get(qtype, qtype)} IN"


def check_mdns(d):
    r = Reader(d, "mDNS")
    ident, flags, qd, an, ns, ar = dns_header(r)
    need(flags == 0, f"flags 0x{flags:04x}, want 0 for an mDNS query (RFC 6762 18)")
    need(qd >= 1 and an == 0 and ns == 0 and ar == 0, "want questions only")
    qs = dns_questions(r, qd)
    r.end()
    out = []
    for name, qtype, qclass in qs:
        need(name.lower().endswith(".local"), f"{name} is not under .local")
        need(qclass & 0x7FFF == 1, "class is not IN")
        out.append(f"{name} {QTYPES.get(qtype, qtype)}{' QU' if qclass & 0x8000 else ' QM'}")
    return f"mDNS query id={ident} " + ", ".join(out)


def check_netbios_ns(d):
    r = Reader(d, "NBNS")
    ident, flags, qd, an, ns, ar = dns_header(r)
    need(qd == 1 and an == 0 and ns == 0 and ar == 0, "want exactly one question")
    n = r.u8("name length")
    need(n == 32, f"first-level encoded NetBIOS name must be 32 bytes, got {n}")
    enc = r.take(32, "encoded name")
    need(all(0x41 <= c <= 0x50 for c in enc), "encoded name has characters outside 'A'..'P' (RFC 1001 14.1)")
    raw = bytes(((enc[i] - 0x41) << 4) | (enc[i + 1] - 0x41) for i in range(0, 32, 2))
    scope = []
    while True:
        k = r.u8("scope label length")
        if k == 0:
            break
        need(k < 64, "bad scope label")
        scope.append(r.take(k, "scope label"))
    qtype, qclass = r.u16("QTYPE"), r.u16("QCLASS")
    r.end()
    need(qclass == 1, "QCLASS is not IN")
    need(qtype in (0x20, 0x21), f"QTYPE 0x{qtype:04x} is neither NB nor NBSTAT")
    shown = raw.rstrip(b"\x00 ").decode("ascii", "replace")
    kind = "NBSTAT node status" if qtype == 0x21 else "NB name query"
    if qtype == 0x21:
        need(raw == b"*" + bytes(15), "node status requests use the name '*' padded with NULs (RFC 1002 4.2.17)")
    return f"NetBIOS-NS {kind} id=0x{ident:04x} name={shown!r}"
