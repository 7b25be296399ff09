#!/usr/bin/env bash
# check-install.sh [DEB]: `make check-install`, part of `make test`.
#
# 1. `make install` into a staging DESTDIR installs exactly the expected set (the binary and its
#    four ZMap names as links, five man pages, fifteen completion scripts, the docs and UDP
#    payloads, the four config files), and the installed names run;
# 2. a second `make install` keeps a config file the user changed; `make uninstall` then removes
#    everything but that file (and its directory), and, once the file is the shipped one again,
#    everything: install and uninstall handle the same set;
# 3. with DEB, its Installed-Size is what dpkg-gencontrol computes for its files;
# 4. as root, with DEB: scripts/check-deb-install.sh (the package in a fresh Debian root, with a
#    lab scan). Without root that part is skipped, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:-}
dest=$(mktemp -d "${TMPDIR:-/tmp}/xmap-install-check.XXXXXX")
log=$dest.log
trap 'rm -rf "$dest" "$log"' EXIT
fail() { echo "check-install: $*" >&2; exit 1; }
prefix=/usr/local
make_() {
    make -s --no-print-directory "$@" DESTDIR="$dest" PREFIX=$prefix >"$log" 2>&1 || { cat "$log"; fail "make $*"; }
}
installed() { (cd "$dest" && find . \( -type f -o -type l \) -printf '/%P\n' | LC_ALL=C sort); }

echo "== check-install: make install DESTDIR=$dest PREFIX=$prefix"
make_ install
expected=$(
    for t in xmap zmap ziterate zblocklist ztee; do
        echo "$prefix/bin/$t"
        echo "$prefix/share/man/man1/$t.1"
        echo "$prefix/share/bash-completion/completions/$t"
        echo "$prefix/share/zsh/site-functions/_$t"
        echo "$prefix/share/fish/vendor_completions.d/$t.fish"
    done
    for f in conf/*.conf; do echo "/etc/xmap/$(basename "$f")"; done
    echo /etc/zmap/zmap.conf
    for f in README.md docs/*.md; do
        [ "$f" = docs/ARCHITECTURE.md ] || echo "$prefix/share/doc/xmap/$(basename "$f")"
    done
    for f in examples/udp-probes/*; do echo "$prefix/share/doc/xmap/examples/udp-probes/$(basename "$f")"; done
)
expected=$(LC_ALL=C sort <<<"$expected")
diff <(echo "$expected") <(installed) || fail "make install: the set differs from the expected one (<) installed (>)"
for t in zmap ziterate zblocklist ztee; do
    [ "$(readlink "$dest$prefix/bin/$t")" = xmap ] || fail "$t is not a link to xmap"
    "$dest$prefix/bin/$t" --version | grep -q "^$t" || fail "$t --version"
done
"$dest$prefix/bin/xmap" --version | grep -q "^xmap " || fail "xmap --version"
cmp -s conf/zmap/zmap.conf "$dest/etc/zmap/zmap.conf" || fail "/etc/zmap/zmap.conf is not the shipped file"
echo "   $(wc -l <<<"$expected") files, as expected"

echo "== check-install: a changed config file survives install and uninstall"
echo "rate 10" >>"$dest/etc/xmap/xmap.conf"
make_ install
tail -n 1 "$dest/etc/xmap/xmap.conf" | grep -qx "rate 10" || fail "make install overwrote a changed config file"
make_ uninstall
[ "$(installed)" = /etc/xmap/xmap.conf ] || fail "make uninstall left: $(installed | tr '\n' ' ')"
cp conf/xmap.conf "$dest/etc/xmap/xmap.conf"
make_ uninstall
[ -z "$(installed)" ] || fail "make uninstall left: $(installed | tr '\n' ' ')"
[ ! -e "$dest/etc/xmap" ] && [ ! -e "$dest/etc/zmap" ] && [ ! -e "$dest$prefix/share/doc/xmap" ] ||
    fail "make uninstall left a directory of its own"
echo "   uninstall removed all $(wc -l <<<"$expected") files"

if [ -n "$deb" ] && command -v dpkg-gencontrol >/dev/null; then
    echo "== check-install: the package's Installed-Size is dpkg-gencontrol's"
    tree=$dest/deb
    mkdir -p "$tree/src/debian"
    dpkg-deb -R "$deb" "$tree/pkg"
    rm "$tree/pkg/DEBIAN/control"
    printf 'Source: xmap\nMaintainer: x <x@example.org>\n\nPackage: xmap\nArchitecture: any\nDescription: x\n x\n' \
        >"$tree/src/debian/control"
    printf 'xmap (%s) unstable; urgency=medium\n\n  * x\n\n -- x <x@example.org>  Thu, 01 Jan 2026 00:00:00 +0000\n' \
        "$(dpkg-deb -f "$deb" Version)" >"$tree/src/debian/changelog"
    want=$(cd "$tree/src" && dpkg-gencontrol -P"$tree/pkg" -O 2>/dev/null | sed -n 's/^Installed-Size: //p')
    [ "$(dpkg-deb -f "$deb" Installed-Size)" = "$want" ] ||
        fail "Installed-Size $(dpkg-deb -f "$deb" Installed-Size), dpkg-gencontrol computes $want"
    rm -rf "$tree"
    echo "   $want KiB"
fi
if [ -z "$deb" ]; then
    echo "== check-install: no package given: the .deb was not checked"
elif [ "$(id -u)" != 0 ]; then
    echo "== check-install: not root: the .deb install check (debootstrap, lab scan) was skipped"
else
    scripts/check-deb-install.sh "$deb"
fi
