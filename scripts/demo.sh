#!/usr/bin/env bash
# Builds nothing itself: runs a real xmap scan of a throw-away namespace lab and compares the
# results with the lab's ground truth. Usage: scripts/demo.sh [path/to/xmap]
# Every packet stays inside the two namespaces that scripts/lab.sh creates and removes.
set -euo pipefail
cd "$(dirname "$0")/.."
XMAP=${1:-.build/release/xmap}
[ "$(id -u)" = 0 ] || { echo "demo: must run as root (it creates network namespaces)" >&2; exit 1; }
[ -x "$XMAP" ] || { echo "demo: $XMAP not found; run 'make demo'" >&2; exit 1; }

eval "$(scripts/lab.sh up)"
trap 'scripts/lab.sh down "$LAB_NAME" >/dev/null 2>&1 || true' EXIT
OUT=$(mktemp -d /tmp/xmapdemo.XXXXXX)
trap 'scripts/lab.sh down "$LAB_NAME" >/dev/null 2>&1 || true; rm -rf "$OUT"' EXIT

scan() {   # title, truth file, xmap args...
  local title=$1 truth=$2; shift 2
  echo
  echo "== $title"
  echo "\$ xmap $*"
  ip netns exec "$LAB_SCAN" "$XMAP" "$@" -o "$OUT/result.csv"
  echo "-- results (first 10 of $(($(wc -l < "$OUT/result.csv") - 1))):"
  sed -n '2,11p' "$OUT/result.csv"
  local hits expected missing extra
  tail -n +2 "$OUT/result.csv" | LC_ALL=C sort > "$OUT/got.txt"
  hits=$(comm -12 "$OUT/got.txt" "$LAB_DIR/$truth" | wc -l)
  expected=$(wc -l < "$LAB_DIR/$truth")
  missing=$(comm -13 "$OUT/got.txt" "$LAB_DIR/$truth" | wc -l)
  extra=$(comm -23 "$OUT/got.txt" "$LAB_DIR/$truth" | wc -l)
  echo "-- summary: $hits hits / $expected expected ($missing missed, $extra unexpected)"
  [ "$missing" = 0 ] && [ "$extra" = 0 ]
}

status=0
scan "IPv6 ICMP echo scan of $LAB_TARGETS6 (every address: -x 128)" live6.txt \
  -6 -M icmp_echo -x 128 -R 10000 -c 1 "$LAB_TARGETS6" || status=1
scan "IPv4 TCP SYN scan of $LAB_TARGETS4 port $LAB_TCP_PORT" tcp80_4.txt \
  -4 -M tcp_syn -p "$LAB_TCP_PORT" -R 10000 -c 1 "$LAB_TARGETS4" || status=1
echo
[ $status = 0 ] && echo "demo: both scans found exactly the lab's live hosts" || echo "demo: results differ from the ground truth" >&2
exit $status
