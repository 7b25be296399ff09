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

release: deps
	$(SWIFT) build -c release

demo: release
	scripts/demo.sh .build/release/xmap

test: deps
	SWIFT=$(SWIFT) scripts/run-tests.sh

# The netmap backend (ZMap's -DWITH_NETMAP=ON): a release build with the Netmap trait, in its
# own build directory. Needs netmap's kernel module (/dev/netmap) to run.
netmap: deps
	$(SWIFT) build -c release --traits Netmap --scratch-path .build-netmap

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
bench: deps
	$(SWIFT) build -c release --product xmap-bench
	.build/release/xmap-bench

# Send rate against Debian's zmap and masscan, side by side in a namespace lab (root).
bench-send: release
	scripts/bench-send.sh

# A scan split into SHARDS shards pushing into one Redis list, checked against the single scan,
# in a namespace lab (what deploy/kubernetes does on a cluster; needs root).
sharded-scan: release
	scripts/sharded-scan.sh $(SHARDS)

# Installs the binary and, where missing, the default config files in /etc/xmap.
PREFIX ?= /usr/local
install: release
	install -D -m 755 .build/release/xmap $(DESTDIR)$(PREFIX)/bin/xmap
	install -d $(DESTDIR)/etc/xmap
	for f in conf/*.conf; do [ -e $(DESTDIR)/etc/xmap/$$(basename $$f) ] || install -m 644 $$f $(DESTDIR)/etc/xmap/; done

clean:
	rm -rf .build .build-fuzz
