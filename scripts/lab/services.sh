# shellcheck shell=bash
# services.sh - what answers in the lab: the Python responders of this directory, the tun
# relay, snmpd, and the ground-truth files that say what should answer.
# Sourced by scripts/lab.sh; uses the constants of common.sh.  Every process starts inside one
# of the lab's namespaces (ip netns exec), in its own session, with its pid in LAB_DIR/*.pid.
# shellcheck disable=SC2034  # TUN_DEV and SNMP_PORT are read by lab.sh

# Starts CMD... in namespace NS, detached, output to LOG.
lab_spawn() { # NS LOG CMD...
    local ns=$1 log=$2; shift 2
    local setsid=()
    command -v setsid >/dev/null 2>&1 && setsid=(setsid)
    "${setsid[@]}" ip netns exec "$ns" "$@" </dev/null >"$log" 2>&1 &
}

# Starts one of this directory's Python programs (-B: no __pycache__ left in the tree).
lab_spawn_py() { # NS LOG PROGRAM ARGS...
    local ns=$1 log=$2 prog=$3; shift 3
    lab_spawn "$ns" "$log" "$(pick_python)" -B "$LAB_LIB/$prog" "$@"
}

# Ground truth: every address of the LIVE prefixes inside the target network.
write_truth() { # DIR
    "$(pick_python)" -B "$LAB_LIB/truth.py" live "$1" "$TARGETS4" "$LIVE4" "$TARGETS6" "$LIVE6"
}

# TCP :80 (SYN-ACK from every live address) and UDP :5353 (replies from the probed address,
# only to the scanner's addresses, its tun end included).
start_responders() { # DIR NET
    local dir=$1 net=$2
    lab_spawn_py "$net" "$dir/tcp.log" tcp_responder.py "$TCP_PORT" "$dir/tcp.pid"
    lab_spawn_py "$net" "$dir/udp.log" udp_responder.py "$UDP_PORT" "$dir/udp.pid" "$SRC4,$TUN4" "$SRC6,$TUN6"
    wait_for "TCP listener on :$TCP_PORT" 50 count_listening "$net" -ltn "$TCP_PORT" 1
    wait_for "UDP responder on :$UDP_PORT" 50 count_listening "$net" -lun "$UDP_PORT" 2
    wait_for "responder pid files" 50 test -s "$dir/tcp.pid" -a -s "$dir/udp.pid"
}

# NTP :123, SSDP :1900, BACnet/IP :47808 (replies logged to services.log), and the user-space
# IP-in-IP decapsulator.
start_services() { # DIR NET
    local dir=$1 net=$2
    lab_spawn_py "$net" "$dir/services.err" udp_services.py "$dir/services.log" "$dir/services.pid" \
        "$SRC4,$TUN4" "$SRC6,$TUN6"
    lab_spawn_py "$net" "$dir/ipip.err" ipip_decap.py "$dir/ipip.pid" "$SRC4,$TUN4" "$LIVE4"
    wait_for "UDP services on :123, :1900, :47808" 50 count_listening "$net" -lun 47808 2
    wait_for "services pid files" 50 test -s "$dir/services.pid" -a -s "$dir/ipip.pid"
}

# The L3 link: tun device NAMEu in the scanner namespace, NAMEv in the target one.  Optional:
# without /dev/net/tun only the -X tests cannot use it.  Sets TUN_DEV to the scanner's device
# (empty without the link).
TUN_DEV=""
start_tun() { # DIR NAME SCAN NET
    local dir=$1 name=$2 tries=50
    TUN_DEV=""
    [[ -c /dev/net/tun ]] || { mkdir -p /dev/net && mknod /dev/net/tun c 10 200 2>/dev/null; } || true
    lab_spawn_py "$3" "$dir/tun.log" tun_relay.py "/run/netns/$4" "${name}u" "${name}v" \
        "$TUN4" "$TUN6" "$dir/tun.pid"
    while [[ ! -s $dir/tun.pid ]] && (( --tries > 0 )); do sleep 0.1; done
    if [[ -s $dir/tun.pid ]]; then
        TUN_DEV=${name}u
    else
        log "warning: no tun link ($(tail -n 1 "$dir/tun.log"))"
    fi
}

# SNMP: Debian's snmpd answers community "public" on every live IPv4 address (optional).
# Sets SNMP_PORT (empty without snmpd).
SNMP_PORT=""
start_snmp() { # DIR NET
    local dir=$1
    SNMP_PORT=""
    if ! command -v snmpd >/dev/null 2>&1 && [[ ! -x /usr/sbin/snmpd ]]; then
        log "warning: no SNMP agent (install snmpd for the UDP payload tests)"
        return 0
    fi
    printf '%s\n' "agentAddress udp:161" "rocommunity public default" "sysDescr xmaplab snmpd" \
        "agentXSocket unix:$dir/agentx" >"$dir/snmpd.conf"
    lab_spawn "$2" /dev/null env SNMP_PERSISTENT_DIR="$dir/snmp" MIBS="" /usr/sbin/snmpd -f \
        -Lf "$dir/snmpd.log" -C -c "$dir/snmpd.conf" -p "$dir/snmpd.pid"
    wait_for "SNMP agent on :161" 100 count_listening "$2" -lun 161 1
    SNMP_PORT=161
}
