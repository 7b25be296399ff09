#!/usr/bin/env bash
# lan-lab.sh - a throw-away switched LAN with a routed network behind its gateway, for scans of
# on-link and remote targets. Everything lives in network namespaces created here; nothing is
# attached to the root namespace, so no packet can leave the lab.
#
#            ${NAME}-br: Linux bridge br0 (no STP, no multicast snooping)
#     +--------+--------+--------+--------+--------+----------+----------+
#     |        |        |        |        |        |          |          |
#   scan      h1       h2       h3       h4       h5     hd (delay)     gw --- ${NAME}-net
#   .1       .11      .12      .13      .14      .15     .60           .254    198.18.0.2/30
#   ::1      .111     .112     .113     .114     .115    ::60          ::fe    routed, AnyIP:
#            ::11     ::12     ::13     ::14     ::15                          198.51.100.0/26 and
#            ::a1     ::a2     ::a3     ::a4     ::a5                          .77 .130 .201 .254,
#   LAN 192.0.2.0/24 and 2001:db8:0:1::/64; TCP :80 open on h1 h2 h3 h5 hd     2001:db8:1::/122 and
#   and on the routed network (h4 and gw answer with RST). hd sits behind a    ::77 ::a0 ::f1 ::ff;
#   user-space relay (scripts/lan-lab/tap_delay.py) that holds every frame     TCP :80 (SYN-ACK).
#   LAN_DELAY_MS/2 each way. Each host has its own MAC (h5 a universally
#   administered one). The scanner's default routes go through gw.
#
# Usage:
#   scripts/lan-lab.sh up   [NAME]            create the lab; print env lines (also in $LAN_DIR/env)
#   scripts/lan-lab.sh down [NAME]            tear it down (idempotent; NAME defaults to $LAN_NAME)
#   scripts/lan-lab.sh run  [NAME] -- CMD...  up, run CMD (root namespace) with the env exported, down
#
# Environment at `up`: LAN_DELAY_MS (default 80) is hd's added round-trip time.
#
# Ground truth in $LAN_DIR (LC_ALL=C sorted; IPv6 compressed): lan4.txt lan6.txt (every LAN
# address that answers ARP / neighbour solicitation: the hosts and the gateway, which also
# answers for the subnet-router anycast address 2001:db8:0:1::), lan_arp4.txt
# lan_nd6.txt ("address,mac" of each), lan_tcp80_4.txt lan_tcp80_6.txt (LAN addresses with :80
# open), routed4.txt routed6.txt (live routed addresses, all with :80 open), scan_mac.txt,
# gw_mac.txt. A lab NAME is registered in /tmp/xmaplan-NAME.dir; only namespaces recorded in
# $LAN_DIR/namespaces are ever deleted.

set -euo pipefail

readonly HERE=$(cd "$(dirname "$0")" && pwd)
readonly LAN4=192.0.2.0/24 LAN6_PREFIX=2001:db8:0:1:: LAN6_TARGETS=2001:db8:0:1::/120
readonly SCAN4=192.0.2.1 SCAN6=2001:db8:0:1::1 GW4=192.0.2.254 GW6=2001:db8:0:1::fe
readonly TRANSIT_GW4=198.18.0.1 TRANSIT_NET4=198.18.0.2 TRANSIT_GW6=2001:db8:fffe::1 TRANSIT_NET6=2001:db8:fffe::2
readonly ROUTED4=198.51.100.0/24 ROUTED6=2001:db8:1::/120
readonly LIVE4="198.51.100.0/26 198.51.100.77/32 198.51.100.130/32 198.51.100.201/32 198.51.100.254/32"
readonly LIVE6="2001:db8:1::/122 2001:db8:1::77/128 2001:db8:1::a0/128 2001:db8:1::f1/128 2001:db8:1::ff/128"
readonly SCAN_MAC=02:00:00:00:01:01 GW_MAC=02:00:00:00:01:fe
# Hosts: name, MAC, IPv4 addresses, IPv6 addresses (host parts), whether :80 is open.
readonly HOSTS="h1 h2 h3 h4 h5"
host_mac() {
    case $1 in h5) echo 00:16:3e:00:01:15 ;; hd) echo 02:00:00:00:01:60 ;; *) echo "02:00:00:00:01:1${1#h}" ;; esac
}
host_v4() { case $1 in hd) echo 192.0.2.60 ;; *) echo "192.0.2.1${1#h} 192.0.2.11${1#h}" ;; esac; }
host_v6() { case $1 in hd) echo "${LAN6_PREFIX}60" ;; *) echo "${LAN6_PREFIX}1${1#h} ${LAN6_PREFIX}a${1#h}" ;; esac; }
host_open() { [[ $1 != h4 ]]; }
readonly REG_PREFIX=/tmp/xmaplan-
readonly MAX_NAME_LEN=10

log() { printf 'lan-lab: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() {
    echo "usage: lan-lab.sh up [NAME] | down [NAME] | run [NAME] -- CMD [ARGS...]" >&2
    exit 2
}
valid_name() { [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9_-]*$ ]] && (( ${#1} <= MAX_NAME_LEN )); }
registry_of() { printf '%s%s.dir' "$REG_PREFIX" "$1"; }
ns_exists() {
    local list
    list=$(ip netns list 2>/dev/null | awk '{print $1}') || true
    grep -qxF -- "$1" <<<"$list"
}
pick_python() { if [[ -x /usr/bin/python3 ]]; then echo /usr/bin/python3; else command -v python3; fi; }
ns_sysctl() { # NS KEY VALUE (keys this kernel lacks are skipped)
    local path=/proc/sys/${2//./\/}
    ip netns exec "$1" sh -c '[ ! -e "$1" ] || printf "%s\n" "$2" > "$1"' _ "$path" "$3"
}
wait_for() { # DESCRIPTION TRIES CMD...
    local what=$1 tries=$2; shift 2
    while ! "$@"; do
        (( --tries > 0 )) || die "timed out waiting for $what"
        sleep 0.1
    done
}

# ---------------------------------------------------------------- down
pids_in_ns() { ip netns pids "$1" 2>/dev/null || true; }

do_down() { # NAME
    local name=$1 reg dir="" ns pids i
    reg=$(registry_of "$name")
    [[ -f $reg ]] && dir=$(head -n1 "$reg" 2>/dev/null || true)
    [[ $dir == /tmp/xmaplan.* ]] || dir=""
    local nss=()
    if [[ -n $dir && -f $dir/namespaces ]]; then
        while read -r ns; do
            [[ -n $ns ]] && ns_exists "$ns" && nss+=("$ns")
        done <"$dir/namespaces"
    fi
    if [[ -z $dir ]]; then
        rm -f -- "$reg"
        log "no lab named $name (nothing to do)"
        return 0
    fi
    # Every process inside our namespaces (responders, relay, captures), TERM then KILL.
    for i in 1 2 3 4 5 6 7 8 9 10 11; do
        pids=""
        for ns in "${nss[@]}"; do pids+=" $(pids_in_ns "$ns" | tr '\n' ' ')"; done
        [[ -z ${pids// /} ]] && break
        # shellcheck disable=SC2086
        if (( i == 11 )); then kill -KILL $pids 2>/dev/null || true; sleep 0.2; break; fi
        # shellcheck disable=SC2086
        kill -TERM $pids 2>/dev/null || true
        sleep 0.2
    done
    for ns in "${nss[@]}"; do ip netns del "$ns" 2>/dev/null || log "warning: could not delete namespace $ns"; done
    rm -rf -- "$dir"
    rm -f -- "$reg"
    log "lab $name is down"
}

# ---------------------------------------------------------------- up
CLEANUP_NAME=""
on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $CLEANUP_NAME ]]; then do_down "$CLEANUP_NAME" || true; fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

add_ns() { # NS
    ! ns_exists "$1" || die "namespace $1 already exists"
    ip netns add "$1"
    echo "$1" >>"$LAN_DIR/namespaces"
    ns_sysctl "$1" net.ipv6.conf.default.router_solicitations 0
    ns_sysctl "$1" net.ipv6.conf.default.dad_transmits 0
    ns_sysctl "$1" net.ipv6.conf.default.accept_ra 0
    ns_sysctl "$1" net.ipv6.conf.all.accept_ra 0
    ns_sysctl "$1" net.ipv4.icmp_ratelimit 0
    ns_sysctl "$1" net.ipv6.icmp.ratelimit 0
    ip -n "$1" link set lo up
}

# A veth from bridge port PORT to eth0 in NS with MAC, up on both ends.
plug() { # NS PORT MAC
    ip link add "$2" netns "$BR" type veth peer name eth0 netns "$1"
    ip -n "$1" link set eth0 address "$3"
    ip -n "$BR" link set "$2" master br0 up
    ip -n "$1" link set eth0 up
}

address() { # NS ADDRESS... (IPv4 /24 or IPv6 /64 on eth0)
    local ns=$1 a; shift
    for a in "$@"; do
        if [[ $a == *:* ]]; then
            ip -n "$ns" -6 addr add "$a/64" dev eth0 nodad
        else
            ip -n "$ns" addr add "$a/24" dev eth0
        fi
    done
}

start() { # NS PIDFILE LOG ARGS... (a helper in the background, detached)
    local ns=$1 pidfile=$2 logfile=$3; shift 3
    local setsid=()
    command -v setsid >/dev/null 2>&1 && setsid=(setsid)
    "${setsid[@]}" ip netns exec "$ns" "$PY" "$@" </dev/null >"$logfile" 2>&1 &
    wait_for "$pidfile" 50 test -s "$pidfile"
}

write_truth() {
    local h a lan4=() lan6=() arp=() nd=() tcp4=() tcp6=()
    for h in $HOSTS hd; do
        for a in $(host_v4 "$h"); do
            lan4+=("$a"); arp+=("$a,$(host_mac "$h")")
            host_open "$h" && tcp4+=("$a")
        done
        for a in $(host_v6 "$h"); do
            lan6+=("$a"); nd+=("$a,$(host_mac "$h")")
            host_open "$h" && tcp6+=("$a")
        done
    done
    # The gateway, a router, also answers for the subnet-router anycast address (RFC 4291 2.6.1).
    lan4+=("$GW4"); arp+=("$GW4,$GW_MAC")
    lan6+=("$GW6" "$LAN6_PREFIX"); nd+=("$GW6,$GW_MAC" "$LAN6_PREFIX,$GW_MAC")
    local d=$LAN_DIR
    printf '%s\n' "${lan4[@]}" | LC_ALL=C sort >"$d/lan4.txt"
    printf '%s\n' "${lan6[@]}" | LC_ALL=C sort >"$d/lan6.txt"
    printf '%s\n' "${arp[@]}" | LC_ALL=C sort >"$d/lan_arp4.txt"
    printf '%s\n' "${nd[@]}" | LC_ALL=C sort >"$d/lan_nd6.txt"
    printf '%s\n' "${tcp4[@]}" | LC_ALL=C sort >"$d/lan_tcp80_4.txt"
    printf '%s\n' "${tcp6[@]}" | LC_ALL=C sort >"$d/lan_tcp80_6.txt"
    "$PY" - "$d" "$ROUTED4" "$LIVE4" "$ROUTED6" "$LIVE6" <<'PY'
import ipaddress, os, sys
d = sys.argv[1]
for fam, target, live in (("4", sys.argv[2], sys.argv[3]), ("6", sys.argv[4], sys.argv[5])):
    net = ipaddress.ip_network(target)
    addrs = {a for p in live.split() for a in ipaddress.ip_network(p) if a in net}
    with open(os.path.join(d, f"routed{fam}.txt"), "w") as f:
        f.write("".join(sorted(str(a) + "\n" for a in addrs)))
PY
    echo "$SCAN_MAC" >"$d/scan_mac.txt"
    echo "$GW_MAC" >"$d/gw_mac.txt"
}

do_up() { # NAME
    local name=$1 reg delay=${LAN_DELAY_MS:-80} h p
    valid_name "$name" || die "bad lab name '$name' (letters, digits, _ -; at most $MAX_NAME_LEN chars)"
    [[ $delay =~ ^[0-9]+$ ]] && (( delay <= 5000 )) || die "LAN_DELAY_MS must be an integer 0..5000"
    (( EUID == 0 )) || die "must run as root"
    command -v ip >/dev/null || die "needs iproute2"
    PY=$(pick_python)
    [[ -n $PY ]] || die "needs python3"
    [[ -c /dev/net/tun ]] || die "needs /dev/net/tun (for the delayed host's relay)"
    reg=$(registry_of "$name")
    ( set -o noclobber; : >"$reg" ) 2>/dev/null || die "lab $name already exists ($reg)"
    CLEANUP_NAME=$name
    LAN_DIR=$(mktemp -d /tmp/xmaplan.XXXXXX)
    printf '%s\n' "$LAN_DIR" >"$reg"
    : >"$LAN_DIR/namespaces"
    BR=$name-br
    local scan=$name-scan gw=$name-gw net=$name-net hd=$name-hd
    log "creating lab $name"
    for p in br scan gw net hd $HOSTS; do add_ns "$name-$p"; done

    # The switch.
    ip -n "$BR" link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
    ip -n "$BR" link set br0 alias "xmaplan:$name" up
    plug "$scan" ps "$SCAN_MAC"
    plug "$gw" pg "$GW_MAC"
    for h in $HOSTS; do plug "$name-$h" "p${h#h}" "$(host_mac "$h")"; done

    # The scanner: neighbour table empty, default routes through the gateway.
    address "$scan" "$SCAN4" "$SCAN6"
    ip -n "$scan" route add default via "$GW4"
    ip -n "$scan" -6 route add default via "$GW6"

    # The hosts, their addresses and open ports.
    for h in $HOSTS; do
        address "$name-$h" $(host_v4 "$h") $(host_v6 "$h")
        ip -n "$name-$h" route add default via "$GW4"
        ip -n "$name-$h" -6 route add default via "$GW6"
        if host_open "$h"; then
            start "$name-$h" "$LAN_DIR/tcp-$h.pid" "$LAN_DIR/tcp-$h.log" "$HERE/lan-lab/tcp_listen.py" 80 \
                "$LAN_DIR/tcp-$h.pid"
        fi
    done

    # The delayed host, behind the relay (its eth0 is a TAP device the relay holds).
    start "$BR" "$LAN_DIR/relay.pid" "$LAN_DIR/relay.log" "$HERE/lan-lab/tap_delay.py" "/run/netns/$hd" pd eth0 \
        "$(host_mac hd)" "$delay" "$LAN_DIR/relay.pid"
    address "$hd" $(host_v4 hd) $(host_v6 hd)
    ip -n "$hd" route add default via "$GW4"
    ip -n "$hd" -6 route add default via "$GW6"
    start "$hd" "$LAN_DIR/tcp-hd.pid" "$LAN_DIR/tcp-hd.log" "$HERE/lan-lab/tcp_listen.py" 80 "$LAN_DIR/tcp-hd.pid"

    # The gateway and the routed network behind it. The gateway knows the scanner, as a real
    # router knows its hosts (otherwise it sometimes holds the first replies for a second while
    # it resolves the scanner); the scanner's own table stays empty.
    address "$gw" "$GW4" "$GW6"
    ip -n "$gw" neigh replace "$SCAN4" lladdr "$SCAN_MAC" dev eth0 nud permanent
    ip -n "$gw" -6 neigh replace "$SCAN6" lladdr "$SCAN_MAC" dev eth0 nud permanent
    ns_sysctl "$gw" net.ipv4.ip_forward 1
    ns_sysctl "$gw" net.ipv6.conf.all.forwarding 1
    ip link add eth1 netns "$gw" address 02:00:00:00:02:01 type veth peer name eth0 netns "$net" \
        address 02:00:00:00:02:02
    ip -n "$gw" addr add "$TRANSIT_GW4/30" dev eth1
    ip -n "$gw" -6 addr add "$TRANSIT_GW6/64" dev eth1 nodad
    ip -n "$gw" link set eth1 up
    ip -n "$gw" route add "$ROUTED4" via "$TRANSIT_NET4"
    ip -n "$gw" -6 route add 2001:db8:1::/48 via "$TRANSIT_NET6"
    ip -n "$net" addr add "$TRANSIT_NET4/30" dev eth0
    ip -n "$net" -6 addr add "$TRANSIT_NET6/64" dev eth0 nodad
    ip -n "$net" link set eth0 up
    # Both ends of the transit link know each other (no resolution delays the first replies).
    ip -n "$gw" neigh replace "$TRANSIT_NET4" lladdr 02:00:00:00:02:02 dev eth1 nud permanent
    ip -n "$gw" -6 neigh replace "$TRANSIT_NET6" lladdr 02:00:00:00:02:02 dev eth1 nud permanent
    ip -n "$net" neigh replace "$TRANSIT_GW4" lladdr 02:00:00:00:02:01 dev eth0 nud permanent
    ip -n "$net" -6 neigh replace "$TRANSIT_GW6" lladdr 02:00:00:00:02:01 dev eth0 nud permanent
    for p in $LIVE4; do ip -n "$net" route add local "$p" dev lo; done
    for p in $LIVE6; do ip -n "$net" -6 route add local "$p" dev lo; done
    ip -n "$net" route add "$LAN4" via "$TRANSIT_GW4"
    ip -n "$net" -6 route add "${LAN6_PREFIX}/64" via "$TRANSIT_GW6"
    ip -n "$net" route add blackhole default
    ip -n "$net" -6 route add blackhole default
    ns_sysctl "$net" net.ipv4.tcp_syncookies 1
    start "$net" "$LAN_DIR/tcp-net.pid" "$LAN_DIR/tcp-net.log" "$HERE/lan-lab/tcp_listen.py" 80 "$LAN_DIR/tcp-net.pid"

    write_truth
    cat >"$LAN_DIR/env" <<EOF
LAN_NAME=$name
LAN_DIR=$LAN_DIR
LAN_SCAN=$scan
LAN_BR=$BR
LAN_GW=$gw
LAN_NET=$net
LAN_IFACE=eth0
LAN_SCAN_PORT=ps
LAN_SCAN_MAC=$SCAN_MAC
LAN_GW_MAC=$GW_MAC
LAN_SRC4=$SCAN4
LAN_SRC6=$SCAN6
LAN_TARGETS4=$LAN4
LAN_TARGETS6=$LAN6_TARGETS
LAN_ROUTED4=$ROUTED4
LAN_ROUTED6=$ROUTED6
LAN_HOSTS=$(for h in $HOSTS hd; do printf '%s ' "$name-$h"; done | sed 's/ $//')
LAN_DELAYED=$hd
LAN_DELAYED4=$(host_v4 hd)
LAN_DELAYED6=$(host_v6 hd)
LAN_DELAY_MS=$delay
LAN_PYTHON=$PY
LAN_CAPTURE=$HERE/lan-lab/bridge_capture.py
EOF
    log "lab $name is up ($LAN_DIR)"
}

default_name() {
    local n i
    for i in 1 2 3 4 5 6 7 8; do
        n=$(printf 'ln%x%02x' "$$" "$((RANDOM % 256))")
        n=${n:0:$MAX_NAME_LEN}
        [[ -e $(registry_of "$n") ]] || ns_exists "$n-scan" || { echo "$n"; return; }
    done
    die "could not find a free lab name"
}

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
        cat "$LAN_DIR/env"
        ;;
    down)
        (( $# <= 1 )) || usage
        local name=${1:-${LAN_NAME:-}}
        [[ -n $name ]] || usage
        valid_name "$name" || die "bad lab name '$name'"
        do_down "$name"
        ;;
    run)
        local name=""
        if (( $# >= 1 )) && [[ $1 != -- ]]; then name=$1; shift; fi
        (( $# >= 2 )) && [[ $1 == -- ]] || usage
        shift
        [[ -n $name ]] || name=$(default_name)
        do_up "$name"
        set -a
        # shellcheck disable=SC1091
        . "$LAN_DIR/env"
        set +a
        local rc=0
        "$@" || rc=$?
        exit "$rc"
        ;;
    *) usage ;;
    esac
}

main "$@"
