#!/usr/bin/env bash
# Fuzzes every parser of untrusted input with libFuzzer (AddressSanitizer on, so leaks and
# memory errors count as crashes). Builds .build-fuzz/release/xmap-fuzz, then runs each target
# of Sources/XMapFuzzTargets for FUZZ_SECONDS (default 60), starting from its seed corpus in
# Tests/Fuzz/corpus/NAME, and prints one line per target:  fuzz NAME: N runs, C crashes
# Crash inputs land in .build-fuzz/artifacts/. Exit status 1 if any target crashed. The replies
# target takes every module of the probe catalog (XMapEngine's ProbeCatalog.entries, so the build
# includes the engine): the first input byte picks the module, and its seeds cover each one.
#
#   make fuzz                       60 s per target
#   FUZZ_SECONDS=600 make fuzz      longer
#   FUZZ_RUNS=20000 make fuzz       a fixed number of inputs per target with a fixed seed
#                                   (deterministic: what CI runs as a smoke test)
#   FUZZ_TARGETS="replies filter" make fuzz
#   FUZZ_CONFIG=debug ...           an unoptimised build (.build-fuzz/debug): it compiles in a
#                                   fraction of the time and runs inputs more slowly, which suits
#                                   the short smoke run of `make test`
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
toolchain=$(dirname "$(dirname "$(command -v swiftc)")")
runtime=$(ls "$toolchain"/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | head -n 1)
[[ -n $runtime ]] || { echo "fuzz: libFuzzer (libclang_rt.fuzzer_no_main) not found under $toolchain" >&2; exit 1; }

config=${FUZZ_CONFIG:-release}
[[ $config == release || $config == debug ]] || { echo "fuzz: FUZZ_CONFIG is release or debug" >&2; exit 1; }
$SWIFT build -c "$config" --build-path .build-fuzz --product xmap-fuzz \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xswiftc -DXMAP_LIBFUZZER -Xlinker "$runtime" -Xlinker -lstdc++ >"${TMPDIR:-/tmp}/xmap-fuzz-build.$$.log" 2>&1 \
    || { tail -n 30 "${TMPDIR:-/tmp}/xmap-fuzz-build.$$.log" >&2; rm -f "${TMPDIR:-/tmp}/xmap-fuzz-build.$$.log"; exit 1; }
rm -f "${TMPDIR:-/tmp}/xmap-fuzz-build.$$.log"
bin=.build-fuzz/$config/xmap-fuzz
targets=${FUZZ_TARGETS:-$(XMAP_FUZZ_LIST=1 "$bin")}
mkdir -p .build-fuzz/artifacts
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
failed=0
for name in $targets; do
    work=.build-fuzz/corpus/$name
    mkdir -p "$work"
    if [[ -n ${FUZZ_RUNS:-} ]]; then limit=(-runs="$FUZZ_RUNS" -seed=1); else limit=(-max_total_time="${FUZZ_SECONDS:-60}"); fi
    log=.build-fuzz/$name.log
    rm -f .build-fuzz/artifacts/"$name"-*
    status=0
    XMAP_FUZZ_TARGET=$name "$bin" "$work" "Tests/Fuzz/corpus/$name" "${limit[@]}" -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix=".build-fuzz/artifacts/$name-" >"$log" 2>&1 || status=$?
    runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -n 1)
    crashes=$(find .build-fuzz/artifacts -name "$name-*" | wc -l)
    if (( status != 0 && crashes == 0 )); then crashes=1; fi
    echo "fuzz $name: ${runs:-0} runs, $crashes crashes"
    if (( crashes > 0 )); then failed=1; grep -E "ERROR|SUMMARY|Fatal error" "$log" | head -n 5 >&2 || true; fi
done
exit $failed
