# xmap — two entry points for a new user (see README):
#   make demo   build a release binary and scan a local namespace lab (needs root)
#   make test   run every test (unit tests; lab integration tests when root)
SWIFT ?= swift
APT_PACKAGES := libpcap-dev iproute2 socat python3 nftables pkg-config stress-ng bind9 bind9-utils bind9-dnsutils snmpd \
	libhiredis-dev redis-server libcap2-bin

.PHONY: all deps build release netmap demo test stress-lab fuzz fuzz-smoke bench bench-send sharded-scan install clean

all: build

# Install what a fresh Debian 12 machine lacks (only when something is missing). Services the
# packages bring (bind9's named) are not started: the lab runs its own, inside a namespace.
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

release: deps $(STATIC_LIBS)/libstdc++.a
	$(SWIFT) build $(RELEASE_FLAGS)

demo: release
	scripts/demo.sh .build/release/xmap

test: deps
	SWIFT=$(SWIFT) scripts/run-tests.sh

# The netmap backend (ZMap's -DWITH_NETMAP=ON): a release build with the Netmap trait, in its
# own build directory. Needs netmap's kernel module (/dev/netmap) to run.
netmap: deps $(STATIC_LIBS)/libstdc++.a
	$(SWIFT) build $(RELEASE_FLAGS) --traits Netmap --scratch-path .build-netmap

# The lab tests STRESS_RUNS times (default 10) while stress-ng keeps every core busy (root).
stress-lab: deps
	$(SWIFT) build --build-tests
	scripts/stress-lab.sh

# libFuzzer with AddressSanitizer over every parser of untrusted input, FUZZ_SECONDS (default 60)
# per target; prints "fuzz NAME: N runs, C crashes" per target (scripts/fuzz.sh).
fuzz: deps
	scripts/fuzz.sh

# A deterministic short run of every fuzz target (fixed inputs count and seed): part of `make test`.
fuzz-smoke: deps
	FUZZ_RUNS=$${FUZZ_RUNS:-30000} scripts/fuzz.sh

# Generation speed (permutation + allow/block lookup + packet build), no I/O.
bench: deps $(STATIC_LIBS)/libstdc++.a
	$(SWIFT) build $(RELEASE_FLAGS) --product xmap-bench
	.build/release/xmap-bench

# Send rate against Debian's zmap and masscan, side by side in a namespace lab (root).
bench-send: release
	scripts/bench-send.sh

# A scan split into SHARDS shards pushing into one Redis list, checked against the single scan,
# in a namespace lab (what deploy/kubernetes does on a cluster; needs root).
sharded-scan: release
	scripts/sharded-scan.sh $(SHARDS)

# Installs the binary, its ZMap names (zmap, ziterate, zblocklist, ztee: links to xmap, which acts
# by the name it runs as) and, where missing, the default config files in /etc/xmap and /etc/zmap.
PREFIX ?= /usr/local
ZMAP_NAMES = zmap ziterate zblocklist ztee
install: release
	install -D -m 755 .build/release/xmap $(DESTDIR)$(PREFIX)/bin/xmap
	for n in $(ZMAP_NAMES); do ln -sf xmap $(DESTDIR)$(PREFIX)/bin/$$n; done
	install -d $(DESTDIR)/etc/xmap $(DESTDIR)/etc/zmap
	for f in conf/*.conf; do [ -e $(DESTDIR)/etc/xmap/$$(basename $$f) ] || install -m 644 $$f $(DESTDIR)/etc/xmap/; done
	[ -e $(DESTDIR)/etc/zmap/zmap.conf ] || install -m 644 conf/zmap/zmap.conf $(DESTDIR)/etc/zmap/

clean:
	rm -rf .build .build-fuzz .build-netmap $(STATIC_LIBS)
