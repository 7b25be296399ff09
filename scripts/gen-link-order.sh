#!/usr/bin/env bash
# Regenerates scripts/link-order.txt: the functions a scan runs, in the order it first runs them,
# which the release link (Makefile RELEASE_FLAGS, lld --symbol-ordering-file) lays out first in
# the binary. The kernel maps a binary's code 64 KiB at a time around each page a process
# touches, so hot code spread over the 6 MB binary (the Swift runtime included) cost ~5.6 MB of
# resident memory; laid out together it costs ~2.3 MB. Names the link does not find are ignored,
# so a stale list only costs memory, never correctness: rerun this after large changes.
#
# Runs callgrind (valgrind) on a release build in a namespace lab: a slow and a fast ICMP scan
# over IPv4 and IPv6, TCP SYN with JSON output, a DNS module, a UDP dry run, and --help.
#   scripts/gen-link-order.sh        (root; needs valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
make release >/dev/null
WORK=$(mktemp -d)
eval "$(scripts/lab.sh up)"
trap 'scripts/lab.sh down "$LAB_NAME" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
# valgrind cannot read the DWARF the Swift compiler writes; a copy without it runs the same code.
cp .build/release/xmap "$WORK/xmap"
strip --strip-debug "$WORK/xmap"
# Scans drop root for nobody, so callgrind, which writes its profile at exit, gets a file that
# nobody may write. Profiles are read in the order of the runs.
chmod 755 "$WORK"
runs=()
run() { # NAME ARGS...
    local name=$1; shift
    install -m 644 -o nobody /dev/null "$WORK/cg.$name"
    runs+=("$WORK/cg.$name")
    local rc=0
    ip netns exec "$LAB_SCAN" valgrind --tool=callgrind --demangle=no --vgdb=no \
        --callgrind-out-file="$WORK/cg.$name" "$WORK/xmap" "${keep[@]}" "$@" \
        >/dev/null 2>"$WORK/$name.log" || rc=$?
    echo "run $name: exit $rc: $(grep -v '^[=-][=-]' "$WORK/$name.log" | tail -n 1 | cut -c 1-100)"
}
# First the slow scan whose peak RSS docs/performance.md reports, status line and all. valgrind
# has no seccomp(2), so under it a scan that drops its privileges stops where it installs its
# filter: drop runs the drop up to that point, slow4 and the others run without it.
keep=()
run drop -4 -M icmp_echo -R 10 -n 20 -b /dev/null -o /dev/null "$LAB_TARGETS4"
keep=(--no-drop-privileges)
run slow4 -4 -M icmp_echo -R 10 -n 20 -b /dev/null -o /dev/null "$LAB_TARGETS4"
run fast4 -4 -M icmp_echo -R 2000 -q -b /dev/null "$LAB_TARGETS4"
run v6 -6 -x 128 -M icmp_echo -R 2000 -q "$LAB_TARGETS6"
run syn -4 -M tcp_syn -p 80 -R 2000 -q -O json -f '*' -b /dev/null "$LAB_TARGETS4"
run dns -4 -M dnsa -p 53 --probe-args=raw:recurse:text:A,www.example.test -O json -R 2000 -q -b /dev/null "$LAB_TARGETS4"
run dry -4 -M udp -p 53 -d -n 20 -i lo -G 00:00:5e:00:53:01 -S 192.0.2.1 198.51.100.0/24
run help --help
python3 - "${runs[@]}" >scripts/link-order.txt <<'PY'
import re, sys
# Every function of the xmap image that ran, in first-seen order, from callgrind's output.
seen, have = [], set()
for path in sys.argv[1:]:
    obs, fns, cur, cob = {}, {}, None, None
    for line in open(path, errors="replace"):
        m = re.match(r"^(ob|cob|fn|cfn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if not m:
            continue
        kind, ident, name = m.groups()
        if kind in ("ob", "cob"):
            if name:
                obs[ident] = name
            if kind == "ob":
                cur, cob = obs.get(ident), None
            else:
                cob = obs.get(ident)
            continue
        if name:
            fns[ident] = name
        fn = fns.get(ident)
        ob = cur if kind == "fn" else (cob or cur)
        if fn and ob and ob.endswith("/xmap") and not fn.startswith("0x") and fn not in have:
            have.add(fn)
            seen.append(fn)
        if kind == "cfn":
            cob = None
print("\n".join(seen))
PY
echo "scripts/link-order.txt: $(wc -l <scripts/link-order.txt) functions"
