#!/usr/bin/env bash
# check-deb-install.sh DEB (root): the package works where no Swift toolchain exists.
#
# 1. debootstrap makes a minimal Debian root (bookworm, minbase) in a temporary directory,
#    fresh every run (nothing is cached, so the check depends on nothing this machine has);
# 2. apt-get installs DEB there (Depends resolved from the mirror) and man-db, and the root is
#    checked to have no Swift at all;
# 3. in the root: `xmap --version`, `man -l` on the installed page, `zmap --help`, `ziterate`,
#    the conffiles and the completion scripts;
# 4. a real scan with the installed binary: scripts/lab.sh creates a namespace lab and xmap (as
#    xmap, then as zmap) runs chrooted in its scanner namespace; the results must equal the lab's
#    ground truth. No packet is ever sent from the root network namespace;
# 5. apt-get purge removes the package and its conffiles.
#
# Every mount (the root's /proc, /dev and /sys, debootstrap's own) is made in a private mount
# namespace that ends with the command, and the lab and the temporary directory are removed on
# exit, whatever happened. DEB_CHECK_MIRROR overrides the mirror (default: the one apt uses).
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(realpath "${1:?usage: check-deb-install.sh DEB}")
[ "$(id -u)" = 0 ] || { echo "check-deb-install.sh: needs root (debootstrap, chroot, network namespaces)" >&2; exit 1; }
for tool in debootstrap dpkg-deb chroot unshare; do
    command -v $tool >/dev/null || { echo "check-deb-install.sh: $tool missing (make deps)" >&2; exit 1; }
done
# The Debian archive apt uses here (the first URI ending in /debian), else deb.debian.org.
mirror=${DEB_CHECK_MIRROR:-$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    awk '!found && ($1 == "URIs:" || $1 == "deb") && $2 ~ /^http.*\/debian\/?$/ { print $2; found = 1 }' ||
    true)}
mirror=${mirror:-http://deb.debian.org/debian}
version=$(dpkg-deb -f "$deb" Version)

work=$(mktemp -d "${TMPDIR:-/tmp}/xmap-deb-check.XXXXXX")
root=$work/root
lab=""
cleanup() {
    status=$?
    if [ -n "$lab" ]; then scripts/lab.sh down "$lab" >/dev/null 2>&1 || true; fi
    # Mounts live in private namespaces; should one be visible here anyway, it goes first.
    findmnt -rn -o TARGET | grep -F "$work" | sort -r | xargs -r -n 1 umount -l 2>/dev/null || true
    rm -rf "$work"
    [ $status = 0 ] && echo "check-deb-install: PASSED" || echo "check-deb-install: FAILED"
}
trap cleanup EXIT
fail() { echo "check-deb-install: $*" >&2; exit 1; }
step() { echo "== check-deb-install: $*"; }

# Runs a command in the root, in a mount namespace of its own with /proc, /dev and /sys (in_lab:
# in the lab's scanner network namespace too, whose /sys ip netns exec mounts first).
run_root() {
    local netns=$1 prefix=()
    shift
    [ -z "$netns" ] || prefix=(ip netns exec "$netns")
    "${prefix[@]}" unshare -m --propagation private /bin/sh -c '
        root=$1; shift
        mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && mount --rbind /sys "$root/sys" &&
        exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 "$@"
    ' sh "$root" "$@"
}
in_root() { run_root "" "$@"; }
in_lab() { run_root "$LAB_SCAN" "$@"; }

step "debootstrap bookworm (minbase) from $mirror"
start=$(date +%s)
if ! unshare -m --propagation private debootstrap --variant=minbase bookworm "$root" "$mirror" \
        >"$work/debootstrap.log" 2>&1; then
    tail -n 20 "$work/debootstrap.log" >&2
    fail "debootstrap failed"
fi
echo "   $(($(date +%s) - start)) s"

step "apt-get install $(basename "$deb") and man-db in the root"
cp "$deb" "$root/tmp/xmap.deb"
if ! in_root sh -c 'apt-get update -q >/tmp/apt.log 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends /tmp/xmap.deb man-db >>/tmp/apt.log 2>&1'; then
    tail -n 20 "$root/tmp/apt.log" >&2
    fail "apt-get install"
fi
in_root dpkg-query -W -f '${Status} ${Version}\n' xmap | grep -qx "install ok installed $version" ||
    fail "xmap $version is not installed"

step "no Swift toolchain or runtime in the root"
if in_root sh -c 'command -v swift swiftc; ls -d /opt/swift /usr/lib/swift 2>/dev/null;
        find / -xdev -name "libswiftCore*" -print -quit' | grep -q .; then
    fail "the root has a Swift toolchain or runtime"
fi
libraries=$(in_root ldd /usr/bin/xmap)
echo "$libraries" | sed 's/^/   /'
! grep -q "not found" <<<"$libraries" || fail "a library of /usr/bin/xmap is missing"
! grep -qi swift <<<"$libraries" || fail "/usr/bin/xmap links a Swift library"

step "xmap --version, zmap --help, ziterate"
got=$(in_root xmap --version)
[ "$got" = "xmap $version (Swift)" ] || fail "xmap --version: '$got'"
in_root zmap --help | head -n 1 | grep -qx "Usage: zmap \[OPTION\]... \[SUBNETS\]..." || fail "zmap --help"
in_root zmap --version | grep -q "^zmap 4" || fail "zmap --version"
[ "$(in_root ziterate -e 1 192.0.2.0/30 | sort | tr '\n' ' ')" = "192.0.2.0 192.0.2.1 192.0.2.2 192.0.2.3 " ] ||
    fail "ziterate"
for t in zblocklist ztee; do in_root $t --version | grep -q "^$t (xmap $version)" || fail "$t --version"; done

step "man pages"
for t in xmap zmap ziterate zblocklist ztee; do
    page=$(in_root man -w "$t")
    [ "$page" = "/usr/share/man/man1/$t.1.gz" ] || fail "man -w $t: $page"
    text=$(in_root env MANPAGER=cat MANWIDTH=100 man --warnings=w -l "$page" 2>"$work/man.err")
    [ ! -s "$work/man.err" ] || { cat "$work/man.err" >&2; fail "man -l $page warns"; }
    grep -q -- "--help" <<<"$text" || fail "man -l $page: no --help in the page"
done
in_root env MANPAGER=cat man -l /usr/share/man/man1/xmap.1.gz | grep -q -- "--max-len=len" || fail "xmap(1) options"

step "conffiles, completions, docs"
conffiles=$(in_root dpkg-query -W -f '${Conffiles}\n' xmap | awk 'NF { print $1 }' | sort | tr '\n' ' ')
expected="/etc/xmap/blacklist4.conf /etc/xmap/whitelist6.conf /etc/xmap/xmap.conf /etc/zmap/zmap.conf "
[ "$conffiles" = "$expected" ] || fail "conffiles: $conffiles"
for t in xmap zmap ziterate zblocklist ztee; do
    in_root bash -n "/usr/share/bash-completion/completions/$t" || fail "bash completion of $t"
    [ -s "$root/usr/share/zsh/vendor-completions/_$t" ] || fail "zsh completion of $t"
    [ -s "$root/usr/share/fish/vendor_completions.d/$t.fish" ] || fail "fish completion of $t"
done
[ -s "$root/usr/share/doc/xmap/copyright" ] && [ -s "$root/usr/share/doc/xmap/changelog.gz" ] || fail "doc files"

step "a lab scan with the installed binary (scripts/lab.sh namespaces; nothing leaves them)"
lab=deb$$
lab=${lab:0:12}
env_lines=$(LAB_DNS=0 scripts/lab.sh up "$lab")
eval "$env_lines"
[ -n "${LAB_SCAN:-}" ] && [ -n "${LAB_DIR:-}" ] || fail "lab.sh up gave no LAB_SCAN"
# IPv6 ICMP echo with the installed configuration (the whitelist keeps the scan inside 2000::/3).
in_lab xmap -6 -x 128 -R 20000 -c 1 -q -o /tmp/scan6.csv "$LAB_TARGETS6" || fail "xmap scan"
tail -n +2 "$root/tmp/scan6.csv" | LC_ALL=C sort | cmp -s - "$LAB_DIR/live6.txt" ||
    fail "xmap: results differ from live6.txt"
echo "   xmap -6 icmp_echo: $(($(wc -l <"$root/tmp/scan6.csv") - 1)) hosts, as the ground truth"
# TCP SYN as zmap; the installed /etc/zmap/zmap.conf blocks the documentation range, so first
# check that it does, then scan with an empty blocklist.
in_lab zmap -p 80 -r 20000 -c 1 -q -o /tmp/blocked.txt "$LAB_TARGETS4" >"$work/blocked.log" 2>&1 || true
[ ! -s "$root/tmp/blocked.txt" ] || fail "zmap scanned a range /etc/zmap/zmap.conf blocks"
grep -q "the blocklist /etc/xmap/blacklist4.conf excludes every target" "$work/blocked.log" ||
    { cat "$work/blocked.log"; fail "zmap did not refuse the range /etc/zmap/zmap.conf blocks"; }
echo "   zmap refuses $LAB_TARGETS4 with the installed /etc/zmap/zmap.conf"
in_lab zmap -p 80 -r 20000 -c 1 -q -b /dev/null -o /tmp/scan4.txt "$LAB_TARGETS4" || fail "zmap scan"
LC_ALL=C sort "$root/tmp/scan4.txt" | cmp -s - "$LAB_DIR/tcp80_4.txt" || fail "zmap: results differ from tcp80_4.txt"
echo "   zmap tcp_synscan -p 80: $(wc -l <"$root/tmp/scan4.txt") hosts, as the ground truth"
scripts/lab.sh down "$lab" >/dev/null
lab=""

step "apt-get purge xmap"
in_root sh -c 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -q xmap >/dev/null 2>&1' || fail "purge"
for f in /usr/bin/xmap /usr/bin/zmap /etc/xmap /etc/zmap /usr/share/man/man1/xmap.1.gz /usr/share/doc/xmap; do
    [ ! -e "$root$f" ] || fail "$f is still there after purge"
done
