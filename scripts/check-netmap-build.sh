#!/usr/bin/env bash
# Builds xmap with the netmap backend (swift build --traits Netmap, like ZMap's -DWITH_NETMAP=ON)
# and checks what this machine can check without netmap's kernel module:
#   - without /dev/netmap, --backend netmap is one clear line and exit status 1 (both builds);
#   - a dry run needs no device;
#   - with a stand-in /dev/netmap (in a private mount and network namespace, so nothing can
#     leave; scripts/netmap-standin.c checks each register request against netmap's API 14
#     layout, field by field), the netmap build goes through ZMap's start-up (the warning that
#     the interface leaves the host stack) and sends a well-formed register request, and the
#     default build says it was built without netmap. (The real module is not here: the README's
#     netmap section says how the backend was run on it.)
# The stand-in checks need root (the namespaces) and are skipped without it; `make test` calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
build() { "$SWIFT" build "$@" --product xmap >"$log" 2>&1 || { cat "$log" >&2; exit 1; }; }
build --traits Netmap --scratch-path .build-netmap
NETMAP_XMAP=$PWD/.build-netmap/debug/xmap
DEFAULT_XMAP=$PWD/.build/debug/xmap
[[ -x $DEFAULT_XMAP ]] || build
ARGS=(-4 -M icmp_echo -i lo -S 192.0.2.1 -G 02:00:00:00:00:01 -q 192.0.2.0/30)
fail() { echo "check-netmap-build: $*" >&2; exit 1; }

# expect NAME STATUS PATTERN CMD...: CMD exits with STATUS and its stderr's last line matches PATTERN.
expect() {
    local name=$1 want=$2 pattern=$3; shift 3
    local err status=0
    err=$("$@" 2>&1 >/dev/null) || status=$?
    [[ $status == "$want" ]] || fail "$name: exit status $status, expected $want: $err"
    [[ $(tail -n 1 <<<"$err") =~ $pattern ]] || fail "$name: unexpected message: $err"
    echo "check-netmap-build: $name: ok"
}

if [[ ! -e /dev/netmap ]]; then
    for build in "$NETMAP_XMAP" "$DEFAULT_XMAP"; do
        expect "no /dev/netmap ($(basename "$(dirname "$(dirname "$build")")"))" 1 'FATAL.*/dev/netmap does not exist' \
            "$build" --backend netmap "${ARGS[@]}"
    done
fi
expect "dry run" 0 '' "$NETMAP_XMAP" --backend netmap --dryrun "${ARGS[@]}"

if [[ $(id -u) != 0 ]]; then
    echo "check-netmap-build: not root: the stand-in /dev/netmap checks (namespaces) are skipped"
    exit 0
fi

# A stand-in /dev/netmap: a tmpfs over /dev (with /dev/null) in a private mount namespace, and a
# network namespace of its own with only lo.
standin() {
    unshare -m -n bash -c '
        set -e
        mount --make-rprivate /
        keep=$(mktemp -d)
        cp -a /dev/null /dev/zero /dev/urandom "$keep"/
        mount -t tmpfs devtmp /dev
        cp -a "$keep"/* /dev/
        rm -rf "$keep"
        touch /dev/netmap
        ip link set lo up
        exec "$@"' standin "$@"
}
# The stand-in checks every register request against netmap's API 14 layout (scripts/
# netmap-standin.c, LD_PRELOAD) and refuses it as the kernel would; a good request fails with
# EOPNOTSUPP (no rings behind it). First the stand-in's own check (it must refuse API 13's
# request), then xmap's request.
work=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$work"' EXIT
cc -O1 -Wall -Werror -shared -fPIC -o "$work/standin.so" scripts/netmap-standin.c -ldl
cc -O1 -Wall -Werror -DSTANDIN_SELFTEST -o "$work/selftest" scripts/netmap-standin.c -ldl
standin env LD_PRELOAD="$work/standin.so" "$work/selftest" || fail "the stand-in accepts a malformed request"
echo "check-netmap-build: stand-in refuses API 13's request: ok"
export NETMAP_STANDIN_REPORT=$work/report
expect "netmap build, stand-in device" 1 'FATAL.*netmap on lo: ioctl\(NIOCCTRL, register\) /dev/netmap: Operation not supported' \
    standin env LD_PRELOAD="$work/standin.so" "$NETMAP_XMAP" --backend netmap "${ARGS[@]}"
grep -qx 'register ok name=lo mode=1 ringid=0 flags=0x20000' "$work/report" \
    || fail "the register request is not netmap's API 14 request: $(cat "$work/report")"
echo "check-netmap-build: register request (API 14 layout, every field): ok"
out=$(standin "$NETMAP_XMAP" --backend netmap "${ARGS[@]}" 2>&1 || true)
grep -q 'lo is disconnected from the host network stack' <<<"$out" || fail "no warning before netmap registration: $out"
expect "default build, stand-in device" 1 'FATAL.*built without netmap \(swift build -c release --traits Netmap\)' \
    standin "$DEFAULT_XMAP" --backend netmap "${ARGS[@]}"
