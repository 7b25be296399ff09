"""UDP services: udp_services.py LOG PIDFILE SRC4[,...] SRC6[,...]

In the target namespace, answers from the probed address and only to the scanner (SRC4 / SRC6):
NTP on :123 (a server reply whose fields derive from the address), SSDP on :1900 (a 200 OK with
headers naming the address), BACnet/IP on :47808 (a Complex-ACK with the request's invoke ID).
Every reply is logged to LOG as one JSON line {"port", "addr", "fields"}, the fields as the
scanner should report them, as strings (ground truth for the parsed fields).
"""
import ipaddress
import json
import select
import struct
import sys
import time

from labnet import answer, ready, receive, udp_pair

NTP_EPOCH = 2208988800


def seed(addr):
    return sum(ipaddress.ip_address(addr).packed) + len(addr)


def ntp(addr, req):
    if len(req) < 48 or req[0] & 7 != 3:
        return None, None
    s = seed(addr)
    now = time.time() + NTP_EPOCH
    ts = lambda t: (int(t) << 32) | int((t % 1) * (1 << 32))
    f = {"LI_VN_MODE": 0x24, "stratum": 1 + s % 15, "poll": 6, "precision": 0xE9,
         "root_delay": 0x100 + s, "root_dispersion": 0x200 + s, "reference_clock_identifier": 0x584C4142,
         "reference_timestamp": ts(now - 60 - s), "originate_timestamp": struct.unpack("!Q", req[40:48])[0],
         "receive_timestamp": ts(now), "transmit_timestamp": ts(now)}
    pkt = struct.pack("!BBBBIII", f["LI_VN_MODE"], f["stratum"], f["poll"], f["precision"], f["root_delay"],
                      f["root_dispersion"], f["reference_clock_identifier"])
    pkt += struct.pack("!QQQQ", f["reference_timestamp"], f["originate_timestamp"], f["receive_timestamp"],
                       f["transmit_timestamp"])
    return pkt, {k: str(v) for k, v in f.items()}


def ssdp(addr, req):
    if not req.startswith(b"M-SEARCH * HTTP/1.1\r\n"):
        return None, None
    host = "[%s]" % addr if ":" in addr else addr
    f = {"server": "xmaplab/1.0 UPnP/1.0 lab/%d" % seed(addr), "location": "http://%s:80/desc.xml" % host,
         "usn": "uuid:%s::upnp:rootdevice" % addr, "st": "upnp:rootdevice", "ext": "",
         "cache_control": "max-age=1800", "date": "Tue, 01 Dec 2026 10:00:00 GMT"}
    text = ("HTTP/1.1 200 OK\r\nCACHE-CONTROL: %(cache_control)s\r\nDATE: %(date)s\r\nEXT:\r\n"
            "LOCATION: %(location)s\r\nSERVER: %(server)s\r\nST: %(st)s\r\nUSN: %(usn)s\r\n\r\n") % f
    return text.encode(), f


def bacnet(addr, req):
    if len(req) < 10 or req[0] != 0x81 or req[9] != 0x0C:
        return None, None
    inst = seed(addr) & 0x3FFFFF
    apdu = bytes([0x30, req[8], 0x0C, 0x0C, 0x02, 0x3F, 0xFF, 0xFF, 0x19, 0x4B, 0x3E, 0xC4]) + struct.pack("!I", (8 << 22) | inst) + b"\x3f"
    pkt = bytes([0x81, 0x0A]) + struct.pack("!H", 4 + 2 + len(apdu)) + b"\x01\x00" + apdu
    return pkt, {"udp_payload": pkt.hex()}


SERVICES = {123: ntp, 1900: ssdp, 47808: bacnet}


def main(log_path, pidfile, src4, src6):
    allowed = set(src4.split(",")) | set(src6.split(","))
    log = open(log_path, "a", buffering=1)
    socks = {}
    for port in SERVICES:
        s4, s6 = udp_pair(port)
        socks[s4] = (port, 4)
        socks[s6] = (port, 6)
    ready(pidfile)
    while True:
        for s in select.select(list(socks), [], [])[0]:
            port, family = socks[s]
            got = receive(s, family)
            if got is None:
                continue
            data, peer, addr, cmsg = got
            if peer[0] not in allowed or cmsg is None:
                continue
            reply, fields = SERVICES[port](addr, data)
            if reply is not None and answer(s, reply, cmsg, peer, addr):
                log.write(json.dumps({"port": port, "addr": addr, "fields": fields}) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:5])
