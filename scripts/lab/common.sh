# shellcheck shell=bash
# common.sh - the lab's addresses and names, and the small helpers every part uses.
# Sourced by scripts/lab.sh (which sets LAB_LIB to this directory).
# shellcheck disable=SC2034  # the constants are used by the other parts

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

# ---------------------------------------------------------------- helpers
log() { printf 'lab: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

valid_name() {
    [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9_-]*$ ]] && (( ${#1} <= MAX_NAME_LEN ))
}

registry_of() { printf '%s%s.dir' "$REG_PREFIX" "$1"; }

# The lab directory a registered lab NAME recorded, or nothing.
lab_dir_of() { # NAME
    local reg dir=""
    reg=$(registry_of "$1")
    [[ -f $reg ]] && dir=$(head -n1 "$reg" 2>/dev/null || true)
    [[ $dir == /tmp/xmaplab.* ]] && printf '%s\n' "$dir"
    return 0
}

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
    # shellcheck disable=SC2016  # $1 and $2 are the inner shell's
    ip netns exec "$1" sh -c 'printf "%s\n" "$2" > "$1"' _ "$path" "$3"
}
# Same, but silently skip keys this kernel does not have.
ns_sysctl_opt() { # NS KEY VALUE
    local path=/proc/sys/${2//./\/}
    # shellcheck disable=SC2016
    ip netns exec "$1" sh -c '[ ! -e "$1" ] || printf "%s\n" "$2" > "$1"' _ "$path" "$3"
}

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
