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
#   |                                       |  tun   |  DNS :53 (BIND via DNAT, see lab/dns.sh) |
#   |  ${NAME}u  203.0.113.1/32 (-X scans)  |<------>|  ${NAME}v (relay: lab/tun_relay.py)      |
#   |            2001:db8:ffff:1::1/128     |        |  everything else: blackhole (silent drop)|
#   +---------------------------------------+        |  TCP :80 listener (v4+v6, SYN-ACK)       |
#                                                    |  UDP :5353 responder (replies from the   |
#                                                    |    probed address, only to the scanner)  |
#                                                    |  NTP :123, SSDP :1900, BACnet :47808,    |
#                                                    |    SNMP :161 (snmpd), IP-in-IP decap     |
#                                                    |  no forwarding, no ICMP rate limits      |
#                                                    |  optional LAB_LOSS=N% ingress drop (nft) |
#                                                    +------------------------------------------+
#
# Usage:
#   scripts/lab.sh up    [NAME]           create the lab; print env lines (also in $LAB_DIR/env)
#   scripts/lab.sh down  [NAME]           tear it down (idempotent; NAME defaults to $LAB_NAME)
#   scripts/lab.sh run   [NAME] -- CMD... up, run CMD inside the scanner namespace with the env
#                                         exported, always down, exit with CMD's status
#   scripts/lab.sh run --root-namespace [NAME] -- CMD...
#                                         the same, but CMD runs in the ROOT namespace (for
#                                         scripts that enter the namespaces themselves with
#                                         `ip netns exec "$LAB_SCAN" ...`); CMD must not send
#   [XMAP=BIN] scripts/lab.sh shell [NAME] an interactive shell in the scanner namespace (BIN on PATH as
#                                         xmap, zmap, ziterate, zblocklist and ztee), with the
#                                         env exported; a new lab is brought up first and torn
#                                         down when the shell exits (NAME of a lab that is already
#                                         up: join it and leave it up).  For `make lab-shell`.
#
#   eval "$(scripts/lab.sh up)"
#   ip netns exec "$LAB_SCAN" ping -c1 198.51.100.5
#   scripts/lab.sh down "$LAB_NAME"
#
#   scripts/lab.sh run -- sh -c '.build/release/xmap -4 -M tcp_syn -p 80 "$LAB_TARGETS4"'
#
# Environment at `up`: LAB_DNS=0 leaves the DNS server out (benchmarks: no connection tracking).
# LAB_LIVE16=0 leaves 198.18.0.0/16 dead too (benchmarks: 198.18.0.0/15 blackholed, no replies).
# LAB_QUEUES=N gives the veth pair N TX/RX queues (default 1).
# LAB_LOSS=N (0..100, default 0) drops N% of the IP packets
# entering the net namespace on the veth (ARP and neighbour discovery are exempt
# so gateway resolution stays deterministic).
#
# Ground truth in $LAB_DIR (one address per line, LC_ALL=C sort order, IPv6 in
# Python ipaddress compressed form): live4.txt live6.txt tcp80_4.txt tcp80_6.txt
# udp5353_4.txt udp5353_6.txt ntp{4,6}.txt upnp{4,6}.txt bacnet{4,6}.txt ipip4_decap.txt
# ipip4_unreach.txt, and with BIND installed dns{4,6}_{noerror,refused,nxdomain,unreach}.txt
# (how each address answers a question about example.test on port 53) plus dns/example.test.zone
# (the zone, unsigned) for expected answers.  Also gw_mac.txt / scan_mac.txt (veth MACs), and
# services.log (one JSON line per NTP/SSDP/BACnet reply, with the fields it carried).
#
# A lab NAME is registered in /tmp/xmaplab-NAME.dir (contains $LAB_DIR); only
# namespaces recorded in $LAB_DIR/namespaces (or carrying this lab's marker
# alias on their veth) are ever deleted.
#
# The parts live in scripts/lab/: common.sh (addresses, helpers), topology.sh (namespaces, veth,
# routes), services.sh (responders, tun relay, snmpd, ground truth), dns.sh (BIND), teardown.sh
# (down), and one Python program per responder (sharing labnet.py).

set -euo pipefail

LAB_LIB=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lab" && pwd)
readonly LAB_LIB
# shellcheck source=lab/common.sh
. "$LAB_LIB/common.sh"
# shellcheck source=lab/topology.sh
. "$LAB_LIB/topology.sh"
# shellcheck source=lab/services.sh
. "$LAB_LIB/services.sh"
# shellcheck source=lab/dns.sh
. "$LAB_LIB/dns.sh"
# shellcheck source=lab/teardown.sh
. "$LAB_LIB/teardown.sh"

usage() {
    cat >&2 <<'EOF'
usage: lab.sh up    [NAME]
       lab.sh down  [NAME]
       lab.sh run   [--root-namespace] [NAME] -- CMD [ARGS...]
       lab.sh shell [NAME]
run:   CMD runs inside the scanner namespace ($LAB_SCAN) unless --root-namespace is given
env:   LAB_LOSS=N   percent of packets dropped entering the target namespace (up/run/shell)
       LAB_DNS=0 (no DNS server)  LAB_LIVE16=0 (198.18.0.0/16 dead)  LAB_QUEUES=N (veth queues)
EOF
    exit 2
}

# ---------------------------------------------------------------- up
CLEANUP_NAME=""          # set while a lab is being built (or by run/shell): torn down on exit
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

do_up() { # NAME   (sets LAB_DIR)
    local name=$1 reg scan net vs vt ns loss=${LAB_LOSS:-0}
    valid_name "$name" || die "bad lab name '$name' (letters, digits, _ -; at most $MAX_NAME_LEN chars)"
    if ! [[ $loss =~ ^[0-9]+$ ]] || (( loss > 100 )); then die "LAB_LOSS must be an integer 0..100"; fi
    (( EUID == 0 )) || die "must run as root"
    need_tool ip iproute2
    need_tool ss iproute2
    need_tool python3 python3
    (( loss == 0 )) || need_tool nft nftables

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
    topo_namespaces "$LAB_DIR" "$scan" "$net"
    topo_veth "$name" "$scan" "$net" "$vs" "$vt" "${LAB_QUEUES:-1}"
    topo_target "$net" "$vt" "${LAB_LIVE16:-1}"
    (( loss == 0 )) || topo_loss "$net" "$vt" "$loss"
    topo_scanner "$scan" "$net" "$vs" "$vt"

    write_truth "$LAB_DIR"
    start_responders "$LAB_DIR" "$net"
    start_services "$LAB_DIR" "$net"
    start_tun "$LAB_DIR" "$name" "$scan" "$net"
    start_dns "$LAB_DIR" "$net" "${LAB_DNS:-1}"
    start_snmp "$LAB_DIR" "$net"
    topo_macs "$LAB_DIR" "$scan" "$net" "$vs" "$vt"

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
LAB_TUN=$TUN_DEV
LAB_TUN4=$TUN4
LAB_TUN6=$TUN6
LAB_UNREACH6=$UNREACH6
LAB_LIVE16=$LIVE16
LAB_DNS=$DNS_NAME
LAB_SNMP=$SNMP_PORT
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

# Exports the env of the lab in LAB_DIR (and shows it on stderr).
export_env() {
    sed 's/^/lab:   /' "$LAB_DIR/env" >&2
    set -a
    # shellcheck disable=SC1091
    . "$LAB_DIR/env"
    set +a
}

# ---------------------------------------------------------------- shell
do_shell() { # [NAME]
    local name=${1:-} dir="" sh=${SHELL:-/bin/bash} rc=0
    [[ -z $name ]] || valid_name "$name" || die "bad lab name '$name'"
    [[ -z $name ]] || dir=$(lab_dir_of "$name")
    if [[ -n $dir && -f $dir/env ]]; then
        LAB_DIR=$dir
        log "joining lab $name ($LAB_DIR); it stays up when the shell exits"
    else
        [[ -n $name ]] || name=$(default_name)
        do_up "$name"            # CLEANUP_NAME stays set: down when the shell exits
    fi
    export_env
    # $XMAP (make lab-shell: the debug build) on PATH under all its names: xmap, zmap, ziterate, ...
    if [[ -n ${XMAP:-} && -x $XMAP ]]; then
        local bin=$LAB_DIR/bin n
        mkdir -p "$bin"
        for n in xmap zmap ziterate zblocklist ztee; do ln -sf "$(readlink -f "$XMAP")" "$bin/$n"; done
        export PATH="$bin:$PATH"
    fi
    [[ -x $sh ]] || sh=/bin/sh
    local argv=("$sh")
    if [[ ${sh##*/} == bash ]]; then
        # Mark the prompt: this shell is in the lab, not on the host.
        # shellcheck disable=SC2016
        printf '%s\n' '[ -f ~/.bashrc ] && . ~/.bashrc' 'PS1="(lab $LAB_NAME) $PS1"' >"$LAB_DIR/shellrc"
        argv+=(--rcfile "$LAB_DIR/shellrc")
    else
        export PS1="(lab $LAB_NAME) \$ "
    fi
    local leave="exit it to leave"
    [[ -z $CLEANUP_NAME ]] || leave+=" and tear the lab down"
    log "shell in namespace $LAB_SCAN (packets go only to the lab); $leave"
    # Ctrl-C belongs to the shell and its commands; a trap (not an ignore) keeps it that way.
    trap ':' INT
    ip netns exec "$LAB_SCAN" "${argv[@]}" || rc=$?
    trap 'exit 130' INT
    exit "$rc"
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
        local name="" root=0
        if (( $# >= 1 )) && [[ $1 == --root-namespace ]]; then root=1; shift; fi
        if (( $# >= 1 )) && [[ $1 != -- ]]; then name=$1; shift; fi
        if (( $# < 2 )) || [[ $1 != -- ]]; then usage; fi
        shift
        [[ -n $name ]] || name=$(default_name)
        do_up "$name"            # CLEANUP_NAME stays set: down on any exit
        export_env
        local rc=0
        if (( root )); then
            log "running in the ROOT namespace (--root-namespace): $*"
            "$@" || rc=$?
        else
            log "running in namespace $LAB_SCAN: $*"
            ip netns exec "$LAB_SCAN" "$@" || rc=$?
        fi
        exit "$rc"
        ;;
    shell)
        (( $# <= 1 )) || usage
        do_shell "${1:-}"
        ;;
    -h|--help|help) usage ;;
    *) usage ;;
    esac
}

main "$@"
