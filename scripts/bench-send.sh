#!/usr/bin/env bash
# Send rate of xmap's backends against minimal senders, side by side in one run, inside a
# namespace lab whose target namespace blackholes 198.18.0.0/15 (nothing answers, nothing
# leaves the machine). Method:
#   - each sender sends 2^20 TCP SYNs with one thread (xmap: 131,072 addresses of
#     198.18.0.0/15 × --probes 8, at -R 0, with its receiver, capture and monitor running as in a
#     real scan);
#   - frames are counted on the far end of the veth (rx_packets) from the first to the last, by
#     a sampler pinned to CPU 0; every sender's sending thread runs on CPU 1 (xmap pins it there
#     itself, with its receiver on CPU 0; the minimal senders run under taskset -c 1);
#   - the sink drops everything at the blackhole route with TCP/UDP early demux off
#     (net.ipv4.ip_early_demux=0 in the target namespace): with it on, the sink looks every
#     SYN up in the established-socket hash first, and a scanner's million distinct tuples miss
#     the cache where the minimal senders' 4,096 cycled frames hit it, which charges the sender
#     for the sink's cache (measured: 3.5% of all samples in tcp_v4_early_demux);
#   - ROUNDS alternating rounds (default 3, the order reversed every other round); per round,
#     xmap's rate divided by each minimal sender's; the median of those ratios per run;
#   - the minimal senders: tx_mmsg and tx_xsk from ../shared/tools (SHARED_TOOLS=DIR), the
#     kernel's ceiling per backend, and tools/ref-sender.c (this repository's own);
#   - RUNS runs of all that (default 1); the table ends with xmap's ratio to each minimal sender
#     per run.
# COMPARE=1 adds Debian's zmap 2.1.1 and masscan (installed if missing) for reference.
#
#   make bench-send                      (builds the release binary first)
#   RUNS=5 scripts/bench-send.sh         the five-run check
#   BASELINE=/path/to/older/xmap scripts/bench-send.sh   (an older build in the same rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
XMAP=${XMAP:-$PWD/.build/release/xmap}
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-1}
SHARED_TOOLS=${SHARED_TOOLS:-$PWD/../shared/tools}
[[ -x $XMAP ]] || { echo "bench-send: build first (make release)" >&2; exit 1; }
if [[ ${COMPARE:-0} == 1 ]]; then
    for tool in zmap masscan; do
        command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
    done
fi

eval "$(LAB_DNS=0 LAB_LIVE16=0 LAB_QUEUES=2 scripts/lab.sh up)"
ip netns exec "$LAB_NET" sysctl -qw net.ipv4.ip_early_demux=0
WORK=$(mktemp -d)
trap 'scripts/lab.sh down "$LAB_NAME" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
GW_MAC=$(cat "$LAB_DIR/gw_mac.txt")
SCAN_MAC=$(cat "$LAB_DIR/scan_mac.txt")
RX=/sys/class/net/${LAB_NAME}t/statistics/rx_packets
N=1048576
TARGET=198.18.0.0/15

cc -O2 -o "$WORK/ref-sender" tools/ref-sender.c
have_shared=0
if [[ -f $SHARED_TOOLS/tx_mmsg.c && -f $SHARED_TOOLS/tx_xsk.c ]]; then
    gcc -O2 -o "$WORK/tx_mmsg" "$SHARED_TOOLS/tx_mmsg.c"
    gcc -O2 -o "$WORK/tx_xsk" "$SHARED_TOOLS/tx_xsk.c"
    have_shared=1
fi

# Runs "$@" in the scanner namespace while sampling the target's rx counter; prints "pps count".
measure() {
    ip netns exec "$LAB_NET" taskset -c 0 python3 - "$RX" "$WORK/done" >"$WORK/rate" <<'PY' &
import sys, time, os
path, done = sys.argv[1], sys.argv[2]
read = lambda: int(open(path).read())
last = read(); first_t = None; last_t = None; start = last; end = last
while not os.path.exists(done):
    time.sleep(0.002)
    v = read(); now = time.monotonic()
    if v != last:
        if first_t is None: first_t = now; start = last
        last_t = now; end = v; last = v
print(int((end - start) / (last_t - first_t)) if first_t and last_t > first_t else 0, end - start)
PY
    local sampler=$!
    sleep 0.3
    (cd "$WORK" && timeout -s INT -k 5 "${LIMIT:-120}" ip netns exec "$LAB_SCAN" "$@" >/dev/null 2>"$WORK/err") || true
    sleep 0.3
    touch "$WORK/done"; wait "$sampler"; rm -f "$WORK/done"
    cat "$WORK/rate"
}

declare -A rates   # "run name" -> space-separated pps of each round
senders=()
run() { # NAME CMD...
    local name=$1; shift
    [[ " ${senders[*]} " == *" $name "* ]] || senders+=("$name")
    local r; r=$(measure "$@")
    local pps=${r%% *} pkts=${r##* }
    (( pps > 0 )) || { tr '\r' '\n' <"$WORK/err" | tail -n 3 >&2; }
    printf '    %-20s %9d pps  (%d frames)\n' "$name" "$pps" "$pkts"
    rates["$run_index $name"]+="$pps "
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

xmap_syn=(-4 -M tcp_syn -p 80 --probes 8 -R 0 -c 0 -q -T 1 -o /dev/null)
# One round: every sender once, in the order given (reversed in even rounds).
round() {
    local order=("$@") i
    if (( round % 2 == 0 )); then
        for (( i = ${#order[@]} - 1; i >= 0; i-- )); do send "${order[i]}"; done
    else
        for i in "${order[@]}"; do send "$i"; done
    fi
}
send() {
    case $1 in
        "xmap packet") run "$1" "$XMAP" "${xmap_syn[@]}" "$TARGET" ;;
        "xmap afxdp") run "$1" "$XMAP" "${xmap_syn[@]}" --backend afxdp "$TARGET" ;;
        tx_mmsg) run "$1" taskset -c 1 "$WORK/tx_mmsg" "$LAB_IFACE" "$N" "$GW_MAC" ;;
        tx_xsk) run "$1" taskset -c 1 "$WORK/tx_xsk" "$LAB_IFACE" "$N" "$GW_MAC" 0 ;;
        "ref sendmmsg") run "$1" taskset -c 1 "$WORK/ref-sender" sendmmsg "$LAB_IFACE" "$SCAN_MAC" "$GW_MAC" \
            "$LAB_SRC4" 198.18.0.0 "$N" 0 ;;
        "ref afxdp") run "$1" taskset -c 1 "$WORK/ref-sender" afxdp "$LAB_IFACE" "$SCAN_MAC" "$GW_MAC" "$LAB_SRC4" \
            198.18.0.0 "$N" 0 ;;
        "baseline packet") run "$1" "$BASELINE" "${xmap_syn[@]}" "$TARGET" ;;
        "baseline afxdp") run "$1" "$BASELINE" "${xmap_syn[@]}" --backend afxdp "$TARGET" ;;
        "zmap 2.1.1") run "$1" zmap -M tcp_synscan -p 80 -P 8 -B 100G -c 0 -q -T 1 -G "$GW_MAC" -i "$LAB_IFACE" \
            -S "$LAB_SRC4" -b /dev/null -o /dev/null "$TARGET" ;;
        "masscan 1.3.2") LIMIT=20 run "$1" masscan "$TARGET" -p1-8 --rate 100000000 --router-mac "$GW_MAC" \
            --adapter "$LAB_IFACE" --adapter-ip "$LAB_SRC4" --wait 1 -oL /dev/null ;;
    esac
}
order=("xmap packet" "ref sendmmsg" "xmap afxdp" "ref afxdp")
(( have_shared )) && order=("xmap packet" tx_mmsg "ref sendmmsg" "xmap afxdp" tx_xsk "ref afxdp")
[[ -n ${BASELINE:-} ]] && order+=("baseline packet" "baseline afxdp")
[[ ${COMPARE:-0} == 1 ]] && order+=("zmap 2.1.1" "masscan 1.3.2")
ratio() { python3 -c "print('%.2f' % ($1 / max(1, $2)))"; }
# The median over the rounds of run $run_index of xmap's rate / the other's, round by round.
pair_ratio() { # XMAP_NAME OTHER_NAME
    local a=(${rates["$run_index $1"]}) b=(${rates["$run_index $2"]}) k
    for k in "${!a[@]}"; do ratio "${a[k]}" "${b[k]}"; done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
summary=()
for run_index in $(seq 1 "$RUNS"); do
    echo "run $run_index"
    for round in $(seq 1 "$ROUNDS"); do
        echo "  round $round"
        round "${order[@]}"
    done
    declare -A med=()
    for s in "${senders[@]}"; do med[$s]=$(median <<<"${rates["$run_index $s"]}"); done
    line="run $run_index: packet $(pair_ratio "xmap packet" "ref sendmmsg")x ref-sender"
    (( have_shared )) && line+=", $(pair_ratio "xmap packet" tx_mmsg)x tx_mmsg"
    line+="; afxdp $(pair_ratio "xmap afxdp" "ref afxdp")x ref-sender"
    (( have_shared )) && line+=", $(pair_ratio "xmap afxdp" tx_xsk)x tx_xsk"
    [[ ${COMPARE:-0} == 1 ]] && line+="; packet $(pair_ratio "xmap packet" "zmap 2.1.1")x zmap 2.1.1"
    summary+=("$line")
    echo "  medians of $ROUNDS rounds (packets/s):"
    for s in "${senders[@]}"; do printf '    %-20s %9d\n' "$s" "${med[$s]}"; done
done
echo
printf '%s\n' "${summary[@]}"
