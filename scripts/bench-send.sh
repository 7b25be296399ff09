#!/usr/bin/env bash
# Side-by-side send-rate benchmark: xmap against Debian's zmap and masscan, in one run, inside a
# namespace lab (scripts/lab.sh), so nothing leaves the machine. Each tool sends TCP SYNs to a
# blackholed 198.19.0.0/16 (8 packets per address, 524,288 in all) as fast as it can; then xmap's
# dnsa and zmap's udp module send the same DNS query (A www.example.test; zmap from a payload
# file) the same way. The rate is counted on the target side of the veth (rx_packets), from the
# first to the last packet. Prints packets/s per tool and xmap's ratio to each. (masscan 1.3.2 does not exit by itself
# after sending here, so it is stopped after 15 s (SIGINT, then SIGKILL); waiting is not counted.) Timings on a shared VM are noisy: compare
# the ratios, and run it twice.
#
#   scripts/bench-send.sh            (make bench-send builds the release binary first)
#   ROUNDS=3 scripts/bench-send.sh
#   BASELINE=/path/to/older/xmap scripts/bench-send.sh   (also runs an older build, for before/after)
set -euo pipefail
cd "$(dirname "$0")/.."
XMAP=${XMAP:-$PWD/.build/release/xmap}
ROUNDS=${ROUNDS:-2}
[[ -x $XMAP ]] || { echo "bench-send: build first (make release)" >&2; exit 1; }
for tool in zmap masscan; do
    command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
done

# No DNS server (nothing in the target namespace tracks connections); two queues, so AF_XDP can
# use two sender threads.
eval "$(LAB_DNS=0 LAB_QUEUES=2 scripts/lab.sh up)"
trap 'scripts/lab.sh down "$LAB_NAME" >/dev/null 2>&1' EXIT
GW_MAC=$(cat "$LAB_DIR/gw_mac.txt")
RX=/sys/class/net/${LAB_NAME}t/statistics/rx_packets
WORK=$(mktemp -d)
trap 'scripts/lab.sh down "$LAB_NAME" >/dev/null 2>&1; rm -rf "$WORK"' EXIT

# Runs "$@" in the scanner namespace while sampling the target's rx counter; prints pps.
measure() {
    ip netns exec "$LAB_NET" python3 - "$RX" "$WORK/done" >"$WORK/rate" <<'PY' &
import sys, time, os
path, done = sys.argv[1], sys.argv[2]
read = lambda: int(open(path).read())
last = read(); first_t = None; last_t = None; start = last; end = last
while not os.path.exists(done):
    time.sleep(0.005)
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

declare -A best
run() { # NAME CMD...
    local name=$1; shift
    local r; r=$(measure "$@")
    local pps=${r%% *} pkts=${r##* }
    (( pps > 0 )) || { tr '\r' '\n' <"$WORK/err" | tail -n 3 >&2; }
    printf '  %-22s %9d pps  (%d packets)\n' "$name" "$pps" "$pkts"
    (( pps > ${best[$name]:-0} )) && best[$name]=$pps
    return 0
}

TARGET=198.19.0.0/16
# Minimal C senders (tools/ref-sender.c): the kernel's ceiling for each backend in the same run.
REF=$WORK/ref-sender
cc -O2 -o "$REF" tools/ref-sender.c
SCAN_MAC=$(cat "$LAB_DIR/scan_mac.txt")
ref() { # MODE THREADS: 524,288 SYNs split over THREADS processes (queue i each)
    local mode=$1 n=$2 i cmd=""
    for ((i = 0; i < n; i++)); do
        cmd+="$REF $mode $LAB_IFACE $SCAN_MAC $GW_MAC $LAB_SRC4 198.19.0.0 $((524288 / n)) $i & "
    done
    echo "${cmd}wait"
}
# The DNS query zmap sends as a UDP payload: ID 0x1234, RD, one question, A www.example.test.
printf '\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07example\x04test\x00\x00\x01\x00\x01' >"$WORK/query.bin"
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round"
    run "xmap -T1" "$XMAP" -4 -M tcp_syn -p 80 --probes 8 -R 0 -c 0 -q "$TARGET"
    run "zmap 2.1.1 -T1" zmap -M tcp_synscan -p 80 -P 8 -B 100G -c 0 -q -T 1 -G "$GW_MAC" -i "$LAB_IFACE" \
        -S "$LAB_SRC4" -b /dev/null -o /dev/null "$TARGET"
    LIMIT=15 run "masscan 1.3.2" masscan "$TARGET" -p1-8 --rate 100000000 --router-mac "$GW_MAC" --adapter "$LAB_IFACE" \
        --adapter-ip "$LAB_SRC4" --wait 1 -oL /dev/null
    run "xmap -T2" "$XMAP" -4 -M tcp_syn -p 80 --probes 8 -R 0 -c 0 -q -T 2 "$TARGET"
    run "ref sendmmsg -T1" sh -c "$(ref sendmmsg 1)"
    run "ref sendmmsg -T2" sh -c "$(ref sendmmsg 2)"
    run "ref afxdp -T1" sh -c "$(ref afxdp 1)"
    run "ref afxdp -T2" sh -c "$(ref afxdp 2)"
    run "xmap afxdp -T1" "$XMAP" -4 -M tcp_syn -p 80 --probes 8 -R 0 -c 0 -q -T 1 --backend afxdp "$TARGET"
    run "xmap afxdp -T2" "$XMAP" -4 -M tcp_syn -p 80 --probes 8 -R 0 -c 0 -q -T 2 --backend afxdp "$TARGET"
    if [[ -n ${BASELINE:-} ]]; then
        run "baseline -T1" "$BASELINE" -4 -M tcp_syn -p 80 --probes 8 -R 0 -c 0 -q "$TARGET"
        run "baseline -T2" "$BASELINE" -4 -M tcp_syn -p 80 --probes 8 -R 0 -c 0 -q -T 2 "$TARGET"
    fi
    run "zmap 2.1.1 -T2" zmap -M tcp_synscan -p 80 -P 8 -B 100G -c 0 -q -T 2 -G "$GW_MAC" -i "$LAB_IFACE" \
        -S "$LAB_SRC4" -b /dev/null -o /dev/null "$TARGET"
    run "xmap dnsa -T1" "$XMAP" -4 -M dnsa -O json -p 53 --probes 8 -R 0 -c 0 -q -o /dev/null \
        --probe-args=raw:recurse:text:A,www.example.test "$TARGET"
    run "zmap udp (DNS) -T1" zmap -M udp -p 53 -P 8 --probe-args="file:$WORK/query.bin" -B 100G -c 0 -q -T 1 \
        -G "$GW_MAC" -i "$LAB_IFACE" -S "$LAB_SRC4" -b /dev/null -o /dev/null "$TARGET"
done
echo
echo "best of $ROUNDS rounds (packets/s) and xmap's ratio:"
names=("xmap -T1" "zmap 2.1.1 -T1" "masscan 1.3.2" "xmap -T2" "zmap 2.1.1 -T2" "xmap afxdp -T1" "xmap afxdp -T2"
       "ref sendmmsg -T1" "ref sendmmsg -T2" "ref afxdp -T1" "ref afxdp -T2" "xmap dnsa -T1" "zmap udp (DNS) -T1")
[[ -n ${BASELINE:-} ]] && names+=("baseline -T1" "baseline -T2")
for n in "${names[@]}"; do printf '  %-22s %9d\n' "$n" "${best[$n]}"; done
ratio() { python3 -c "print('%.2f' % ($1 / max(1, $2)))"; }
echo "  xmap -T1 / zmap -T1    $(ratio "${best[xmap -T1]}" "${best[zmap 2.1.1 -T1]}")"
echo "  xmap -T1 / masscan     $(ratio "${best[xmap -T1]}" "${best[masscan 1.3.2]}")"
echo "  xmap -T2 / zmap -T2    $(ratio "${best[xmap -T2]}" "${best[zmap 2.1.1 -T2]}")"
echo "  afxdp -T1 / zmap -T1   $(ratio "${best[xmap afxdp -T1]}" "${best[zmap 2.1.1 -T1]}")"
echo "  afxdp -T2 / zmap -T2   $(ratio "${best[xmap afxdp -T2]}" "${best[zmap 2.1.1 -T2]}")"
echo "  afxdp -T1 / xmap -T1   $(ratio "${best[xmap afxdp -T1]}" "${best[xmap -T1]}")"
echo "  xmap -T1 / ref sendmmsg -T1    $(ratio "${best[xmap -T1]}" "${best[ref sendmmsg -T1]}")"
echo "  xmap -T2 / ref sendmmsg -T2    $(ratio "${best[xmap -T2]}" "${best[ref sendmmsg -T2]}")"
echo "  afxdp -T1 / ref afxdp -T1      $(ratio "${best[xmap afxdp -T1]}" "${best[ref afxdp -T1]}")"
echo "  afxdp -T2 / ref afxdp -T2      $(ratio "${best[xmap afxdp -T2]}" "${best[ref afxdp -T2]}")"
echo "  dnsa / zmap udp (DNS)  $(ratio "${best[xmap dnsa -T1]}" "${best[zmap udp (DNS) -T1]}")"
if [[ -n ${BASELINE:-} ]]; then
    echo "  xmap -T1 / baseline    $(ratio "${best[xmap -T1]}" "${best[baseline -T1]}")"
    echo "  xmap -T2 / baseline    $(ratio "${best[xmap -T2]}" "${best[baseline -T2]}")"
fi
