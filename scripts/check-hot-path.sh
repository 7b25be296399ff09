#!/usr/bin/env bash
# check-hot-path.sh: the send loop makes no allocation and no retain per packet. For each probe
# module listed, a scan of N targets and one of 2N are sent (-R 0) on one end of a veth pair whose
# other end, in the same private network namespace, has no address (nothing answers, nothing
# leaves the namespace), with an LD_PRELOAD counter of
# malloc-family and swift_retain calls (scripts/alloc/count.c); the two totals must be equal up to
# SLACK calls (work that does not grow with the packet count, such as timer ticks). Needs root.
# It measures an optimised build with the Swift runtime as a shared library (in .build-hotpath):
# the installed build links the runtime in, where its retains cannot be interposed, and a debug
# build retains on every call it does not inline.
#
#   scripts/check-hot-path.sh [BIN]      N=32768 SLACK=64
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
if [ -n "${1:-}" ]; then
    bin=$(readlink -f "$1")
else
    [ "$(id -u)" = 0 ] || { echo "check-hot-path: needs root (network namespaces); skipped"; exit 0; }
    "$SWIFT" build -c release --product xmap --build-path .build-hotpath >/dev/null || exit 1
    bin=$(readlink -f .build-hotpath/release/xmap)
fi
N=${N:-32768}
SLACK=${SLACK:-64}
[ "$(id -u)" = 0 ] || { echo "check-hot-path: needs root (network namespaces); skipped"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -shared -fPIC -o "$work/count.so" scripts/alloc/count.c -ldl

# A private namespace per run: v0 with documentation addresses, its peer v1 up and silent.
run_in_ns() {
    unshare -n bash -c '
        ip link set lo up
        ip link add v0 type veth peer name v1 && ip link set v1 up && ip link set v0 up
        ip addr add 192.0.2.1/24 dev v0 && ip -6 addr add 2001:db8::1/64 dev v0 nodad
        "$@"' _ "$@"
}

status=0
check() { # FAMILY MODULE ARGS...
    local family=$1 module=$2; shift 2
    local counts=()
    for n in "$N" $((2 * N)); do
        : > "$work/count"
        if ! run_in_ns env LD_PRELOAD="$work/count.so" XMAP_COUNT_FILE="$work/count" "$bin" "-$family" \
                -M "$module" -i v0 -G 02:00:00:00:00:01 -R 0 -c 0 -q -e 7 -n "$n" -o /dev/null \
                -b /dev/null "$@" >"$work/out" 2>&1; then
            echo "check-hot-path: $module (IPv$family) failed:"; tail -3 "$work/out"; status=1; return
        fi
        counts+=("$(tail -n 1 "$work/count")")
    done
    read -r m1 r1 <<<"${counts[0]}"
    read -r m2 r2 <<<"${counts[1]}"
    local dm=$((m2 - m1)) dr=$((r2 - r1))
    local verdict=ok
    if ((dm > SLACK || dm < -SLACK || dr > SLACK || dr < -SLACK)); then verdict=FAILED; status=1; fi
    printf 'check-hot-path: %-9s IPv%s: %d more packets: %+d mallocs, %+d retains: %s\n' \
        "$module" "$family" "$N" "$dm" "$dr" "$verdict"
}

check 4 tcp_syn -S 192.0.2.1 -p 80 198.18.0.0/15
check 4 icmp_echo -S 192.0.2.1 198.18.0.0/15
check 4 udp -S 192.0.2.1 -p 53 198.18.0.0/15
check 4 dnsa -S 192.0.2.1 -p 53 -P 1 -O json --probe-args=raw:recurse:text:A,example.test 198.18.0.0/15
check 6 icmp_echo -S 2001:db8::1 -x 64 2001:db8:100::/40
check 6 tcp_syn -S 2001:db8::1 -p 80 -x 64 2001:db8:100::/40
exit $status
