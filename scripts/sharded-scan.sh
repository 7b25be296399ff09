#!/usr/bin/env bash
# sharded-scan.sh - what the Kubernetes Indexed Job does, on one machine: N shards of one scan,
# same seed, pushing into one Redis list, then the list is checked against a single-process
# scan of the same seed. Runs in a throw-away namespace lab (scripts/lab.sh) with its own
# redis-server on a Unix socket; every packet stays inside the lab. Needs root.
#
#   scripts/sharded-scan.sh [N]          (or: make sharded-scan SHARDS=N; default 4)
#
# The shards run one after another: shards that share an interface would each capture the
# others' replies (they validate, being the same scan) and report them twice.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-${SHARDS:-4}}
XMAP=${XMAP:-.build/release/xmap}
SEED=${SEED:-20261201}
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "sharded-scan: N must be a positive integer" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "sharded-scan: must run as root (it creates network namespaces)" >&2; exit 1; }
[ -x "$XMAP" ] || { echo "sharded-scan: $XMAP not found (make release)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "sharded-scan: redis-server is missing (make deps)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/xmapshards.XXXXXX)
LAB_NAME=""
cleanup() {
    [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true
    [ -n "$LAB_NAME" ] && scripts/lab.sh down "$LAB_NAME" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
eval "$(LAB_DNS=0 scripts/lab.sh up 2>"$WORK/lab.log")"
redis-server --port 0 --unixsocket "$WORK/redis.sock" --save '' --appendonly no --daemonize yes \
    --pidfile "$WORK/redis.pid" --dir "$WORK" --logfile "$WORK/redis.log"
for _ in $(seq 100); do [ -S "$WORK/redis.sock" ] && break; sleep 0.05; done

TARGET=$LAB_LIVE16   # 65,536 live hosts
common=(-4 -M icmp_echo -e "$SEED" -R 50000 -c 2 -q -O redis-csv)
echo "scanning $TARGET in $N shards (seed $SEED) into redis list 'shards'"
for ((i = 0; i < N; i++)); do
    ip netns exec "$LAB_SCAN" "$XMAP" "${common[@]}" --shards "$N" --shard "$i" \
        --output-args "local://$WORK/redis.sock/shards" -m "$WORK/shard-$i.json" "$TARGET" 2>>"$WORK/xmap.log" \
        || { tail -n 3 "$WORK/xmap.log" >&2; exit 1; }
    printf '  shard %d/%d: %s results\n' "$i" "$N" \
        "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results_written"])' "$WORK/shard-$i.json")"
done
echo "the same scan in one process, into list 'single'"
ip netns exec "$LAB_SCAN" "$XMAP" "${common[@]}" --output-args "local://$WORK/redis.sock/single" "$TARGET" 2>>"$WORK/xmap.log" \
    || { tail -n 3 "$WORK/xmap.log" >&2; exit 1; }

cli() { redis-cli -s "$WORK/redis.sock" "$@"; }
cli lrange shards 0 -1 | sort >"$WORK/shards.txt"
cli lrange single 0 -1 | sort >"$WORK/single.txt"
total=$(wc -l <"$WORK/shards.txt"); distinct=$(sort -u "$WORK/shards.txt" | wc -l)
echo "shards: $total results ($distinct distinct); single process: $(wc -l <"$WORK/single.txt")"
if [ "$total" = "$distinct" ] && cmp -s "$WORK/shards.txt" "$WORK/single.txt"; then
    echo "OK: the union of the $N shards is exactly the single scan, with no duplicates"
else
    echo "MISMATCH between the shards and the single scan" >&2
    exit 1
fi
