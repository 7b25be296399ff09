#!/usr/bin/env bash
# Runs the lab integration tests STRESS_RUNS times (default 10) in a row while stress-ng keeps
# every core busy, and stops at the first failing run. A lab test that depends on timing fails
# here long before it fails one CI run in ten. Needs root; build the tests first
# (swift build --build-tests). Prints one line per run and exits 1 on a failure, whose log
# stays in .build/stress-lab-N.log.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
runs=${STRESS_RUNS:-10}
cpus=$(nproc)
stress-ng --cpu "$cpus" --timeout 24h >/dev/null 2>&1 &
stressor=$!
trap 'kill "$stressor" 2>/dev/null || true; wait "$stressor" 2>/dev/null || true' EXIT
for i in $(seq 1 "$runs"); do
    log=.build/stress-lab-$i.log
    start=$(date +%s)
    if $SWIFT test --skip-build --filter XMapLabTests >"$log" 2>&1; then
        echo "stress-lab run $i/$runs: passed ($(( $(date +%s) - start )) s, stress-ng --cpu $cpus)"
    else
        echo "stress-lab run $i/$runs: FAILED ($(( $(date +%s) - start )) s); see $log"
        grep -E "✘" "$log" | head -n 10
        exit 1
    fi
done
