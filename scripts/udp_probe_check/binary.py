"""Binary request/response protocols: NTP, TFTP, ONC RPC, RIP, RMCP, MC-SQLR, NAT-PMP, CoAP,
BitTorrent DHT, Ubiquiti, memcached, RakNet, A2S, EtherNet/IP, BACnet/IP, XDMCP, Mumble."""
import re
import struct

from .core import Bad, Reader, need


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


def check_mssql(d):
    need(len(d) >= 1, "empty")
    kind = {2: "CLNT_BCAST_EX", 3: "CLNT_UCAST_EX", 4: "CLNT_UCAST_INST", 0x0A: "CLNT_MCAST_EX", 0x0F: "CLNT_UCAST_DAC"}.get(d[0])
    need(kind, f"first byte 0x{d[0]:02x} is not an MC-SQLR request")
    need(len(d) == 1 or kind in ("CLNT_UCAST_INST", "CLNT_UCAST_DAC"), f"{kind} is a single byte")
    return f"MC-SQLR {kind}"


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
