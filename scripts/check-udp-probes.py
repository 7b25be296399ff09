#!/usr/bin/env python3
"""Offline checker for the per-port UDP payloads of `xmap -M udp --probe-args=dir:DIR`.

    scripts/check-udp-probes.py [DIR]        (default: examples/udp-probes beside this script's repo)

The udp module takes, for a target port P, the first existing file among DIR/P.pkt (raw bytes),
DIR/P.txt (raw bytes) and DIR/P.hex (hex digits, whitespace ignored). This script checks that:

  * every file in DIR is named <port>.pkt, <port>.txt or <port>.hex (README.md and .gitattributes
    excepted), with 1 <= port <= 65535 and no leading zero, and there is exactly one file per port;
  * every payload is non-empty and fits one unfragmented datagram over IPv6 (1452 bytes; IPv4: 1472);
  * each payload parses as the protocol of its port: lengths, counts and encodings are consistent
    and the message is the request the README says it is (see PROTOCOLS below).

It prints one line per file and exits 1 if anything is wrong. Standard library only; it never
opens a socket.
"""
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET

IPV6_LIMIT = 1500 - 40 - 8
IPV4_LIMIT = 1500 - 20 - 8
EXTRA_FILES = {"README.md", ".gitattributes"}


class Bad(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise Bad(msg)


class Reader:
    """Big-endian reader that fails (Bad) instead of reading past the end."""

    def __init__(self, data, what="payload"):
        self.d, self.i, self.what = data, 0, what

    def left(self):
        return len(self.d) - self.i

    def take(self, n, field="field"):
        need(n >= 0 and self.i + n <= len(self.d), f"{self.what}: truncated {field} at offset {self.i}")
        b = self.d[self.i:self.i + n]
        self.i += n
        return b

    def u8(self, f="u8"):
        return self.take(1, f)[0]

    def u16(self, f="u16"):
        return struct.unpack(">H", self.take(2, f))[0]

    def u32(self, f="u32"):
        return struct.unpack(">I", self.take(4, f))[0]

    def end(self):
        need(self.left() == 0, f"{self.what}: {self.left()} unexpected trailing byte(s) at offset {self.i}")


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


# ---------------------------------------------------------------- NTP (RFC 5905 7.3)

def check_ntp(d):
    need(len(d) == 48, f"NTP packet without extensions is 48 bytes, got {len(d)}")
    li, vn, mode = d[0] >> 6, (d[0] >> 3) & 7, d[0] & 7
    need(mode == 3, f"mode {mode}, want 3 (client); mode 6/7 control queries are not wanted here")
    need(vn in (3, 4), f"version {vn}")
    need(li in (0, 3), f"leap indicator {li}")
    xmt = d[40:48]
    need(any(xmt), "transmit timestamp is zero (servers copy it into origin; some drop a zero one)")
    return f"NTPv{vn} client request, transmit={xmt.hex()}"


# ---------------------------------------------------------------- BER / DER (X.690)

def ber_read(r):
    """One TLV: (tag byte, constructed, content bytes). Definite lengths only, single-byte tags."""
    tag = r.u8("BER tag")
    need(tag & 0x1F != 0x1F, "multi-byte BER tags are not used by these protocols")
    first = r.u8("BER length")
    if first < 0x80:
        n = first
    else:
        k = first & 0x7F
        need(1 <= k <= 3, f"BER length form 0x{first:02x} (indefinite or too long)")
        lb = r.take(k, "BER long length")
        n = int.from_bytes(lb, "big")
        need(n >= 0x80 and lb[0] != 0, "BER long-form length is not minimal (DER)")
    return tag, bool(tag & 0x20), r.take(n, f"BER content of tag 0x{tag:02x}")


def ber_one(data, tag, what):
    r = Reader(data, what)
    t, _, content = ber_read(r)
    need(t == tag, f"{what}: tag 0x{t:02x}, want 0x{tag:02x}")
    r.end()
    return content


def ber_seq(content, what):
    """The TLVs that make up a constructed value's content, all of it."""
    r, out = Reader(content, what), []
    while r.left():
        out.append(ber_read(r))
    return out


def ber_int(content):
    need(len(content) >= 1, "empty INTEGER")
    need(not (len(content) > 1 and (content[0] == 0 and content[1] < 0x80 or content[0] == 0xFF and content[1] >= 0x80)),
         "INTEGER not minimally encoded")
    return int.from_bytes(content, "big", signed=True)


def ber_oid(content):
    need(content and content[-1] < 0x80, "OBJECT IDENTIFIER ends inside a sub-identifier")
    subs, v = [], 0
    for i, b in enumerate(content):
        need(not (v == 0 and b == 0x80), "OBJECT IDENTIFIER sub-identifier with a leading 0x80")
        v = (v << 7) | (b & 0x7F)
        if b < 0x80:
            subs.append(v)
            v = 0
    first = subs[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(str(x) for x in head + subs[1:])


def expect(tlv, tag, what):
    need(tlv[0] == tag, f"{what}: tag 0x{tlv[0]:02x}, want 0x{tag:02x}")
    return tlv[2]


SNMP_PDUS = {0xA0: "GetRequest", 0xA1: "GetNextRequest", 0xA5: "GetBulkRequest"}


def check_snmp(d):
    msg = ber_seq(ber_one(d, 0x30, "SNMP message"), "SNMP message")
    need(len(msg) == 3, f"SNMP message has {len(msg)} elements, want version, community, PDU (v1/v2c)")
    version = ber_int(expect(msg[0], 0x02, "version"))
    need(version in (0, 1), f"version {version}: only v1 (0) and v2c (1) carry a community")
    community = expect(msg[1], 0x04, "community").decode("ascii", "replace")
    need(msg[2][0] in SNMP_PDUS, f"PDU tag 0x{msg[2][0]:02x} is not a read request")
    need(not (version == 0 and msg[2][0] == 0xA5), "GetBulk does not exist in SNMPv1")
    pdu = ber_seq(msg[2][2], "PDU")
    need(len(pdu) == 4, "PDU must have request-id, error-status, error-index, variable-bindings")
    reqid = ber_int(expect(pdu[0], 0x02, "request-id"))
    need(ber_int(expect(pdu[1], 0x02, "error-status")) == 0 or msg[2][0] == 0xA5, "error-status not 0")
    ber_int(expect(pdu[2], 0x02, "error-index"))
    oids = []
    for vb in ber_seq(expect(pdu[3], 0x30, "variable-bindings"), "variable-bindings"):
        pair = ber_seq(expect(vb, 0x30, "VarBind"), "VarBind")
        need(len(pair) == 2, "VarBind is not (name, value)")
        oids.append(ber_oid(expect(pair[0], 0x06, "VarBind name")))
        need(pair[1][0] == 0x05 and pair[1][2] == b"", "request VarBind value must be NULL")
    need(oids, "no variable bindings")
    return (f"SNMP{'v1' if version == 0 else 'v2c'} {SNMP_PDUS[msg[2][0]]} community={community!r} "
            f"request-id=0x{reqid & 0xFFFFFFFF:08x} {' '.join(oids)}")


def check_cldap(d):
    msg = ber_seq(ber_one(d, 0x30, "LDAPMessage"), "LDAPMessage")
    need(len(msg) == 2, "LDAPMessage must be messageID, protocolOp (RFC 4511 4.2; no controls here)")
    mid = ber_int(expect(msg[0], 0x02, "messageID"))
    need(1 <= mid <= 0x7FFFFFFF, "messageID out of range")
    req = ber_seq(expect(msg[1], 0x63, "searchRequest [APPLICATION 3]"), "SearchRequest")
    need(len(req) == 8, f"SearchRequest has {len(req)} fields, want 8")
    base = expect(req[0], 0x04, "baseObject")
    scope = ber_int(expect(req[1], 0x0A, "scope"))
    ber_int(expect(req[2], 0x0A, "derefAliases"))
    ber_int(expect(req[3], 0x02, "sizeLimit"))
    ber_int(expect(req[4], 0x02, "timeLimit"))
    need(expect(req[5], 0x01, "typesOnly") in (b"\x00", b"\xff"), "BOOLEAN must be 0x00 or 0xFF")
    ftag, _, fval = req[6]
    need(0xA0 <= ftag <= 0xA9 or ftag == 0x87, f"filter tag 0x{ftag:02x}")
    filt = f"({fval.decode()}=*)" if ftag == 0x87 else f"filter[0x{ftag:02x}]"
    attrs = [expect(a, 0x04, "attribute").decode() for a in ber_seq(expect(req[7], 0x30, "attributes"), "attributes")]
    need(base == b"" and scope == 0, "not a rootDSE search (baseObject '' and scope baseObject)")
    need(attrs and "*" not in attrs, "asks for every attribute: name the few you need (the full rootDSE is the CLDAP amplification reply)")
    return f"CLDAP rootDSE search id={mid} {filt} attributes={','.join(attrs)}"


def check_kerberos(d):
    kdc_req = ber_seq(ber_one(d, 0x6A, "AS-REQ [APPLICATION 10]"), "AS-REQ")
    need(len(kdc_req) == 1, "AS-REQ wraps one KDC-REQ SEQUENCE")
    fields = {t & 0x1F: c for t, _, c in ber_seq(expect(kdc_req[0], 0x30, "KDC-REQ"), "KDC-REQ")}
    need(set(fields) <= {1, 2, 3, 4} and {1, 2, 4} <= set(fields), f"KDC-REQ fields {sorted(fields)}")
    pvno = ber_int(ber_one(fields[1], 0x02, "pvno"))
    mtype = ber_int(ber_one(fields[2], 0x02, "msg-type"))
    need(pvno == 5 and mtype == 10, f"pvno {pvno} msg-type {mtype}, want 5 and 10 (AS-REQ)")
    body = {t: c for t, _, c in ber_seq(ber_one(fields[4], 0x30, "KDC-REQ-BODY"), "KDC-REQ-BODY")}
    tags = [t & 0x1F for t in body]
    need(tags == sorted(tags), "KDC-REQ-BODY fields out of order")
    need({0xA0, 0xA2, 0xA5, 0xA7, 0xA8} <= set(body), "KDC-REQ-BODY lacks kdc-options, realm, till, nonce or etype")
    opts = ber_one(body[0xA0], 0x03, "kdc-options")
    need(len(opts) >= 5 and opts[0] == 0, "KDCOptions must be a BIT STRING of at least 32 bits")

    def kstring(s, what):
        need(s and all(0x20 < b < 0x7F for b in s), f"{what} is empty or not printable ASCII")
        return s.decode()

    def principal(c, what):
        parts = ber_seq(ber_one(c, 0x30, what), what)
        need(len(parts) == 2 and parts[0][0] == 0xA0 and parts[1][0] == 0xA1, f"{what}: want name-type, name-string")
        nt = ber_int(ber_one(parts[0][2], 0x02, "name-type"))
        names = [kstring(expect(tlv, 0x1B, "KerberosString (GeneralString)"), "name-string")
                 for tlv in ber_seq(ber_one(parts[1][2], 0x30, "name-string"), "name-string")]
        return nt, "/".join(names)

    realm = kstring(ber_one(body[0xA2], 0x1B, "realm"), "realm")
    cname = principal(body[0xA1], "cname")[1] if 0xA1 in body else "-"
    sname = principal(body[0xA3], "sname")[1] if 0xA3 in body else "-"
    till = ber_one(body[0xA5], 0x18, "till").decode()
    need(re.fullmatch(r"\d{14}Z", till), "KerberosTime must be YYYYMMDDHHMMSSZ (RFC 4120 5.2.3)")
    ber_int(ber_one(body[0xA7], 0x02, "nonce"))
    etypes = [ber_int(expect(t, 0x02, "etype")) for t in ber_seq(ber_one(body[0xA8], 0x30, "etype"), "etype")]
    need(etypes, "empty etype list")
    return f"Kerberos AS-REQ {cname}@{realm} for {sname} etypes={etypes}"


# ---------------------------------------------------------------- text protocols

def crlf_lines(d, what):
    need(all(c in (9, 10, 13) or 0x20 <= c < 0x7F for c in d), f"{what}: non-ASCII or control bytes")
    need(b"\r\n\r\n" in d, f"{what}: no empty line (CRLF CRLF) ends the header")
    head, body = d.split(b"\r\n\r\n", 1)
    need(b"\n" not in head.replace(b"\r\n", b"") and b"\r" not in head.replace(b"\r\n", b""),
         f"{what}: bare CR or LF in the header: every line must end with CRLF")
    lines = head.decode("ascii").split("\r\n")
    headers = []
    for line in lines[1:]:
        need(":" in line and not line[0].isspace(), f"{what}: malformed header line {line!r}")
        k, v = line.split(":", 1)
        need(k == k.strip() and k, f"{what}: bad header name {k!r}")
        headers.append((k.lower(), v.strip()))
    return lines[0], headers, body


def check_ssdp(d):
    start, headers, body = crlf_lines(d, "SSDP")
    need(start == "M-SEARCH * HTTP/1.1", f"request line {start!r}")
    need(body == b"", "bytes after the empty line")
    h = dict(headers)
    need(len(h) == len(headers), "repeated header")
    need(h.get("host") in ("239.255.255.250:1900", "[ff02::c]:1900", "[ff05::c]:1900"), "HOST is not the SSDP multicast address:1900")
    need(h.get("man") == '"ssdp:discover"', 'MAN must be "ssdp:discover" with the quotes')
    need(h.get("mx", "").isdigit() and 1 <= int(h["mx"]) <= 5, "MX must be 1..5")
    need(h.get("st"), "ST missing")
    return f"SSDP M-SEARCH ST={h['st']} MX={h['mx']}"


def check_sip(d):
    start, headers, body = crlf_lines(d, "SIP")
    m = re.fullmatch(r"([A-Z]+) (sips?:\S+) SIP/2\.0", start)
    need(m, f"request line {start!r}")
    method = m.group(1)
    h = {}
    for k, v in headers:
        h.setdefault({"v": "via", "f": "from", "t": "to", "i": "call-id", "l": "content-length", "m": "contact"}.get(k, k), v)
    for k in ("via", "max-forwards", "from", "to", "call-id", "cseq"):
        need(k in h, f"mandatory header {k} missing (RFC 3261 8.1.1)")
    need(re.search(r";branch=z9hG4bK", h["via"]), "Via branch must start with z9hG4bK (RFC 3261 8.1.1.7)")
    need(h["via"].startswith("SIP/2.0/UDP "), "Via transport is not UDP")
    need(re.search(r";tag=", h["from"]), "From has no tag")
    need(";tag=" not in h["to"], "To of an out-of-dialog request has no tag")
    cseq = h["cseq"].split()
    need(len(cseq) == 2 and cseq[0].isdigit() and cseq[1] == method, "CSeq method differs from the request method")
    need(h["max-forwards"].isdigit() and int(h["max-forwards"]) <= 255, "bad Max-Forwards")
    need("content-length" in h, "Content-Length missing (needed on UDP for a clear message end)")
    need(int(h["content-length"]) == len(body), f"Content-Length {h['content-length']} but the body is {len(body)} bytes")
    rport = "rport" if re.search(r";rport(;|$|=)", h["via"]) else "no rport"
    return f"SIP {method} {m.group(2)} Max-Forwards={h['max-forwards']} ({rport})"


def check_text_any(d, what):
    need(all(c in (9, 10, 13) or 0x20 <= c < 0x7F for c in d), f"{what}: non-ASCII or control bytes")
    return f"{what}: {len(d)} byte(s) of text {d[:24]!r}"


def check_wsdiscovery(d):
    try:
        root = ET.fromstring(d)
    except ET.ParseError as e:
        raise Bad(f"WS-Discovery: XML does not parse: {e}")
    soap, wsa = "{http://www.w3.org/2003/05/soap-envelope}", "{http://schemas.xmlsoap.org/ws/2004/08/addressing}"
    wsd = "{http://schemas.xmlsoap.org/ws/2005/04/discovery}"
    need(root.tag == soap + "Envelope", f"root element {root.tag}, want a SOAP 1.2 Envelope")
    header, body = root.find(soap + "Header"), root.find(soap + "Body")
    need(header is not None and body is not None, "Envelope needs Header and Body")
    action, to, mid = (header.findtext(wsa + x) for x in ("Action", "To", "MessageID"))
    need(action == "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe", f"Action {action!r}")
    need(to == "urn:schemas-xmlsoap-org:ws:2005:04:discovery", f"To {to!r}")
    need(mid and re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", mid), f"MessageID {mid!r}")
    need(len(body) == 1 and body[0].tag == wsd + "Probe", "Body must hold exactly one d:Probe")
    return f"WS-Discovery 2005/04 Probe MessageID={mid}"


# ---------------------------------------------------------------- binary protocols

def check_tftp(d):
    r = Reader(d, "TFTP")
    op = r.u16("opcode")
    need(op in (1, 2), f"opcode {op}, want RRQ (1) or WRQ (2)")
    need(op == 1, "WRQ would ask the server to store a file: use RRQ")
    fields = d[2:].split(b"\x00")
    need(len(fields) >= 3 and fields[-1] == b"", "filename and mode must each end with a NUL")
    fields = fields[:-1]
    need(len(fields) % 2 == 0, "options must come in name/value pairs (RFC 2347)")
    name, mode = fields[0], fields[1].decode("ascii", "replace").lower()
    need(name and all(0x20 <= c < 0x7F for c in name), "file name is empty or not netascii")
    need(mode in ("netascii", "octet"), f"mode {mode!r}")
    return f"TFTP RRQ {name.decode()!r} mode={mode}" + (f" options={len(fields) // 2 - 1}" if len(fields) > 2 else "")


RPC_PROGS = {100000: "portmap/rpcbind", 100003: "NFS", 100005: "mountd"}


def check_rpc(d, prog_want):
    r = Reader(d, "ONC RPC")
    xid, mtype, rpcvers, prog, vers, proc = (r.u32(f) for f in ("xid", "msg_type", "rpcvers", "prog", "vers", "proc"))
    need(mtype == 0, "msg_type is not CALL")
    need(rpcvers == 2, "rpcvers must be 2 (RFC 5531 9)")
    need(prog == prog_want, f"program {prog}, want {prog_want} ({RPC_PROGS.get(prog_want)})")
    for what in ("cred", "verf"):
        flavor, n = r.u32(f"{what} flavor"), r.u32(f"{what} length")
        need(n <= 400, f"{what} body over 400 bytes")
        r.take(n + (-n % 4), f"{what} body")
        need(what == "cred" or flavor == 0, "verifier must be AUTH_NONE")
    args = r.left()
    need(proc != 0 or args == 0, "NULL procedure takes no arguments")
    need(args % 4 == 0, "XDR arguments are not a multiple of 4 bytes")
    return f"ONC RPC CALL xid=0x{xid:08x} {RPC_PROGS.get(prog, prog)} v{vers} proc {proc}{' (NULL)' if proc == 0 else ''}"


def check_quic(d):
    r = Reader(d, "QUIC")
    first = r.u8("first byte")
    need(first & 0x80, "not a long header (RFC 8999 5.1)")
    need(first & 0x40, "fixed bit is 0 (RFC 9000 17.2): QUIC v1 servers drop it")
    version = r.u32("version")
    need(version & 0x0F0F0F0F == 0x0A0A0A0A, f"version 0x{version:08x} is not a reserved 0x?a?a?a?a version (RFC 9000 15)")
    dl = r.u8("DCID length")
    need(8 <= dl <= 20, f"DCID length {dl}: a client's first DCID is 8..20 bytes (RFC 9000 7.2, 17.2)")
    r.take(dl, "DCID")
    sl = r.u8("SCID length")
    need(sl <= 20, "SCID longer than 20 bytes")
    r.take(sl, "SCID")
    need(len(d) >= 1200, f"datagram is {len(d)} bytes: servers send Version Negotiation only for >= 1200 (RFC 9000 14.1)")
    return f"QUIC long header, version 0x{version:08x} (forces Version Negotiation), DCID {dl} B, SCID {sl} B, {len(d)} B"


P256_P = 2 ** 256 - 2 ** 224 + 2 ** 192 + 2 ** 96 - 1
P256_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
IKE_PAYLOADS = {33: "SA", 34: "KE", 40: "Nonce", 41: "Notify", 43: "VendorID"}
IKE_TRANSFORM_TYPES = {1: "ENCR", 2: "PRF", 3: "INTEG", 4: "DH"}
IKE_DH_KE_LEN = {14: 256, 15: 384, 16: 512, 19: 64, 20: 96, 21: 132, 31: 32}


def ike_sa(body):
    r, proposals, last = Reader(body, "IKE SA payload"), 0, None
    while r.left():
        need(last != 0, "proposal after the one marked last")
        last, _, plen = r.u8("last substruc"), r.u8("reserved"), r.u16("proposal length")
        need(last in (0, 2), f"proposal 'last' field {last}")
        p = Reader(r.take(plen - 4, "proposal"), "IKE proposal")
        num, proto, spisize, ntrans = p.u8(), p.u8(), p.u8(), p.u8()
        proposals += 1
        need(num == proposals, "proposal numbers must start at 1 and increase by 1")
        need(proto == 1 and spisize == 0, "IKE_SA_INIT proposals are protocol IKE with no SPI")
        types, tlast = set(), None
        for i in range(ntrans):
            need(tlast != 0, "transform after the one marked last")
            tlast, _, tlen = p.u8(), p.u8(), p.u16()
            need(tlast in (0, 3) and tlen >= 8, "bad transform header")
            t = Reader(p.take(tlen - 4, "transform"), "IKE transform")
            ttype, _, tid = t.u8(), t.u8(), t.u16()
            need(ttype in IKE_TRANSFORM_TYPES, f"transform type {ttype}")
            while t.left():
                af_type = t.u16("attribute type")
                if af_type & 0x8000:
                    val = t.u16("attribute value")
                    need(af_type & 0x7FFF != 14 or val in (128, 192, 256), "key length not 128/192/256")
                else:
                    t.take(t.u16("attribute length"), "attribute value")
            types.add(ttype)
        need(tlast == 0, "last transform not marked last")
        p.end()
        need({1, 2, 4} <= types, "an IKE proposal needs ENCR, PRF and DH transforms")
    need(last == 0, "last proposal not marked last")
    return proposals


def check_ike(d, nat_t=False):
    if nat_t:
        need(d[:4] == bytes(4), "IKE on port 4500 starts with the 4-byte non-ESP marker 0x00000000 (RFC 3948 2.2)")
        d = d[4:]
    r = Reader(d, "IKE")
    spi_i, spi_r = r.take(8, "SPIi"), r.take(8, "SPIr")
    nxt, ver, xchg, flags, msgid, length = r.u8(), r.u8(), r.u8(), r.u8(), r.u32(), r.u32()
    need(any(spi_i), "initiator SPI must not be zero")
    need(not any(spi_r), "responder SPI must be zero in IKE_SA_INIT request")
    need(ver == 0x20, f"version 0x{ver:02x}, want IKEv2 (0x20)")
    need(xchg == 34, f"exchange type {xchg}, want IKE_SA_INIT (34)")
    need(flags == 0x08, f"flags 0x{flags:02x}, want Initiator only")
    need(msgid == 0, "IKE_SA_INIT message ID must be 0")
    need(length == len(d), f"header length {length} but the message is {len(d)} bytes")
    seen = []
    while nxt:
        need(nxt in IKE_PAYLOADS, f"unexpected payload type {nxt}")
        kind = IKE_PAYLOADS[nxt]
        nxt, crit, plen = r.u8(), r.u8(), r.u16()
        need(crit & 0x7F == 0, "reserved bits set in a generic payload header")
        need(plen >= 4, "payload length < 4")
        body = r.take(plen - 4, kind + " payload")
        if kind == "SA":
            ike_sa(body)
        elif kind == "KE":
            group = struct.unpack(">H", body[:2])[0]
            need(body[2:4] == b"\x00\x00", "KE reserved bytes not zero")
            key = body[4:]
            need(IKE_DH_KE_LEN.get(group) == len(key), f"KE data is {len(key)} bytes for group {group}")
            if group == 19:
                x, y = int.from_bytes(key[:32], "big"), int.from_bytes(key[32:], "big")
                need(x < P256_P and y < P256_P and (y * y - (x ** 3 - 3 * x + P256_B)) % P256_P == 0,
                     "group 19 KE data is not a point on P-256 (RFC 5903 7)")
            seen.append(f"KE(group {group})")
            continue
        elif kind == "Nonce":
            need(16 <= len(body) <= 256, "nonce must be 16..256 bytes (RFC 7296 3.9)")
        seen.append(kind)
    r.end()
    need("SA" in seen and any(s.startswith("KE") for s in seen) and "Nonce" in seen, "IKE_SA_INIT needs SA, KE and Nonce")
    return f"IKEv2 IKE_SA_INIT{' (NAT-T, non-ESP marker)' if nat_t else ''} SPIi={spi_i.hex()} payloads={'+'.join(seen)}"


def check_rip(d):
    r = Reader(d, "RIP")
    cmd, ver, zero = r.u8(), r.u8(), r.u16()
    need(cmd == 1, f"command {cmd}, want Request (1)")
    need(ver in (1, 2), f"version {ver}")
    need(r.left() and r.left() % 20 == 0 and r.left() <= 500, "entries must be 1..25 blocks of 20 bytes")
    entries = [struct.unpack(">HHIIII", r.take(20)) for _ in range(r.left() // 20)]
    whole = len(entries) == 1 and entries[0][0] == 0 and entries[0][5] == 16
    need(whole, "not a whole-table request: one entry, AFI 0, metric 16 (RFC 2453 3.9.1)")
    return f"RIPv{ver} Request, whole routing table"


def check_rmcp(d):
    r = Reader(d, "RMCP")
    ver, _, seq, cls = r.u8(), r.u8(), r.u8(), r.u8()
    need(ver == 0x06, "RMCP version must be 0x06")
    need(cls == 0x06, f"class 0x{cls:02x}, want ASF (0x06)")
    iana, mtype, tag, _, dlen = r.u32(), r.u8(), r.u8(), r.u8(), r.u8()
    need(iana == 4542, "ASF IANA enterprise number must be 4542")
    need(mtype == 0x80, f"message type 0x{mtype:02x}, want Presence Ping (0x80)")
    need(dlen == r.left() == 0, "Presence Ping carries no data")
    return f"RMCP/ASF Presence Ping seq=0x{seq:02x} tag={tag}"


def check_openvpn(d):
    r = Reader(d, "OpenVPN")
    b = r.u8("opcode")
    op, key = b >> 3, b & 7
    need(op == 7, f"opcode {op}, want P_CONTROL_HARD_RESET_CLIENT_V2 (7)")
    need(key == 0, "a hard reset uses key id 0")
    sid = r.take(8, "session id")
    need(any(sid), "session id is zero")
    n = r.u8("ack array length")
    need(n == 0, "the client's first packet acknowledges nothing")
    pid = r.u32("message packet id")
    need(pid == 0, "first control packet id is 0")
    extra = r.left()
    return f"OpenVPN P_CONTROL_HARD_RESET_CLIENT_V2 session={sid.hex()}" + (f" +{extra} B TLV" if extra else "")


def check_mssql(d):
    need(len(d) >= 1, "empty")
    kind = {2: "CLNT_BCAST_EX", 3: "CLNT_UCAST_EX", 4: "CLNT_UCAST_INST", 0x0A: "CLNT_MCAST_EX", 0x0F: "CLNT_UCAST_DAC"}.get(d[0])
    need(kind, f"first byte 0x{d[0]:02x} is not an MC-SQLR request")
    need(len(d) == 1 or kind in ("CLNT_UCAST_INST", "CLNT_UCAST_DAC"), f"{kind} is a single byte")
    return f"MC-SQLR {kind}"


def check_l2tp(d):
    r = Reader(d, "L2TP")
    flags = r.u16("flags")
    need(flags & 0x8000 and flags & 0x4000 and flags & 0x0800, "control messages set T, L and S (RFC 2661 3.1)")
    need(flags & 0x0200 == 0 and flags & 0x000F == 2, "O must be 0 and version 2")
    length, tunnel, session, ns, nr = (r.u16(f) for f in ("length", "tunnel", "session", "Ns", "Nr"))
    need(length == len(d), f"length field {length}, message {len(d)} bytes")
    need(tunnel == 0 and session == 0, "SCCRQ goes to tunnel 0, session 0")
    avps = []
    while r.left():
        h = r.u16("AVP flags/length")
        alen = h & 0x03FF
        need(h & 0x3C00 == 0, "AVP reserved bits set")
        need(alen >= 6, "AVP length < 6")
        vendor, attr = r.u16(), r.u16()
        val = r.take(alen - 6, "AVP value")
        need(vendor == 0, "vendor-specific AVP")
        avps.append((attr, val, bool(h & 0x8000)))
    need(avps and avps[0][0] == 0 and len(avps[0][1]) == 2, "first AVP must be Message Type (RFC 2661 4.4.1)")
    mtype = struct.unpack(">H", avps[0][1])[0]
    need(mtype == 1, f"message type {mtype}, want SCCRQ (1)")
    got = {a: v for a, v, _ in avps}
    for attr, name in ((2, "Protocol Version"), (7, "Host Name"), (3, "Framing Capabilities"), (9, "Assigned Tunnel ID")):
        need(attr in got, f"SCCRQ lacks the {name} AVP (RFC 2661 6.1)")
    need(got[2] == b"\x01\x00", "Protocol Version must be 1.0")
    need(len(got[9]) == 2 and got[9] != b"\x00\x00", "Assigned Tunnel ID must be non-zero")
    need(all(m for a, _, m in avps if a in (0, 2, 3, 7, 9)), "M bit missing on a mandatory AVP")
    return f"L2TPv2 SCCRQ host={got[7].decode()!r} tunnel-id={struct.unpack('>H', got[9])[0]} AVPs={len(avps)}"


def check_stun(d):
    r = Reader(d, "STUN")
    mtype, mlen, cookie = r.u16(), r.u16(), r.u32()
    tid = r.take(12, "transaction id")
    need(mtype & 0xC000 == 0, "top two bits must be 0")
    need(mtype == 0x0001, f"type 0x{mtype:04x}, want Binding request")
    need(cookie == 0x2112A442, "magic cookie missing (RFC 8489 5)")
    need(mlen == r.left() and mlen % 4 == 0, f"length {mlen} but {r.left()} bytes of attributes")
    n = 0
    while r.left():
        r.u16("attribute type")
        alen = r.u16("attribute length")
        r.take(alen + (-alen % 4), "attribute value")
        n += 1
    return f"STUN Binding request tid={tid.hex()} attributes={n}"


def check_natpmp(d):
    need(d == b"\x00\x00", "NAT-PMP external address request is version 0, opcode 0 (RFC 6886 3.2)")
    return "NAT-PMP external address request"


def check_coap(d, want_path):
    r = Reader(d, "CoAP")
    b0, code, mid = r.u8(), r.u8(), r.u16()
    ver, typ, tkl = b0 >> 6, (b0 >> 4) & 3, b0 & 0x0F
    need(ver == 1, "version must be 1")
    need(tkl <= 8, "token length 9..15 is reserved (RFC 7252 3)")
    need(code >> 5 == 0 and 1 <= code & 0x1F <= 4, f"code {code >> 5}.{code & 0x1F:02d} is not a request method")
    need(typ in (0, 1), "a request is CON or NON")
    token = r.take(tkl, "token")
    number, path, opts = 0, [], []
    while r.left():
        ob = r.u8("option header")
        if ob == 0xFF:
            need(r.left(), "payload marker followed by no payload (RFC 7252 3)")
            r.take(r.left())
            break
        delta, length = ob >> 4, ob & 0x0F
        need(delta != 15 and length != 15, "nibble 15 is reserved outside the payload marker")
        if delta == 13:
            delta = 13 + r.u8()
        elif delta == 14:
            delta = 269 + r.u16()
        if length == 13:
            length = 13 + r.u8()
        elif length == 14:
            length = 269 + r.u16()
        number += delta
        val = r.take(length, f"option {number}")
        opts.append(number)
        if number == 11:
            path.append(val.decode())
    p = "/" + "/".join(path)
    need(p == want_path, f"Uri-Path {p}, want {want_path}")
    method = {1: "GET", 2: "POST", 3: "PUT", 4: "DELETE"}[code & 0x1F]
    return f"CoAP {('CON', 'NON')[typ]} {method} {p} mid=0x{mid:04x} token={token.hex()} options={opts}"


def bdecode(d, i=0):
    c = d[i:i + 1]
    if c == b"i":
        j = d.index(b"e", i)
        need(re.fullmatch(rb"-?(0|[1-9]\d*)", d[i + 1:j]), "bad bencoded integer")
        return int(d[i + 1:j]), j + 1
    if c in (b"l", b"d"):
        i, items = i + 1, []
        while d[i:i + 1] != b"e":
            need(i < len(d), "unterminated bencoded list/dict")
            v, i = bdecode(d, i)
            items.append(v)
        if c == b"l":
            return items, i + 1
        need(len(items) % 2 == 0, "dict with an odd number of items")
        keys = items[0::2]
        need(all(isinstance(k, bytes) for k in keys), "dict key is not a string")
        need(keys == sorted(keys) and len(set(keys)) == len(keys), "dict keys not sorted/unique (BEP 3)")
        return dict(zip(keys, items[1::2])), i + 1
    m = re.match(rb"(0|[1-9]\d*):", d[i:])
    need(m, f"bad bencoding at offset {i}")
    n, start = int(m.group(1)), i + m.end()
    need(start + n <= len(d), "bencoded string runs past the end")
    return d[start:start + n], start + n


def check_dht(d):
    try:
        msg, end = bdecode(d)
    except (ValueError, IndexError):
        raise Bad("bencoding does not parse")
    need(end == len(d), "trailing bytes after the bencoded message")
    need(isinstance(msg, dict) and msg.get(b"y") == b"q", "not a KRPC query (y=q)")
    need(msg.get(b"q") == b"ping", "query is not ping")
    need(isinstance(msg.get(b"t"), bytes) and msg[b"t"], "transaction id missing")
    a = msg.get(b"a")
    need(isinstance(a, dict) and isinstance(a.get(b"id"), bytes) and len(a[b"id"]) == 20, "a.id must be a 20-byte node id")
    return f"BitTorrent DHT KRPC ping t={msg[b't']!r}"


def check_ubnt(d):
    need(d == b"\x01\x00\x00\x00", "Ubiquiti discovery v1 request is 01 00 00 00")
    return "Ubiquiti discovery v1 request"


def check_memcached(d):
    r = Reader(d, "memcached")
    rid, seq, total, res = r.u16(), r.u16(), r.u16(), r.u16()
    need(seq == 0 and total == 1, "a single-datagram request has sequence 0 of 1")
    need(res == 0, "reserved field must be 0")
    cmd = r.take(r.left())
    need(cmd.endswith(b"\r\n") and cmd.count(b"\r\n") == 1, "one command line ending with CRLF")
    line = cmd[:-2].decode("ascii")
    need(line.split()[0] in ("version", "stats"), f"command {line!r}: only read-only version/stats")
    need(not line.startswith("get"), "no get on UDP (multi-datagram reflection)")
    return f"memcached UDP frame id=0x{rid:04x} command={line!r}"


def check_raknet(d):
    r = Reader(d, "RakNet")
    pid = r.u8()
    need(pid in (0x01, 0x02), f"packet id 0x{pid:02x}, want Unconnected Ping (0x01)")
    r.take(8, "time")
    need(r.take(16, "magic") == bytes.fromhex("00ffff00fefefefefdfdfdfd12345678"), "offline-message magic wrong")
    guid = r.take(8, "client GUID")
    r.end()
    return f"RakNet Unconnected Ping guid={guid.hex()}"


def check_a2s(d):
    need(d.startswith(b"\xff\xff\xff\xffTSource Engine Query\x00"), "not an A2S_INFO request")
    need(len(d) in (25, 29), "A2S_INFO is 25 bytes, or 29 with a challenge")
    return "Source engine A2S_INFO" + (" with challenge" if len(d) == 29 else "")


def check_enip(d):
    need(len(d) == 24, "ListIdentity is a bare 24-byte encapsulation header")
    cmd, length, session, status, ctx, options = struct.unpack("<HHII8sI", d)
    need(cmd == 0x0063, f"command 0x{cmd:04x}, want ListIdentity (0x0063)")
    need(length == 0 and session == 0 and status == 0 and options == 0, "length, session, status and options must be 0")
    return f"EtherNet/IP ListIdentity context={ctx!r}"


BACNET_SERVICES = {12: "ReadProperty", 14: "ReadPropertyMultiple"}


def check_bacnet(d):
    r = Reader(d, "BACnet/IP")
    need(r.u8() == 0x81, "BVLC type must be 0x81 (BACnet/IP, Annex J)")
    fn = r.u8()
    need(fn == 0x0A, f"BVLC function 0x{fn:02x}, want Original-Unicast-NPDU (0x0A)")
    need(r.u16() == len(d), "BVLC length differs from the datagram length")
    need(r.u8() == 0x01, "NPDU version must be 1")
    ctrl = r.u8()
    need(ctrl & 0x80 == 0, "network-layer message, not an APDU")
    need(ctrl & 0x28 == 0, "DNET/SNET present: this probe is for the local device")
    first = r.u8()
    need(first >> 4 == 0, "APDU is not BACnet-Confirmed-Request")
    need(first & 0x08 == 0, "segmented request")
    need(ctrl & 0x04, "a confirmed request sets 'data expecting reply' in the NPDU")
    r.u8("max segs / max APDU")
    invoke, service = r.u8(), r.u8()
    need(service in BACNET_SERVICES, f"service choice {service}")
    tag = r.u8()
    need(tag == 0x0C, "context tag 0, length 4 (BACnetObjectIdentifier) expected")
    oid = r.u32()
    otype, inst = oid >> 22, oid & 0x3FFFFF
    tag = r.u8()
    need(tag & 0xF8 == 0x18 and 1 <= tag & 7 <= 4, "context tag 1 (property identifier) expected")
    prop = int.from_bytes(r.take(tag & 7), "big")
    r.end()
    need(otype == 8, "object type is not device (8)")
    return f"BACnet/IP {BACNET_SERVICES[service]} device,{inst} property {prop} invoke-id={invoke}"


def check_xdmcp(d):
    r = Reader(d, "XDMCP")
    ver, op, length = r.u16(), r.u16(), r.u16()
    need(ver == 1, "XDMCP version must be 1")
    need(op in (1, 2), f"opcode {op}, want BroadcastQuery (1) or Query (2)")
    need(length == r.left(), f"length {length} but {r.left()} bytes follow")
    names = [r.take(r.u16("ARRAY8 length"), "ARRAY8") for _ in range(r.u8("ARRAYofARRAY8 count"))]
    r.end()
    return f"XDMCP {'Query' if op == 2 else 'BroadcastQuery'} authentication-names={len(names)}"


def check_mumble(d):
    need(len(d) == 12 and d[:4] == bytes(4), "Mumble ping is 4 zero bytes and an 8-byte ident")
    return f"Mumble UDP ping ident={d[4:].hex()}"


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
    here = os.path.dirname(os.path.abspath(__file__))
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


if __name__ == "__main__":
    sys.exit(main(sys.argv))
