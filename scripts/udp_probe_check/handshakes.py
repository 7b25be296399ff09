"""Probes that open a session: QUIC (443), IKEv2 (500, 4500), OpenVPN (1194), L2TP (1701),
STUN (3478)."""
import struct

from .core import Reader, need


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
