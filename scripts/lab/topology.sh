# shellcheck shell=bash
# topology.sh - the two namespaces, the veth pair between them, addresses, routes and sysctls.
# Sourced by scripts/lab.sh; uses the constants of common.sh.  Nothing here is ever attached to
# the root namespace: the veth pair is created directly inside the lab's namespaces.

# Both namespaces (recorded in DIR/namespaces, so `down` deletes only them), with the sysctls
# that new devices inherit: no router solicitations, no DAD noise.
topo_namespaces() { # DIR SCAN NET
    local dir=$1 ns
    for ns in "$2" "$3"; do
        ip netns add "$ns"; echo "$ns" >>"$dir/namespaces"
    done
    for ns in "$2" "$3"; do
        ns_sysctl "$ns" net.ipv6.conf.default.router_solicitations 0
        ns_sysctl "$ns" net.ipv6.conf.default.dad_transmits 0
        ns_sysctl "$ns" net.ipv6.conf.default.accept_ra 0
        ns_sysctl "$ns" net.ipv6.conf.all.accept_ra 0
        ip -n "$ns" link set lo up
    done
}

# The veth pair VS (scanner side) / VT (target side), marked with the lab's alias.
topo_veth() { # NAME SCAN NET VS VT QUEUES
    ip link add "$4" numtxqueues "$6" numrxqueues "$6" netns "$2" type veth peer name "$5" \
        numtxqueues "$6" numrxqueues "$6" netns "$3"
    ip -n "$2" link set dev "$4" alias "xmaplab:$1"
    ip -n "$3" link set dev "$5" alias "xmaplab:$1"
}

# The target network: no forwarding, no ICMP rate limits, live (AnyIP) prefixes, everything
# else blackholed (silently dropped), an unreachable IPv6 prefix.
topo_target() { # NET VT LIVE16(0|1)
    local net=$1 vt=$2 p
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
    for p in $LIVE4; do ip -n "$net" route add local "$p" dev lo; done
    for p in $LIVE6; do ip -n "$net" -6 route add local "$p" dev lo; done
    # LAB_LIVE16=0 (benchmarks): the /16 is blackholed too, as is all of 198.18.0.0/15.
    [[ $3 == 0 ]] || ip -n "$net" route add local "$LIVE16" dev lo
    # Everything not live is dropped silently.  (Without the v6 blackhole the
    # kernel would answer dead IPv6 targets with ICMPv6 "no route".)
    ip -n "$net" route add blackhole default
    ip -n "$net" -6 route add blackhole default
    ip -n "$net" -6 route add unreachable "$UNREACH6"
}

# LAB_LOSS: drop LOSS% of the IP packets entering the target namespace on VT (ARP and
# neighbour discovery are exempt so gateway resolution stays deterministic).
topo_loss() { # NET VT LOSS
    local match="numgen random mod 100 < $3"
    (( $3 < 100 )) || match=""        # nft rejects "< 100" (range is 0-99)
    ip netns exec "$1" nft -f - <<NFT
table inet xmaplab {
    chain loss {
        type filter hook prerouting priority -300; policy accept;
        iifname "$2" icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept
        iifname "$2" $match drop
    }
}
NFT
}

# The scanner namespace: addresses and default routes via the target network's gateway.  Its
# neighbour table is deliberately left empty: xmap must resolve the gateway itself.
topo_scanner() { # SCAN NET VS VT
    local scan=$1 net=$2 vs=$3 vt=$4 scan_mac
    ip -n "$scan" addr add "$SRC4/$LINK4_LEN" dev "$vs"
    ip -n "$scan" -6 addr add "$SRC6/$LINK6_LEN" dev "$vs" nodad
    ip -n "$scan" link set "$vs" up
    ip -n "$scan" route add default via "$GW4"
    ip -n "$scan" -6 route add default via "$GW6"
    # The target network knows the scanner, as a real router knows its hosts.  Without this
    # the target kernel sometimes holds every reply for a second (one neighbour-solicitation
    # retransmit interval) before it resolves the scanner.
    scan_mac=$(ip -n "$scan" -o link show "$vs" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
    ip -n "$net" neigh replace "$SRC4" lladdr "$scan_mac" dev "$vt" nud permanent
    ip -n "$net" -6 neigh replace "$SRC6" lladdr "$scan_mac" dev "$vt" nud permanent
}

# The veth MACs, as ground truth for the tests.
topo_macs() { # DIR SCAN NET VS VT
    ip -n "$3" -br link show dev "$5" | awk '{print $3}' >"$1/gw_mac.txt"
    ip -n "$2" -br link show dev "$4" | awk '{print $3}' >"$1/scan_mac.txt"
}
