#!/usr/bin/env bash
# `make test`: every test step, then a check that the run left nothing behind: no process (a
# daemon or an orphan, adopted by PID 1), no network namespace, no mount, no file in /tmp and no
# untracked file in the repository that was not there before. The steps run with TMPDIR set to a
# private directory that is removed at the end; the toolchain's own droppings there (SwiftPM's
# TemporaryDirectory.* and lock files) are expected, anything else in it is a test's leftover and
# fails the run.
#
#   scripts/run-tests.sh            all steps (what make test runs)
#   STEPS="unit" scripts/run-tests.sh
#   STEPS="install+hotpath" ...     two steps side by side
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}

private=$(mktemp -d /tmp/xmap-make-test.XXXXXX)
export TMPDIR=$private

snapshot() {
    local me=$BASHPID
    echo "== processes"
    # Daemons and orphans (parent: PID 1): what a test leaves running ends up there.
    ps -eo pid=,ppid=,args= | awk -v me="$me" '$2 == 1 && $1 != me { $2 = ""; print }' | sort -n
    echo "== namespaces"
    ip netns list 2>/dev/null | awk '{print $1}' | sort
    echo "== mounts"
    awk '{print $5}' /proc/self/mountinfo | sort
    echo "== tmp"
    ls -A /tmp | grep -v "^$(basename "$private")\$" | sort
    echo "== repository"
    git status --porcelain --untracked-files=all 2>/dev/null | sort
}

build_without_warnings() {
    local log=$private/build.log
    "$SWIFT" build --build-tests 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    [ "$rc" = 0 ] || return "$rc"
    if grep -q 'warning:' "$log"; then
        echo "== make test: the build printed warnings:"; grep 'warning:' "$log" | sort -u | head -20
        return 1
    fi
    rm -f "$log"
}

before=$(snapshot)
status=0
step() {
    echo "== make test: $*"
    local start=$SECONDS
    "$@" || { echo "== make test: FAILED: $*"; status=1; }
    echo "== make test: $(( SECONDS - start )) s: $*"
}

run_step() {
    case $1 in
        unit)
            # The build must be warning-free: a new warning fails the run (a fresh clone builds
            # everything, so CI sees every warning; locally only the files rebuilt).
            step build_without_warnings
            step "$SWIFT" test --skip-build ;;
        # An unoptimised fuzz build: it compiles in a tenth of the time; 30,000 inputs a target.
        fuzz) step env FUZZ_RUNS="${FUZZ_RUNS:-30000}" FUZZ_CONFIG="${FUZZ_CONFIG:-debug}" scripts/fuzz.sh ;;
        lint) step env SWIFT="$SWIFT" scripts/lint.sh ;;
        hotpath) step env SWIFT="$SWIFT" scripts/check-hot-path.sh ;;
        udp) step sh -c 'python3 scripts/check-udp-probes.py >/dev/null' ;;
        netmap) step env SWIFT="$SWIFT" scripts/check-netmap-build.sh ;;
        # make install/uninstall in a staging dir; as root the .deb in a fresh Debian root.
        install) step make -s --no-print-directory SWIFT="$SWIFT" check-install ;;
        *) echo "unknown step $1"; status=1 ;;
    esac
    return $status
}

# A+B runs steps A and B side by side, each output line prefixed with its step's name
# ("[install] ..."). install and hotpath each spend most of their time in a release build whose
# largest modules compile on one thread, so on two cores the pair takes little longer than one.
side_by_side() {
    local names pid pids=() s
    IFS=+ read -ra names <<<"$1"
    for s in "${names[@]}"; do
        (run_step "$s" 2>&1 | sed -u "s/^/[$s] /") &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || status=1; done
}

steps=${STEPS:-"lint unit fuzz udp netmap install+hotpath"}
for s in $steps; do
    case $s in
        *+*) side_by_side "$s" ;;
        *) run_step "$s" ;;
    esac
done

# iproute2 turns /run/netns into a mount point the first time a namespace is added; once the
# last lab namespace is gone that mount is its side effect, not a leftover of a test.
if ! grep -qx /run/netns <<<"$before" && [ -z "$(ip netns list 2>/dev/null)" ]; then
    umount /run/netns 2>/dev/null || true
fi

sleep 1
after=$(snapshot)
leftovers=$(diff <(echo "$before") <(echo "$after") | grep '^>' | sed 's/^> //')
# Files a test left in the private TMPDIR (the toolchain's are expected there).
stray=$(find "$private" -mindepth 1 -maxdepth 1 ! -name 'TemporaryDirectory.*' ! -name '*.lock' \
        ! -name 'swift-generated-sources' -printf '%f\n' 2>/dev/null)
rm -rf "$private"

if [ -n "$leftovers" ] || [ -n "$stray" ]; then
    echo "== make test: FAILED: the run left things behind:"
    [ -z "$leftovers" ] || echo "$leftovers" | sed 's/^/   /'
    [ -z "$stray" ] || echo "$stray" | sed 's/^/   (TMPDIR) /'
    status=1
else
    echo "== make test: nothing left behind (processes, namespaces, mounts, /tmp, repository)"
fi
exit $status
