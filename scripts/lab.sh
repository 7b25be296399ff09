#!/usr/bin/env bash
# lab.sh - a throw-away, fully isolated network lab for scanner tests.
#
# Topology (everything lives in two network namespaces created here; nothing
# is ever attached to the root namespace, so no packet can leave the lab):
#
#   +------------- ${NAME}-scan ------------+        +-------------- ${NAME}-net ---------------+
#   |                                       |  veth  |                                          |
#   |  ${NAME}s  192.0.2.1/30               |<------>|  ${NAME}t  192.0.2.2/30                  |
#   |            2001:db8:ffff::1/64        |        |            2001:db8:ffff::2/64           |
#   |  default via 192.0.2.2                |        |  AnyIP "live hosts" (ip route add local):|
#   |  default via 2001:db8:ffff::2         |        |    198.51.100.0/26 + .77 .130 .201 .254  |
#   |  (neighbour table left empty: the     |        |    2001:db8:1::/122 + ::77 ::a0 ::f1 ::ff|
#   |   scanner must resolve the gateway)   |        |    198.18.0.0/16 (all 65,536 live)       |
#   |                                       |        |  DNS :53 (BIND via DNAT, see DNS4_* below)|
#   |                                       |        |  everything else: blackhole (silent drop)|
#   +---------------------------------------+        |  TCP :80 listener (v4+v6, SYN-ACK)       |
#                                                    |  UDP :5353 responder (replies from the   |
#                                                    |    probed address, only to the scanner)  |
#                                                    |  no forwarding, no ICMP rate limits      |
#                                                    |  optional LAB_LOSS=N% ingress drop (nft) |
#                                                    +------------------------------------------+
#
# Usage:
#   scripts/lab.sh up   [NAME]            create the lab; print env lines (also in $LAB_DIR/env)
#   scripts/lab.sh down [NAME]            tear it down (idempotent; NAME defaults to $LAB_NAME)
#   scripts/lab.sh run  [NAME] -- CMD...  up, run CMD (root namespace) with the env exported,
#                                         always down, exit with CMD's status
#
#   eval "$(scripts/lab.sh up)"
#   ip netns exec "$LAB_SCAN" ping -c1 198.51.100.5
#   scripts/lab.sh down "$LAB_NAME"
#
# Environment at `up`: LAB_DNS=0 leaves the DNS server out (benchmarks: no connection tracking).
# LAB_LIVE16=0 leaves 198.18.0.0/16 dead too (benchmarks: 198.18.0.0/15 blackholed, no replies).
# LAB_LOSS=N (0..100, default 0) drops N% of the IP packets
# entering the net namespace on the veth (ARP and neighbour discovery are exempt
# so gateway resolution stays deterministic).
#
# Ground truth in $LAB_DIR (one address per line, LC_ALL=C sort order, IPv6 in
# Python ipaddress compressed form): live4.txt live6.txt tcp80_4.txt tcp80_6.txt
# udp5353_4.txt udp5353_6.txt, and with BIND installed dns{4,6}_{noerror,refused,nxdomain,unreach}.txt
# (how each address answers a question about example.test on port 53) plus dns/example.test.zone
# (the zone, unsigned) for expected answers.  Also gw_mac.txt / scan_mac.txt (veth MACs).
#
# A lab NAME is registered in /tmp/xmaplab-NAME.dir (contains $LAB_DIR); only
# namespaces recorded in $LAB_DIR/namespaces (or carrying this lab's marker
# alias on their veth) are ever deleted.

set -euo pipefail

# ---------------------------------------------------------------- constants
readonly SRC4=192.0.2.1 GW4=192.0.2.2 LINK4_LEN=30
readonly SRC6=2001:db8:ffff::1 GW6=2001:db8:ffff::2 LINK6_LEN=64
readonly TARGETS4=198.51.100.0/24 TARGETS6=2001:db8:1::/120
readonly TCP_PORT=80 UDP_PORT=5353
# The scanner's end of the L3 (tun) link to the target network, for -X/--iplayer scans.
readonly TUN4=203.0.113.1 TUN6=2001:db8:ffff:1::1
# Routed as unreachable in the target network: its router answers with ICMPv6 errors.
readonly UNREACH6=2001:db8:2::/48
# Live (AnyIP) prefixes inside the target networks.
readonly LIVE4="198.51.100.0/26 198.51.100.77/32 198.51.100.130/32 198.51.100.201/32 198.51.100.254/32"
readonly LIVE6="2001:db8:1::/122 2001:db8:1::77/128 2001:db8:1::a0/128 2001:db8:1::f1/128 2001:db8:1::ff/128"
# A whole live /16 (outside TARGETS4), for full-rate scans where every probe is answered.
readonly LIVE16=198.18.0.0/16
# DNS (BIND, in the target namespace): UDP/53 to these live groups is forwarded (DNAT) to one of
# three server addresses, each with its own view: the signed zone example.test, REFUSED, or an
# empty example.test (NXDOMAIN). Other live addresses answer port 53 with ICMP port unreachable.
readonly DNS4_NOERROR=198.51.100.0/27 DNS4_REFUSED=198.51.100.32/28 DNS4_NXDOMAIN=198.51.100.48/28
readonly DNS6_NOERROR=2001:db8:1::/123 DNS6_REFUSED=2001:db8:1::20/124 DNS6_NXDOMAIN=2001:db8:1::30/124
readonly DNS_SERVER4=10.53.0 DNS_SERVER6=fd53:
readonly DNS_ZONE=example.test
readonly REG_PREFIX=/tmp/xmaplab-
readonly MAX_NAME_LEN=12          # "${NAME}s" must fit IFNAMSIZ-1 = 15

log() { printf 'lab: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    cat >&2 <<'EOF'
usage: lab.sh up   [NAME]
       lab.sh down [NAME]
       lab.sh run  [NAME] -- CMD [ARGS...]
env:   LAB_LOSS=N   percent of packets dropped entering the target namespace (up/run)
EOF
    exit 2
}

valid_name() {
    [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9_-]*$ ]] && (( ${#1} <= MAX_NAME_LEN ))
}

registry_of() { printf '%s%s.dir' "$REG_PREFIX" "$1"; }

# (Output is captured before matching: with pipefail, `... | grep -q` can fail on SIGPIPE.)
ns_exists() {
    local list
    list=$(ip netns list 2>/dev/null | awk '{print $1}') || true
    grep -qxF -- "$1" <<<"$list"
}

pick_python() {
    if [[ -x /usr/bin/python3 ]]; then echo /usr/bin/python3; else command -v python3; fi
}

# Install a Debian package only when the given tool is missing.
need_tool() { # TOOL PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    log "installing $2 (missing $1)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" >&2 \
        || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" >&2; }
    command -v "$1" >/dev/null 2>&1 || die "could not install $1"
}

# Write a sysctl inside a namespace ("net.ipv4.ip_forward" style key).
ns_sysctl() { # NS KEY VALUE
    local path=/proc/sys/${2//./\/}
    ip netns exec "$1" sh -c 'printf "%s\n" "$2" > "$1"' _ "$path" "$3"
}
# Same, but silently skip keys this kernel does not have.
ns_sysctl_opt() { # NS KEY VALUE
    local path=/proc/sys/${2//./\/}
    ip netns exec "$1" sh -c '[ ! -e "$1" ] || printf "%s\n" "$2" > "$1"' _ "$path" "$3"
}

# ---------------------------------------------------------------- responder
# Written to $LAB_DIR/responder.py at `up`.  Two modes:
#   tcp PORT PIDFILE            dual-stack listener, huge backlog, accepts and closes
#   udp PORT PIDFILE SRC4 SRC6  replies to each datagram from SRC4/SRC6 with
#                               b"xmaplab <probed address>\n", sent FROM the probed address
write_responder() {
    cat >"$1" <<'PY'
import os, select, socket, struct, sys

IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)
IP_FREEBIND = getattr(socket, "IP_FREEBIND", 15)
IPV6_RECVPKTINFO = getattr(socket, "IPV6_RECVPKTINFO", 49)
IPV6_PKTINFO = getattr(socket, "IPV6_PKTINFO", 50)


def ready(pidfile):
    tmp = pidfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(tmp, pidfile)


def tcp(port, pidfile):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(65535)
    ready(pidfile)
    while True:  # accept + close keeps the accept queue from ever filling up
        try:
            c, _ = s.accept()
            c.close()
        except OSError as e:
            print("accept:", e, file=sys.stderr, flush=True)


def udp(port, pidfile, src4, src6):
    s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s4.setsockopt(socket.SOL_IP, IP_PKTINFO, 1)
    s4.setsockopt(socket.SOL_IP, IP_FREEBIND, 1)
    s4.bind(("0.0.0.0", port))
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s6.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
    s6.setsockopt(socket.SOL_IP, IP_FREEBIND, 1)  # lets IPV6_PKTINFO use AnyIP sources
    s6.bind(("::", port))
    ready(pidfile)
    allowed = {s4: src4.split(","), s6: src6.split(",")}
    while True:
        for s in select.select([s4, s6], [], [])[0]:
            try:
                data, anc, _flags, peer = s.recvmsg(65535, 256)
            except OSError:
                continue
            if peer[0] not in allowed[s]:  # only ever answer the scanner
                continue
            cmsg = None
            for level, ctype, cdata in anc:
                if s is s4 and level == socket.SOL_IP and ctype == IP_PKTINFO:
                    _ifindex, _spec, dst = struct.unpack("i4s4s", cdata[:12])
                    text = socket.inet_ntop(socket.AF_INET, dst)
                    cmsg = (socket.SOL_IP, IP_PKTINFO, struct.pack("i4s4s", 0, dst, bytes(4)))
                elif s is s6 and level == socket.IPPROTO_IPV6 and ctype == IPV6_PKTINFO:
                    dst, _ifindex = struct.unpack("16si", cdata[:20])
                    text = socket.inet_ntop(socket.AF_INET6, dst)
                    cmsg = (socket.IPPROTO_IPV6, IPV6_PKTINFO, struct.pack("16si", dst, 0))
            if cmsg is None:
                continue
            try:
                s.sendmsg([b"xmaplab " + text.encode() + b"\n"], [cmsg], 0, peer)
            except OSError as e:
                print("sendmsg to", peer, "from", text, ":", e, file=sys.stderr, flush=True)


if __name__ == "__main__":
    mode, port, pidfile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "tcp":
        tcp(port, pidfile)
    else:
        udp(port, pidfile, sys.argv[4], sys.argv[5])
PY
}

# Ground truth: every address of the LIVE prefixes inside the target network.
# An L3 link between the namespaces: a tun device in each, with a relay copying IP packets
# between them (no Ethernet header; what VPN and tunnel interfaces look like to xmap -X).
write_tun_relay() {
    cat >"$1" <<'PY'
import ctypes, fcntl, os, select, struct, subprocess, sys

net_path, scan_dev, net_dev, tun4, tun6, pidfile = sys.argv[1:7]
TUNSETIFF, IFF_TUN, IFF_NO_PI, CLONE_NEWNET = 0x400454CA, 0x0001, 0x1000, 0x40000000

def tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd

def ip(*args):
    subprocess.run(["ip"] + list(args), check=True)

scan_fd = tun(scan_dev)                      # in the scanner namespace
ip("link", "set", scan_dev, "up")
ip("addr", "add", tun4 + "/32", "dev", scan_dev)
ip("-6", "addr", "add", tun6 + "/128", "dev", scan_dev, "nodad")
libc = ctypes.CDLL(None, use_errno=True)
if libc.setns(os.open(net_path, os.O_RDONLY), CLONE_NEWNET) != 0:
    sys.exit("setns failed: %d" % ctypes.get_errno())
net_fd = tun(net_dev)                        # in the target network namespace
ip("link", "set", net_dev, "up")
ip("route", "add", tun4 + "/32", "dev", net_dev)
ip("-6", "route", "add", tun6 + "/128", "dev", net_dev)
with open(pidfile, "w") as f:
    f.write("%d\n" % os.getpid())
peer = {scan_fd: net_fd, net_fd: scan_fd}
while True:
    ready, _, _ = select.select([scan_fd, net_fd], [], [])
    for fd in ready:
        os.write(peer[fd], os.read(fd, 65535))
PY
}

write_truth() { # DIR
    local py
    py=$(pick_python)
    "$py" - "$1" "$TARGETS4" "$LIVE4" "$TARGETS6" "$LIVE6" <<'PY'
import ipaddress, os, sys
d = sys.argv[1]
for fam, target, live in (("4", sys.argv[2], sys.argv[3]), ("6", sys.argv[4], sys.argv[5])):
    net = ipaddress.ip_network(target)
    addrs = set()
    for p in live.split():
        addrs.update(a for a in ipaddress.ip_network(p) if a in net)
    lines = "".join(sorted(str(a) + "\n" for a in addrs))  # == LC_ALL=C sort
    for name in ("live", "tcp80_", "udp5353_", "ntp", "upnp", "bacnet"):
        with open(os.path.join(d, f"{name}{fam}.txt"), "w") as f:
            f.write(lines)
    if fam == "4":  # IP-in-IP: even last octets decapsulate, odd ones answer protocol unreachable
        for name, parity in (("ipip4_decap.txt", 0), ("ipip4_unreach.txt", 1)):
            with open(os.path.join(d, name), "w") as f:
                f.write("".join(sorted(str(a) + "\n" for a in addrs if int(a) % 2 == parity)))
PY
}

# ---------------------------------------------------------------- UDP services and IP-in-IP
# Written to $LAB_DIR/services.py at `up`.  In the target namespace it answers, from the probed
# address and only to the scanner: NTP on :123 (a server reply whose fields derive from the
# address), SSDP on :1900 (a 200 OK with headers naming the address), BACnet/IP on :47808 (a
# Complex-ACK with the request's invoke ID).  Every reply is logged to services.log as one JSON
# line {"port", "addr", "fields"}, the fields as the scanner should report them, as strings
# (ground truth for the parsed fields).  It also decapsulates
# IP-in-IP in user space (this kernel has no ipip module): a packet to a live address with an
# even last octet has its inner packet sent on; an odd one is answered with ICMP protocol
# unreachable, as a host without IP-in-IP answers.
write_services() {
    cat >"$1" <<'PY'
import ipaddress, json, os, select, socket, struct, sys, time

IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)
IP_FREEBIND = getattr(socket, "IP_FREEBIND", 15)
IPV6_RECVPKTINFO = getattr(socket, "IPV6_RECVPKTINFO", 49)
IPV6_PKTINFO = getattr(socket, "IPV6_PKTINFO", 50)
NTP_EPOCH = 2208988800

log_path, pidfile, src4, src6, live4 = sys.argv[1:6]
allowed = set(src4.split(",")) | set(src6.split(","))
live = [ipaddress.ip_network(p) for p in live4.split()]
log = open(log_path, "a", buffering=1)


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


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


socks = {}
for port in SERVICES:
    s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s4.setsockopt(socket.SOL_IP, IP_PKTINFO, 1)
    s4.setsockopt(socket.SOL_IP, IP_FREEBIND, 1)
    s4.bind(("0.0.0.0", port))
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s6.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
    s6.setsockopt(socket.SOL_IP, IP_FREEBIND, 1)
    s6.bind(("::", port))
    socks[s4] = (port, 4)
    socks[s6] = (port, 6)
ipip = socket.socket(socket.AF_INET, socket.SOCK_RAW, 4)
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
with open(pidfile + ".tmp", "w") as f:
    f.write("%d\n" % os.getpid())
os.rename(pidfile + ".tmp", pidfile)


def decapsulate(pkt):
    if len(pkt) < 40 or pkt[0] >> 4 != 4:
        return
    ihl = (pkt[0] & 15) * 4
    src, dst = socket.inet_ntoa(pkt[12:16]), socket.inet_ntoa(pkt[16:20])
    if src not in allowed or not any(ipaddress.ip_address(dst) in n for n in live):
        return
    if int(ipaddress.ip_address(dst)) % 2 == 0:
        inner = pkt[ihl:]
        raw.sendto(inner, (socket.inet_ntoa(inner[16:20]), 0))
        return
    quote = pkt[:548]
    body = bytes([3, 2, 0, 0, 0, 0, 0, 0]) + quote
    body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 0, 0, 64, 1, 0, pkt[16:20], pkt[12:16])
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    icmp.sendto(hdr + body, (src, 0))


while True:
    for s in select.select(list(socks) + [ipip], [], [])[0]:
        if s is ipip:
            try:
                decapsulate(ipip.recv(65535))
            except OSError as e:
                print("ipip:", e, file=sys.stderr, flush=True)
            continue
        port, fam = socks[s]
        try:
            data, anc, _flags, peer = s.recvmsg(65535, 256)
        except OSError:
            continue
        if peer[0] not in allowed:
            continue
        cmsg = addr = None
        for level, ctype, cdata in anc:
            if fam == 4 and level == socket.SOL_IP and ctype == IP_PKTINFO:
                _ifindex, _spec, dst = struct.unpack("i4s4s", cdata[:12])
                addr = socket.inet_ntop(socket.AF_INET, dst)
                cmsg = (socket.SOL_IP, IP_PKTINFO, struct.pack("i4s4s", 0, dst, bytes(4)))
            elif fam == 6 and level == socket.IPPROTO_IPV6 and ctype == IPV6_PKTINFO:
                dst, _ifindex = struct.unpack("16si", cdata[:20])
                addr = socket.inet_ntop(socket.AF_INET6, dst)
                cmsg = (socket.IPPROTO_IPV6, IPV6_PKTINFO, struct.pack("16si", dst, 0))
        if cmsg is None:
            continue
        reply, fields = SERVICES[port](addr, data)
        if reply is None:
            continue
        try:
            s.sendmsg([reply], [cmsg], 0, peer)
            log.write(json.dumps({"port": port, "addr": addr, "fields": fields}) + "\n")
        except OSError as e:
            print("sendmsg to", peer, "from", addr, ":", e, file=sys.stderr, flush=True)
PY
}

# ---------------------------------------------------------------- DNS server
# Zone files, keys, the signed zone and named.conf in $LAB_DIR/dns.
write_dns() { # DIR
    local d=$1/dns
    mkdir -p "$d"
    cat >"$d/example.test.zone" <<'ZONE'
$TTL 300
@         IN SOA   ns1.example.test. hostmaster.example.test. 2024010101 3600 900 604800 300
@         IN NS    ns1.example.test.
ns1       IN A     198.51.100.1
ns1       IN AAAA  2001:db8:1::1
www       IN A     192.0.2.80
www       IN AAAA  2001:db8::80
@         IN MX    10 mail.example.test.
mail      IN A     192.0.2.25
@         IN TXT   "v=spf1 -all"
multi     IN TXT   "first string" "second string" "third"
_sip._udp IN SRV   10 5 5060 sip.example.test.
@         IN CAA   0 issue "ca.example.net"
alias     IN CNAME www.example.test.
sub       IN NS    ns.sub.example.test.
ns.sub    IN A     198.51.100.53
ZONE
    printf '%s\n' '$TTL 300' \
        '@    IN SOA ns1.example.test. hostmaster.example.test. 1 3600 900 604800 300' \
        '@    IN NS  ns1.example.test.' 'ns1  IN A   198.51.100.1' >"$d/empty.zone"
    # version.bind in class CHAOS, served by a view of our own (BIND's built-in one rate-limits).
    printf '%s\n' '$TTL 0' '@ CH SOA bind. hostmaster.bind. 1 3600 900 604800 0' '@ CH NS bind.' \
        'version CH TXT "xmap-lab"' >"$d/bind.zone"
    ( cd "$d" && dnssec-keygen -q -K . -a ECDSAP256SHA256 -f KSK "$DNS_ZONE" >/dev/null \
        && dnssec-keygen -q -K . -a ECDSAP256SHA256 "$DNS_ZONE" >/dev/null \
        && dnssec-signzone -q -K . -S -o "$DNS_ZONE" -N keep -f example.test.zone.signed example.test.zone >/dev/null ) \
        || die "could not sign the lab zone"
    cat >"$d/named.conf" <<CONF
controls { };
options {
    directory "$d";
    pid-file "$1/named.pid";
    listen-on port 53 { ${DNS_SERVER4}.1; ${DNS_SERVER4}.2; ${DNS_SERVER4}.3; };
    listen-on-v6 port 53 { ${DNS_SERVER6}:1; ${DNS_SERVER6}:2; ${DNS_SERVER6}:3; };
    recursion no;
    version "xmap-lab";
    dnssec-validation no;
    notify no;
    minimal-responses no;
    querylog yes;
};
logging {
    channel queries { file "$1/dns-queries.log"; print-time no; };
    category queries { queries; };
    category lame-servers { null; };
};
view "auth" {
    match-destinations { ${DNS_SERVER4}.1; ${DNS_SERVER6}:1; };
    zone "$DNS_ZONE" { type primary; file "example.test.zone.signed"; };
};
view "refused" {
    match-destinations { ${DNS_SERVER4}.2; ${DNS_SERVER6}:2; };
    allow-query { none; };
};
view "empty" {
    match-destinations { ${DNS_SERVER4}.3; ${DNS_SERVER6}:3; };
    zone "$DNS_ZONE" { type primary; file "empty.zone"; };
};
view "chaos" ch {
    match-clients { any; };
    zone "bind" ch { type primary; file "bind.zone"; };
};
CONF
}

# The DNS ground truth: which address answers how.
write_dns_truth() { # DIR
    "$(pick_python)" - "$1" "$TARGETS4" "$LIVE4" "$DNS4_NOERROR" "$DNS4_REFUSED" "$DNS4_NXDOMAIN" \
        "$TARGETS6" "$LIVE6" "$DNS6_NOERROR" "$DNS6_REFUSED" "$DNS6_NXDOMAIN" <<'PY'
import ipaddress, os, sys
d = sys.argv[1]
for fam, args in (("4", sys.argv[2:7]), ("6", sys.argv[7:12])):
    net = ipaddress.ip_network(args[0])
    live = {a for p in args[1].split() for a in ipaddress.ip_network(p) if a in net}
    groups = {k: set(ipaddress.ip_network(p)) for k, p in zip(("noerror", "refused", "nxdomain"), args[2:5])}
    groups["unreach"] = live - set().union(*groups.values())
    for k, addrs in groups.items():
        with open(os.path.join(d, f"dns{fam}_{k}.txt"), "w") as f:
            f.write("".join(sorted(str(a) + "\n" for a in addrs)))
PY
}

# ---------------------------------------------------------------- down
pids_in_ns() { ip netns pids "$1" 2>/dev/null || true; }

kill_ns_procs() { # NS...
    local ns pids i
    for i in 1 2 3 4 5 6 7 8 9 10 11; do
        pids=""
        for ns in "$@"; do pids+=" $(pids_in_ns "$ns" | tr '\n' ' ')"; done
        [[ -z ${pids// /} ]] && return 0
        if (( i == 11 )); then
            # shellcheck disable=SC2086
            kill -KILL $pids 2>/dev/null || true
            sleep 0.2
            return 0
        fi
        # shellcheck disable=SC2086
        kill -TERM $pids 2>/dev/null || true
        sleep 0.2
    done
}

# Is NS one of ours?  Recorded at creation, or marked by our veth alias.
owns_ns() { # NAME NS DIR
    local name=$1 ns=$2 dir=$3 dev info
    if [[ -n $dir && -f $dir/namespaces ]] && grep -qxF -- "$ns" "$dir/namespaces"; then
        return 0
    fi
    for dev in "${name}s" "${name}t"; do
        info=$(ip -n "$ns" -o link show dev "$dev" 2>/dev/null) || continue
        [[ $info == *"alias xmaplab:$name"* ]] && return 0
    done
    return 1
}

do_down() { # NAME
    local name=$1 reg dir="" ns pidfile pid
    reg=$(registry_of "$name")
    [[ -f $reg ]] && dir=$(head -n1 "$reg" 2>/dev/null || true)
    [[ $dir == /tmp/xmaplab.* ]] || dir=""

    local nss=()
    for ns in "${name}-net" "${name}-scan"; do
        if ns_exists "$ns"; then
            if owns_ns "$name" "$ns" "$dir"; then
                nss+=("$ns")
            else
                log "not touching namespace $ns: not created by this lab"
            fi
        fi
    done

    if [[ -z $dir && ${#nss[@]} -eq 0 ]]; then
        rm -f -- "$reg"
        log "no lab named $name (nothing to do)"
        return 0
    fi

    # Pid files first (only pids really inside our namespaces), then everything left.
    local killed=()
    if [[ -n $dir && ${#nss[@]} -gt 0 ]]; then
        for pidfile in "$dir"/*.pid; do
            [[ -f $pidfile ]] || continue
            pid=$(head -n1 "$pidfile" 2>/dev/null || true)
            [[ $pid =~ ^[0-9]+$ ]] || continue
            for ns in "${nss[@]}"; do
                if [[ $'\n'$(pids_in_ns "$ns")$'\n' == *$'\n'"$pid"$'\n'* ]]; then
                    kill -TERM "$pid" 2>/dev/null || true
                    killed+=("$pid")
                fi
            done
        done
    fi
    (( ${#nss[@]} == 0 )) || kill_ns_procs "${nss[@]}"
    # Give init a moment to reap them, so callers see no leftovers.
    local i
    for pid in "${killed[@]}"; do
        for i in 1 2 3 4 5 6 7 8 9 10; do [[ -e /proc/$pid ]] || break; sleep 0.1; done
    done
    for ns in "${nss[@]}"; do
        ip netns del "$ns" 2>/dev/null || log "warning: could not delete namespace $ns"
    done

    [[ -n $dir && -d $dir ]] && rm -rf -- "$dir"
    rm -f -- "$reg"
    log "lab $name is down"
}

# ---------------------------------------------------------------- up
CLEANUP_NAME=""          # set while a lab is being built (or by run): torn down on exit
BUILDING=0               # 1 while `up` is still building (for the failure message)

on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $CLEANUP_NAME ]]; then
        (( BUILDING == 0 )) || log "setting up lab $CLEANUP_NAME failed (status $rc); cleaning up"
        do_down "$CLEANUP_NAME" || true
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_for() { # DESCRIPTION TRIES CMD...
    local what=$1 tries=$2; shift 2
    while ! "$@"; do
        (( --tries > 0 )) || die "timed out waiting for $what"
        sleep 0.1
    done
}

count_listening() { # NS SS-FLAGS PORT MIN
    local n
    n=$(ip netns exec "$1" ss -H "$2" "sport = :$3" 2>/dev/null | wc -l)
    (( n >= $4 ))
}

do_up() { # NAME   (sets LAB_DIR)
    local name=$1 reg scan net vs vt ns loss=${LAB_LOSS:-0} py
    valid_name "$name" || die "bad lab name '$name' (letters, digits, _ -; at most $MAX_NAME_LEN chars)"
    [[ $loss =~ ^[0-9]+$ ]] && (( loss <= 100 )) || die "LAB_LOSS must be an integer 0..100"
    (( EUID == 0 )) || die "must run as root"
    need_tool ip iproute2
    need_tool ss iproute2
    need_tool python3 python3
    (( loss == 0 )) || need_tool nft nftables
    py=$(pick_python)

    scan=${name}-scan net=${name}-net vs=${name}s vt=${name}t
    reg=$(registry_of "$name")

    # Claim the name atomically; refuse if it or its namespaces already exist.
    ( set -o noclobber; : >"$reg" ) 2>/dev/null || die "lab $name already exists ($reg)"
    CLEANUP_NAME=$name BUILDING=1
    for ns in "$scan" "$net"; do
        ! ns_exists "$ns" || die "namespace $ns already exists"
    done
    LAB_DIR=$(mktemp -d /tmp/xmaplab.XXXXXX)
    printf '%s\n' "$LAB_DIR" >"$reg"
    : >"$LAB_DIR/namespaces"

    log "creating lab $name (namespaces $scan, $net; loss ${loss}%)"
    ip netns add "$scan"; echo "$scan" >>"$LAB_DIR/namespaces"
    ip netns add "$net";  echo "$net"  >>"$LAB_DIR/namespaces"

    # sysctls that new devices inherit: no router solicitations, no DAD noise
    for ns in "$scan" "$net"; do
        ns_sysctl "$ns" net.ipv6.conf.default.router_solicitations 0
        ns_sysctl "$ns" net.ipv6.conf.default.dad_transmits 0
        ns_sysctl "$ns" net.ipv6.conf.default.accept_ra 0
        ns_sysctl "$ns" net.ipv6.conf.all.accept_ra 0
        ip -n "$ns" link set lo up
    done

    # The veth pair is created directly inside the two namespaces.
    local queues=${LAB_QUEUES:-1}
    ip link add "$vs" numtxqueues "$queues" numrxqueues "$queues" netns "$scan" type veth peer name "$vt" \
        numtxqueues "$queues" numrxqueues "$queues" netns "$net"
    ip -n "$scan" link set dev "$vs" alias "xmaplab:$name"
    ip -n "$net"  link set dev "$vt" alias "xmaplab:$name"

    # --- target network namespace
    ns_sysctl "$net" net.ipv4.ip_forward 0
    ns_sysctl "$net" net.ipv6.conf.all.forwarding 0
    ns_sysctl "$net" net.ipv6.conf.default.forwarding 0
    ns_sysctl "$net" net.ipv4.icmp_echo_ignore_all 0
    ns_sysctl "$net" net.ipv6.icmp.echo_ignore_all 0
    ns_sysctl "$net" net.ipv4.icmp_ratelimit 0
    ns_sysctl "$net" net.ipv6.icmp.ratelimit 0
    ns_sysctl_opt "$net" net.ipv4.icmp_msgs_per_sec 100000
    ns_sysctl_opt "$net" net.ipv4.icmp_msgs_burst 100000
    ns_sysctl "$net" net.ipv4.tcp_syncookies 1
    ns_sysctl_opt "$net" net.ipv4.tcp_max_syn_backlog 65536
    ns_sysctl "$net" net.core.somaxconn 65535

    ip -n "$net" addr add "$GW4/$LINK4_LEN" dev "$vt"
    ip -n "$net" -6 addr add "$GW6/$LINK6_LEN" dev "$vt" nodad
    ip -n "$net" link set "$vt" up
    local p
    for p in $LIVE4; do ip -n "$net" route add local "$p" dev lo; done
    for p in $LIVE6; do ip -n "$net" -6 route add local "$p" dev lo; done
    # LAB_LIVE16=0 (benchmarks): the /16 is blackholed too, as is all of 198.18.0.0/15.
    [[ ${LAB_LIVE16:-1} == 0 ]] || ip -n "$net" route add local "$LIVE16" dev lo
    # Everything not live is dropped silently.  (Without the v6 blackhole the
    # kernel would answer dead IPv6 targets with ICMPv6 "no route".)
    ip -n "$net" route add blackhole default
    ip -n "$net" -6 route add blackhole default
    ip -n "$net" -6 route add unreachable "$UNREACH6"

    if (( loss > 0 )); then
        local match="numgen random mod 100 < $loss"
        (( loss < 100 )) || match=""        # nft rejects "< 100" (range is 0-99)
        ip netns exec "$net" nft -f - <<EOF
table inet xmaplab {
    chain loss {
        type filter hook prerouting priority -300; policy accept;
        iifname "$vt" icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept
        iifname "$vt" $match drop
    }
}
EOF
    fi

    # --- scanner namespace (neighbour table deliberately left empty)
    ip -n "$scan" addr add "$SRC4/$LINK4_LEN" dev "$vs"
    ip -n "$scan" -6 addr add "$SRC6/$LINK6_LEN" dev "$vs" nodad
    ip -n "$scan" link set "$vs" up
    ip -n "$scan" route add default via "$GW4"
    ip -n "$scan" -6 route add default via "$GW6"
    # The target network knows the scanner, as a real router knows its hosts.  Without this
    # the target kernel sometimes holds every reply for a second (one neighbour-solicitation
    # retransmit interval) before it resolves the scanner.  The scanner's own table stays
    # empty: xmap must resolve the gateway itself.
    local scan_mac
    scan_mac=$(ip -n "$scan" -o link show "$vs" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
    ip -n "$net" neigh replace "$SRC4" lladdr "$scan_mac" dev "$vt" nud permanent
    ip -n "$net" -6 neigh replace "$SRC6" lladdr "$scan_mac" dev "$vt" nud permanent

    # --- services and ground truth
    write_responder "$LAB_DIR/responder.py"
    write_truth "$LAB_DIR"
    local setsid=()
    command -v setsid >/dev/null 2>&1 && setsid=(setsid)
    "${setsid[@]}" ip netns exec "$net" "$py" "$LAB_DIR/responder.py" tcp "$TCP_PORT" "$LAB_DIR/tcp.pid" \
        </dev/null >"$LAB_DIR/tcp.log" 2>&1 &
    "${setsid[@]}" ip netns exec "$net" "$py" "$LAB_DIR/responder.py" udp "$UDP_PORT" "$LAB_DIR/udp.pid" "$SRC4,$TUN4" "$SRC6,$TUN6" \
        </dev/null >"$LAB_DIR/udp.log" 2>&1 &
    wait_for "TCP listener on :$TCP_PORT" 50 count_listening "$net" -ltn "$TCP_PORT" 1
    wait_for "UDP responder on :$UDP_PORT" 50 count_listening "$net" -lun "$UDP_PORT" 2
    wait_for "responder pid files" 50 test -s "$LAB_DIR/tcp.pid" -a -s "$LAB_DIR/udp.pid"
    write_services "$LAB_DIR/services.py"
    "${setsid[@]}" ip netns exec "$net" "$py" "$LAB_DIR/services.py" "$LAB_DIR/services.log" "$LAB_DIR/services.pid" \
        "$SRC4,$TUN4" "$SRC6,$TUN6" "$LIVE4" </dev/null >"$LAB_DIR/services.err" 2>&1 &
    wait_for "UDP services on :123, :1900, :47808" 50 count_listening "$net" -lun 47808 2
    wait_for "services pid file" 50 test -s "$LAB_DIR/services.pid"
    # The tun link is optional: without /dev/net/tun only the -X tests cannot use it.
    local tun_dev=""
    [[ -c /dev/net/tun ]] || { mkdir -p /dev/net && mknod /dev/net/tun c 10 200 2>/dev/null; } || true
    write_tun_relay "$LAB_DIR/tun_relay.py"
    "${setsid[@]}" ip netns exec "$scan" "$py" "$LAB_DIR/tun_relay.py" "/run/netns/$net" "${name}u" "${name}v" \
        "$TUN4" "$TUN6" "$LAB_DIR/tun.pid" </dev/null >"$LAB_DIR/tun.log" 2>&1 &
    local tries=50
    while [[ ! -s $LAB_DIR/tun.pid ]] && (( --tries > 0 )); do sleep 0.1; done
    if [[ -s $LAB_DIR/tun.pid ]]; then tun_dev=${name}u; else log "warning: no tun link ($(tail -n 1 "$LAB_DIR/tun.log"))"; fi

    # DNS: BIND on three addresses of the target namespace, reached through DNAT (optional:
    # without named only the DNS tests cannot run).
    local dns=""
    if [[ ${LAB_DNS:-1} == 0 ]]; then
        log "no DNS server (LAB_DNS=0)"
    elif command -v named >/dev/null 2>&1 && command -v dnssec-signzone >/dev/null 2>&1; then
        write_dns "$LAB_DIR"
        write_dns_truth "$LAB_DIR"
        local i
        for i in 1 2 3; do
            ip -n "$net" addr add "${DNS_SERVER4}.$i/32" dev lo
            ip -n "$net" -6 addr add "${DNS_SERVER6}:$i/128" dev lo nodad
        done
        ip netns exec "$net" nft -f - <<NFT
table inet xmaplab_dns {
    # Connection tracking (which DNAT needs) only for DNS: full-rate scans of other services
    # must not fill the conntrack table or pay for it.
    chain raw_prerouting {
        type filter hook prerouting priority raw; policy accept;
        udp dport 53 return
        notrack
    }
    chain raw_output {
        type filter hook output priority raw; policy accept;
        udp sport 53 return
        notrack
    }
    chain prerouting {
        type nat hook prerouting priority dstnat; policy accept;
        ip daddr $DNS4_NOERROR udp dport 53 dnat ip to ${DNS_SERVER4}.1
        ip daddr $DNS4_REFUSED udp dport 53 dnat ip to ${DNS_SERVER4}.2
        ip daddr $DNS4_NXDOMAIN udp dport 53 dnat ip to ${DNS_SERVER4}.3
        ip6 daddr $DNS6_NOERROR udp dport 53 dnat ip6 to ${DNS_SERVER6}:1
        ip6 daddr $DNS6_REFUSED udp dport 53 dnat ip6 to ${DNS_SERVER6}:2
        ip6 daddr $DNS6_NXDOMAIN udp dport 53 dnat ip6 to ${DNS_SERVER6}:3
    }
}
NFT
        "${setsid[@]}" ip netns exec "$net" named -c "$LAB_DIR/dns/named.conf" -f -u root </dev/null >"$LAB_DIR/named.log" 2>&1 &
        wait_for "DNS server on :53" 100 count_listening "$net" -lun 53 6
        dns=$DNS_ZONE
    else
        log "warning: no DNS server (install bind9 and bind9-utils for the DNS tests)"
    fi

    # SNMP: Debian's snmpd answers community "public" on every live IPv4 address (optional).
    local snmp=""
    if command -v snmpd >/dev/null 2>&1 || [[ -x /usr/sbin/snmpd ]]; then
        printf '%s\n' "agentAddress udp:161" "rocommunity public default" "sysDescr xmaplab snmpd" \
            "agentXSocket unix:$LAB_DIR/agentx" >"$LAB_DIR/snmpd.conf"
        "${setsid[@]}" ip netns exec "$net" env SNMP_PERSISTENT_DIR="$LAB_DIR/snmp" MIBS="" /usr/sbin/snmpd -f -Lf "$LAB_DIR/snmpd.log" -C -c "$LAB_DIR/snmpd.conf" \
            -p "$LAB_DIR/snmpd.pid" </dev/null >/dev/null 2>&1 &
        wait_for "SNMP agent on :161" 100 count_listening "$net" -lun 161 1
        snmp=161
    else
        log "warning: no SNMP agent (install snmpd for the UDP payload tests)"
    fi

    ip -n "$net"  -br link show dev "$vt" | awk '{print $3}' >"$LAB_DIR/gw_mac.txt"
    ip -n "$scan" -br link show dev "$vs" | awk '{print $3}' >"$LAB_DIR/scan_mac.txt"

    cat >"$LAB_DIR/env" <<EOF
LAB_NAME=$name
LAB_SCAN=$scan
LAB_NET=$net
LAB_IFACE=$vs
LAB_NET_IFACE=$vt
LAB_DIR=$LAB_DIR
LAB_SRC4=$SRC4
LAB_SRC6=$SRC6
LAB_GW4=$GW4
LAB_GW6=$GW6
LAB_TARGETS4=$TARGETS4
LAB_TARGETS6=$TARGETS6
LAB_TCP_PORT=$TCP_PORT
LAB_UDP_PORT=$UDP_PORT
LAB_TUN=$tun_dev
LAB_TUN4=$TUN4
LAB_TUN6=$TUN6
LAB_UNREACH6=$UNREACH6
LAB_LIVE16=$LIVE16
LAB_DNS=$dns
LAB_SNMP=$snmp
LAB_DNS_SERVER4=${DNS_SERVER4}.1
LAB_DNS_SERVER6=${DNS_SERVER6}:1
EOF
    BUILDING=0
    log "lab $name is up ($LAB_DIR)"
}

default_name() {
    local n i
    for i in 1 2 3 4 5 6 7 8; do
        n=$(printf 'xl%x%02x' "$$" "$((RANDOM % 256))")
        [[ -e $(registry_of "$n") ]] || ns_exists "$n-scan" || ns_exists "$n-net" || { echo "$n"; return; }
    done
    die "could not find a free lab name"
}

# ---------------------------------------------------------------- main
main() {
    (( $# >= 1 )) || usage
    local cmd=$1; shift
    case $cmd in
    up)
        (( $# <= 1 )) || usage
        local name=${1:-}
        [[ -n $name ]] || name=$(default_name)
        do_up "$name"
        CLEANUP_NAME=""
        cat "$LAB_DIR/env"
        ;;
    down)
        (( $# <= 1 )) || usage
        local name=${1:-${LAB_NAME:-}}
        [[ -n $name ]] || { log "down: no NAME given and LAB_NAME is unset"; usage; }
        valid_name "$name" || die "bad lab name '$name'"
        do_down "$name"
        ;;
    run)
        local name=""
        if (( $# >= 1 )) && [[ $1 != -- ]]; then name=$1; shift; fi
        (( $# >= 2 )) && [[ $1 == -- ]] || usage
        shift
        [[ -n $name ]] || name=$(default_name)
        do_up "$name"            # CLEANUP_NAME stays set: down on any exit
        sed 's/^/lab:   /' "$LAB_DIR/env" >&2
        set -a
        # shellcheck disable=SC1091
        . "$LAB_DIR/env"
        set +a
        local rc=0
        "$@" || rc=$?
        exit "$rc"
        ;;
    -h|--help|help) usage ;;
    *) usage ;;
    esac
}

main "$@"
