"""BER / DER (X.690) and the protocols written in it: SNMP (161), CLDAP (389), Kerberos (88)."""
import re

from .core import Reader, need


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
