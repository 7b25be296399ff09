# xmap — two entry points for a new user (see README):
#   make demo   build a release binary and scan a local namespace lab (needs root)
#   make test   run every test (unit tests; lab integration tests when root)
# `make help` lists every target: each has a `## name: what it does` line above its rule.
SWIFT ?= swift
# The last line: what the documentation tests and `make deb` use (man pages rendered with groff,
# completions checked with bash, zsh and fish, packages built with dpkg-deb, checked by lintian,
# installed into a debootstrap root).
APT_PACKAGES := libpcap-dev iproute2 socat python3 nftables pkg-config stress-ng bind9 bind9-utils bind9-dnsutils \
	snmpd libhiredis-dev redis-server libcap2-bin \
	man-db groff-base zsh fish dpkg-dev lintian debootstrap

.PHONY: lab-shell lint all help deps build release netmap demo test stress-lab fuzz fuzz-smoke bench bench-send sharded-scan docs \
	install uninstall deb check-install clean

## all: the debug build (same as build)
all: build

## help: list the targets, one line each
help:
	@sed -n 's/^## \([a-z-]*\): /\1\t/p' $(firstword $(MAKEFILE_LIST)) | awk -F'\t' '{ printf "  %-13s %s\n", $$1, $$2 }'

# Install what a fresh Debian 12 machine lacks (only when something is missing). Services the
# packages bring (bind9's named) are not started: the lab runs its own, inside a namespace.
## deps: apt-get install what a fresh Debian 12 lacks for building and testing (root)
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "run as root (or install:$$missing)"; exit 1; fi; \
	  policy=""; if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; \
	    chmod 755 /usr/sbin/policy-rc.d; policy=1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; status=$$?; \
	  [ -z "$$policy" ] || rm -f /usr/sbin/policy-rc.d; \
	  [ $$status = 0 ] || exit 1; \
	fi

## build: the debug build (.build/debug)
build: deps
	$(SWIFT) build

# Release builds (make release, install, deb, demo, benchmarks): the Swift runtime and libstdc++
# linked in, so the binary runs without a Swift toolchain; lld lays the functions a scan runs
# out together first (scripts/link-order.txt, from scripts/gen-link-order.sh), so a scan maps
# little of the binary (peak RSS of a slow scan: 22 MB before, about 8 MB now). libstdc++ is
# linked statically by putting only its archive first on the library path.
STATIC_LIBS := .build-static-libs
RELEASE_FLAGS := -c release --static-swift-stdlib -Xswiftc -use-ld=lld -Xswiftc -Xfrontend -Xswiftc -function-sections \
	-Xlinker --symbol-ordering-file=$(CURDIR)/scripts/link-order.txt -Xlinker --no-warn-symbol-ordering \
	-Xlinker -L$(CURDIR)/$(STATIC_LIBS) -Xlinker --no-export-dynamic -Xlinker -z -Xlinker pack-relative-relocs

$(STATIC_LIBS)/libstdc++.a:
	mkdir -p $(STATIC_LIBS)
	ln -sf "$$(gcc -print-file-name=libstdc++.a)" $@

## release: the release build, Swift runtime and libstdc++ linked in (.build/release)
release: deps $(STATIC_LIBS)/libstdc++.a
	$(SWIFT) build $(RELEASE_FLAGS)

## demo: build a release binary and scan a local namespace lab (root)
demo: release
	scripts/demo.sh .build/release/xmap

## test: every test: unit tests, fuzz smoke, and the lab, package and install tests as root
test: deps
	SWIFT=$(SWIFT) scripts/run-tests.sh

# The netmap backend (ZMap's -DWITH_NETMAP=ON): a release build with the Netmap trait, in its
# own build directory. Needs netmap's kernel module (/dev/netmap) to run.
## lab-shell: a shell in the scanner namespace of a live lab (brought up, and removed on exit) (root)
lab-shell: build
	XMAP=.build/debug/xmap scripts/lab.sh shell

## lint: swift format's check (.swift-format: 4 spaces, lines <= 120) and no Sources file over 400 lines
lint:
	scripts/lint.sh

## netmap: the release build with the netmap backend (.build-netmap)
netmap: deps $(STATIC_LIBS)/libstdc++.a
	$(SWIFT) build $(RELEASE_FLAGS) --traits Netmap --scratch-path .build-netmap

# The lab tests STRESS_RUNS times (default 10) while stress-ng keeps every core busy (root).
## stress-lab: the lab tests STRESS_RUNS times (default 10) with every core busy (root)
stress-lab: deps
	$(SWIFT) build --build-tests
	scripts/stress-lab.sh

# libFuzzer with AddressSanitizer over every parser of untrusted input, FUZZ_SECONDS (default 60)
# per target; prints "fuzz NAME: N runs, C crashes" per target (scripts/fuzz.sh).
## fuzz: every fuzz target for FUZZ_SECONDS (default 60) with libFuzzer and ASan
fuzz: deps
	scripts/fuzz.sh

# A deterministic short run of every fuzz target (fixed inputs count and seed): part of `make test`.
## fuzz-smoke: a short deterministic run of every fuzz target (part of make test)
fuzz-smoke: deps
	FUZZ_RUNS=$${FUZZ_RUNS:-30000} FUZZ_CONFIG=$${FUZZ_CONFIG:-debug} scripts/fuzz.sh

# Generation speed (permutation + allow/block lookup + packet build), no I/O.
## bench: target generation speed (permutation, lookup, packet build), no I/O
bench: deps $(STATIC_LIBS)/libstdc++.a
	$(SWIFT) build $(RELEASE_FLAGS) --product xmap-bench
	.build/release/xmap-bench

# Send rate against Debian's zmap and masscan, side by side in a namespace lab (root).
## bench-send: send rate against minimal senders in a namespace lab (root)
bench-send: release
	scripts/bench-send.sh

# A scan split into SHARDS shards pushing into one Redis list, checked against the single scan,
# in a namespace lab (what deploy/kubernetes does on a cluster; needs root).
## sharded-scan: a scan in SHARDS shards into one Redis list, checked against one scan (root)
sharded-scan: release
	scripts/sharded-scan.sh $(SHARDS)

# Man pages (xmap(1), zmap(1), ziterate(1), zblocklist(1), ztee(1)) and bash, zsh and fish
# completions, generated by xmap-docs from the option tables behind each tool's --help and from
# the hand-written parts in docs/man/TOOL.1.in; the compatibility notes are the README's
# sections on XMap and ZMap. Dated by the last commit, so a rebuild gives the same files.
TOOLS := xmap zmap ziterate zblocklist ztee
ZMAP_NAMES := $(filter-out xmap,$(TOOLS))
DOCS_DIR := .build-docs
DOC_DATE ?= $(shell git log -1 --format=%cs 2>/dev/null || date -u +%F)
VERSION := $(shell sed -n 's/.*version = "xmap \([0-9][0-9.]*\).*/\1/p' Sources/XMapCLI/XMapMain.swift)
XMAP_DOCS := .build/release/xmap-docs

## docs: man pages and completions into .build-docs
docs: release
	rm -rf $(DOCS_DIR)
	mkdir -p $(DOCS_DIR)/man1 $(DOCS_DIR)/bash $(DOCS_DIR)/zsh $(DOCS_DIR)/fish
	set -e; for t in $(TOOLS); do \
	  $(XMAP_DOCS) man $$t docs/man/$$t.1.in "$(DOC_DATE)" > $(DOCS_DIR)/man1/$$t.1; \
	  $(XMAP_DOCS) completion bash $$t > $(DOCS_DIR)/bash/$$t; \
	  $(XMAP_DOCS) completion zsh $$t > $(DOCS_DIR)/zsh/_$$t; \
	  $(XMAP_DOCS) completion fish $$t > $(DOCS_DIR)/fish/$$t.fish; \
	done

# `make install` (PREFIX=/usr/local, DESTDIR for staging) installs: the binary and its ZMap names
# (zmap, ziterate, zblocklist, ztee: links to xmap, which acts by the name it runs as), the man
# pages, the completions where bash-completion, zsh and fish look under PREFIX, the README, the
# user documentation (docs/*.md) and UDP payload examples in PREFIX/share/doc/xmap, and, where missing, the
# default config files in /etc/xmap and /etc/zmap. `make uninstall` removes all of it, except
# config files that differ from the ones shipped (changed by the user, or not ours) and the
# directories that still hold them; a ZMap name is removed only when it is a link to xmap.
# Each directory can be overridden; zsh looks in site-functions under /usr/local and in
# vendor-completions under /usr (Debian's fpath).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man/man1
DOCDIR ?= $(PREFIX)/share/doc/xmap
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
CONF_FILES := $(notdir $(wildcard conf/*.conf))
DOC_FILES := README.md $(filter-out docs/ARCHITECTURE.md,$(wildcard docs/*.md))

## install: install xmap, its ZMap names, man pages, completions, docs and config (PREFIX, DESTDIR)
install: docs
	install -D -m 755 .build/release/xmap $(DESTDIR)$(BINDIR)/xmap
	for n in $(ZMAP_NAMES); do ln -sf xmap $(DESTDIR)$(BINDIR)/$$n; done
	install -d $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 644 $(DOCS_DIR)/man1/*.1 $(DESTDIR)$(MANDIR)/
	install -m 644 $(DOCS_DIR)/bash/* $(DESTDIR)$(BASHCOMPDIR)/
	install -m 644 $(DOCS_DIR)/zsh/* $(DESTDIR)$(ZSHCOMPDIR)/
	install -m 644 $(DOCS_DIR)/fish/* $(DESTDIR)$(FISHCOMPDIR)/
	install -d $(DESTDIR)$(DOCDIR)/examples/udp-probes
	install -m 644 $(DOC_FILES) $(DESTDIR)$(DOCDIR)/
	install -m 644 examples/udp-probes/* $(DESTDIR)$(DOCDIR)/examples/udp-probes/
	install -d $(DESTDIR)/etc/xmap $(DESTDIR)/etc/zmap
	for f in $(CONF_FILES); do [ -e $(DESTDIR)/etc/xmap/$$f ] || install -m 644 conf/$$f $(DESTDIR)/etc/xmap/; done
	[ -e $(DESTDIR)/etc/zmap/zmap.conf ] || install -m 644 conf/zmap/zmap.conf $(DESTDIR)/etc/zmap/

## uninstall: remove what install added, keeping config files that differ from the shipped ones
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/xmap
	for n in $(ZMAP_NAMES); do \
	  [ "$$(readlink $(DESTDIR)$(BINDIR)/$$n)" != xmap ] || rm -f $(DESTDIR)$(BINDIR)/$$n; done
	for t in $(TOOLS); do \
	  rm -f $(DESTDIR)$(MANDIR)/$$t.1 $(DESTDIR)$(BASHCOMPDIR)/$$t $(DESTDIR)$(ZSHCOMPDIR)/_$$t \
	    $(DESTDIR)$(FISHCOMPDIR)/$$t.fish; done
	rm -rf $(DESTDIR)$(DOCDIR)
	for f in $(CONF_FILES); do \
	  ! cmp -s conf/$$f $(DESTDIR)/etc/xmap/$$f || rm -f $(DESTDIR)/etc/xmap/$$f; done
	! cmp -s conf/zmap/zmap.conf $(DESTDIR)/etc/zmap/zmap.conf || rm -f $(DESTDIR)/etc/zmap/zmap.conf
	for d in /etc/xmap /etc/zmap; do [ ! -d $(DESTDIR)$$d ] || rmdir --ignore-fail-on-non-empty $(DESTDIR)$$d; done
	@for f in $(addprefix /etc/xmap/,$(CONF_FILES)) /etc/zmap/zmap.conf; do \
	  [ ! -e $(DESTDIR)$$f ] || echo "kept $(DESTDIR)$$f (it differs from the shipped file)"; done

# The Debian package (dpkg-deb, no debhelper): /usr/bin/xmap with the Swift runtime linked in, the
# ZMap names as links, /etc/xmap/*.conf and /etc/zmap/zmap.conf as conffiles, gzipped man pages,
# completions in Debian's places, docs and copyright in /usr/share/doc/xmap. See
# scripts/build-deb.sh. `make check-install` installs it into a fresh Debian root and scans a lab.
DEB_DIR := .build-deb

## deb: build .build-deb/xmap_VERSION_ARCH.deb and run lintian on it when installed
deb: docs
	scripts/build-deb.sh .build/release/xmap $(DOCS_DIR) $(DEB_DIR) $(VERSION)

## check-install: install/uninstall round trip in a staging dir; as root the .deb in a fresh Debian root
check-install: deb
	scripts/check-install.sh $(DEB_DIR)/xmap_$(VERSION)_$$(dpkg --print-architecture).deb

## clean: remove every build folder (.build, .build-fuzz, .build-netmap, .build-hotpath, static libs, docs, deb)
clean:
	rm -rf .build .build-fuzz .build-netmap .build-hotpath $(STATIC_LIBS) $(DOCS_DIR) $(DEB_DIR)
