#!/usr/bin/env bash
# build-deb.sh BINARY DOCS_DIR OUT_DIR VERSION: the Debian package of xmap, with dpkg-deb (no
# debhelper). `make deb` runs it after the release build and `make docs`.
#
#   /usr/bin/xmap                 the release binary (Swift runtime and libstdc++ linked in), stripped
#   /usr/bin/{zmap,ziterate,zblocklist,ztee} -> xmap
#   /etc/xmap/*.conf, /etc/zmap/zmap.conf         conffiles
#   /usr/share/man/man1/*.1.gz                    the generated man pages
#   /usr/share/bash-completion/completions/TOOL, /usr/share/zsh/vendor-completions/_TOOL,
#   /usr/share/fish/vendor_completions.d/TOOL.fish
#   /usr/share/doc/xmap/          README, compatibility notes, copyright, changelog, UDP payloads
#
# Depends comes from dpkg-shlibdeps (the libraries the binary links: libc6, libpcap0.8,
# libhiredis0.14); Installed-Size as dpkg-gencontrol computes it. Writes
# OUT_DIR/xmap_VERSION_ARCH.deb, then runs lintian on it when lintian is installed (every tag,
# info, pedantic and experimental ones too, is printed; errors fail the build). DEB_MAINTAINER
# overrides the Maintainer field (default: the author of the last commit).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:?usage: build-deb.sh BINARY DOCS_DIR OUT_DIR VERSION}
docs=${2:?docs dir}
out=${3:?output dir}
version=${4:?version}
arch=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-$(git log -1 --format='%an <%ae>' 2>/dev/null || echo "xmap <xmap@localhost>")}
date=$(git log -1 --format=%cD 2>/dev/null || date -R)
tools="xmap zmap ziterate zblocklist ztee"

for t in $tools; do
    for f in "$docs/man1/$t.1" "$docs/bash/$t" "$docs/zsh/_$t" "$docs/fish/$t.fish"; do
        [ -s "$f" ] || { echo "build-deb.sh: $f is missing (run make docs)" >&2; exit 1; }
    done
done
if ! command -v dpkg-shlibdeps >/dev/null; then
    echo "build-deb.sh: dpkg-shlibdeps missing (apt-get install dpkg-dev)" >&2
    exit 1
fi

root=$out/root
rm -rf "$root"
mkdir -p "$root/DEBIAN"
umask 022

# The program and its names.
install -D -m 755 "$binary" "$root/usr/bin/xmap"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/xmap"
for t in $tools; do [ "$t" = xmap ] || ln -s xmap "$root/usr/bin/$t"; done

# Configuration (conffiles).
install -D -m 644 -t "$root/etc/xmap" conf/*.conf
install -D -m 644 conf/zmap/zmap.conf "$root/etc/zmap/zmap.conf"

# Man pages and completions.
for t in $tools; do
    install -D -m 644 "$docs/man1/$t.1" "$root/usr/share/man/man1/$t.1"
    gzip -9n "$root/usr/share/man/man1/$t.1"
    install -D -m 644 "$docs/bash/$t" "$root/usr/share/bash-completion/completions/$t"
    install -D -m 644 "$docs/zsh/_$t" "$root/usr/share/zsh/vendor-completions/_$t"
    install -D -m 644 "$docs/fish/$t.fish" "$root/usr/share/fish/vendor_completions.d/$t.fish"
done

# Documentation: Debian compresses files over 4 KiB; the UDP payloads stay as they are (they are
# read by --probe-args=dir:).
doc=$root/usr/share/doc/xmap
install -D -m 644 -t "$doc" README.md
# The copyright years: those of the first and the last commit.
first=$(git log --format=%cd --date=format:%Y 2>/dev/null | tail -n 1)
last=$(git log -1 --format=%cd --date=format:%Y 2>/dev/null || date +%Y)
years=${first:-$last}
[ "$years" = "$last" ] || years="$years-$last"
sed "s/@YEARS@/$years/" packaging/debian/copyright > "$doc/copyright"
chmod 644 "$doc/copyright"
for f in docs/*.md; do [ "$f" = docs/ARCHITECTURE.md ] || install -m 644 "$f" "$doc/"; done
install -D -m 644 -t "$doc/examples/udp-probes" examples/udp-probes/*
for f in "$doc"/*.md; do [ "$(stat -c %s "$f")" -le 4096 ] || gzip -9n "$f"; done
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
printf 'xmap (%s) unstable; urgency=medium\n\n  * Built from commit %s.\n\n -- %s  %s\n' \
    "$version" "$commit" "$maintainer" "$date" | gzip -9n > "$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"

# Control files.
depends=$(
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    mkdir "$tmp/debian"
    printf 'Source: xmap\n\nPackage: xmap\nArchitecture: any\n' > "$tmp/debian/control"
    root_abs=$(realpath "$root")
    cd "$tmp" && dpkg-shlibdeps -O "$root_abs/usr/bin/xmap" 2>/dev/null | sed -n 's/^shlibs:Depends=//p'
)
[ -n "$depends" ] || { echo "build-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
find "$root/etc" -type f | sed "s|^$root||" | sort > "$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
    > "$root/DEBIAN/md5sums"
# Installed-Size as dpkg-gencontrol computes it in a fresh build directory (before it writes
# DEBIAN/control): every file's size in KiB rounded up, 1 for every other inode (directories, the
# top one and DEBIAN too, and symbolic links).
size=$(find "$root" -printf '%y %s\n' | awk '{ n += ($1 == "f") ? int(($2 + 1023) / 1024) : 1 } END { print n }')
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@INSTALLED_SIZE@|$size|" -e "s|@DEPENDS@|$depends|" packaging/debian/control.in > "$root/DEBIAN/control"
chmod 644 "$root/DEBIAN/"*

deb=$out/xmap_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "built $deb ($(stat -c %s "$deb") bytes, Installed-Size $size KiB, Depends: $depends)"

if command -v lintian >/dev/null; then
    echo "lintian $deb:"
    # lintian leaves a cache file (mldbm-elf-*) in TMPDIR: it gets a directory of its own.
    scratch=$(mktemp -d)
    tags=$(TMPDIR=$scratch lintian --display-info --display-experimental --pedantic "$deb" 2>&1 |
           grep -v "^running with root" || true)
    rm -rf "$scratch"
    echo "${tags:-  (no tags)}" | sed 's/^/  /'
    if grep -q '^E:' <<<"$tags"; then echo "build-deb.sh: lintian reports errors" >&2; exit 1; fi
else
    echo "lintian not installed: the package was not checked (apt-get install lintian)"
fi
