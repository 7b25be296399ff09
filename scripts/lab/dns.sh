# shellcheck shell=bash
# dns.sh - BIND in the target namespace: three server addresses with a view each (the signed
# zone example.test, REFUSED, an empty example.test), reached from the live DNS groups through
# DNAT, and the DNS ground truth.  Optional: without named only the DNS tests cannot run.
# Sourced by scripts/lab.sh; uses the constants of common.sh and lab_spawn of services.sh.
# shellcheck disable=SC2034  # DNS_NAME is read by lab.sh

# The zones (from dns/ beside this file), keys, the signed zone and named.conf in DIR/dns.
write_dns() { # DIR
    local d=$1/dns
    mkdir -p "$d"
    # version.bind in class CHAOS is served by a view of our own (BIND's built-in one rate-limits).
    cp "$LAB_LIB/dns/example.test.zone" "$LAB_LIB/dns/empty.zone" "$LAB_LIB/dns/bind.zone" "$d/"
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
    "$(pick_python)" -B "$LAB_LIB/truth.py" dns "$1" "$TARGETS4" "$LIVE4" "$DNS4_NOERROR" "$DNS4_REFUSED" \
        "$DNS4_NXDOMAIN" "$TARGETS6" "$LIVE6" "$DNS6_NOERROR" "$DNS6_REFUSED" "$DNS6_NXDOMAIN"
}

# The server addresses on lo, and DNAT from each live group to its server.
dns_nat() { # NET
    local i
    for i in 1 2 3; do
        ip -n "$1" addr add "${DNS_SERVER4}.$i/32" dev lo
        ip -n "$1" -6 addr add "${DNS_SERVER6}:$i/128" dev lo nodad
    done
    ip netns exec "$1" nft -f - <<NFT
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
}

# Sets DNS_NAME to the zone when the server runs (empty without it, or with LAB_DNS=0).
DNS_NAME=""
start_dns() { # DIR NET WANTED(0|1)
    DNS_NAME=""
    if [[ $3 == 0 ]]; then
        log "no DNS server (LAB_DNS=0)"
    elif command -v named >/dev/null 2>&1 && command -v dnssec-signzone >/dev/null 2>&1; then
        write_dns "$1"
        write_dns_truth "$1"
        dns_nat "$2"
        lab_spawn "$2" "$1/named.log" named -c "$1/dns/named.conf" -f -u root
        wait_for "DNS server on :53" 100 count_listening "$2" -lun 53 6
        DNS_NAME=$DNS_ZONE
    else
        log "warning: no DNS server (install bind9 and bind9-utils for the DNS tests)"
    fi
}
