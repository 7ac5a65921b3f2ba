# brig: plain make. `make` builds the static musl binary build/brig.
# `make ARCH=NAME` (aarch64, armhf, mipsel, mips) builds build/NAME/brig with
# musl and libcap built for NAME by tests/deps.sh; every per-target path
# below then lives under build/NAME: BUILD is the target's own directory,
# TOPBUILD the shared one (results, logs). ARCH counts only on make's
# command line: an ARCH in the environment (a kernel tree's) is ignored.
ifneq ($(origin ARCH),command line)
ARCH    := x86_64
endif
unexport ARCH
CROSS_ARCHS := aarch64 armhf mipsel mips
ifeq ($(filter $(ARCH),x86_64 $(CROSS_ARCHS)),)
$(error ARCH=$(ARCH): not one of x86_64 $(CROSS_ARCHS))
endif

BUILD   ?= build
TOPBUILD := $(BUILD)
PREFIX  ?= /usr
DESTDIR ?=

SRCS    := $(sort $(wildcard src/*.c))
LIBSRCS := $(filter-out src/main.c,$(SRCS))
HDRS    := $(wildcard src/*.h)

WARN    := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror
# Code flags (docs/design/arch.md): no PIE (a static executable; Debian's
# gcc makes PIE code by default), no jump tables; on x86_64 no SSE (brig has
# no floating point; SSE moves of structs cost bytes, not time here).
CFLAGS  ?= -Oz -flto -flto-partition=one -fno-pie -fno-jump-tables $(if $(filter x86_64,$(ARCH)),-mgeneral-regs-only)
ifeq ($(ARCH),x86_64)
MUSLCC  := musl-gcc
else
# musl's own gcc wrapper over Debian's cross gcc (tests/deps.sh).
override BUILD := $(TOPBUILD)/$(ARCH)
MUSLCC  := $(BUILD)/musl/bin/musl-gcc
endif
# The target's compiler, also for rules that generate headers from it.
CC      := $(MUSLCC)
OBJS    := $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIBCAP  := $(BUILD)/libcap/lib/libcap.a
MUSLINC := -isystem $(BUILD)/kinc -I$(BUILD)/libcap/include
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

HOSTCC  ?= gcc
SANFLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

UNIT_SRCS := $(wildcard tests/unit/t_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)

.PHONY: FORCE all deps check check-unit check-cli check-ns check-qemu install clean fuzz size rootfs initramfs qemu bench

all: $(BUILD)/brig

# Every Debian package and the static libcap (for a cross ARCH: musl and
# libcap built for it); idempotent and cheap when done.
$(BUILD)/.deps: tests/deps.sh
	sh tests/deps.sh $(BUILD) $(ARCH)
	touch $@
deps:
	sh tests/deps.sh $(BUILD) $(ARCH)
	touch $(BUILD)/.deps

$(LIBCAP): | $(BUILD)/.deps

# The code flags in a file that changes only when they do: objects built
# with other flags (a CFLAGS= on the command line, a new default) are
# rebuilt, never linked with the new ones.
$(BUILD)/.cflags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CFLAGS)' | cmp -s - $@ || echo '$(CFLAGS)' >$@
FORCE:

$(BUILD)/obj/%.o: src/%.c $(HDRS) $(BUILD)/.deps $(BUILD)/.cflags
	@mkdir -p $(dir $@)
	$(MUSLCC) $(WARN) $(CFLAGS) -ffunction-sections -fdata-sections \
		-fno-asynchronous-unwind-tables -fno-unwind-tables \
		-DBRIG_VERSION='"$(VERSION)"' $(MUSLINC) -I$(BUILD)/gen -c $< -o $@

# The target's syscall names and numbers, from its compiler's own headers,
# with the groups of src/seccomp.groups (src/syscalls.sh).
GEN := $(BUILD)/gen/syscalls.h
$(GEN): src/syscalls.sh src/seccomp.groups $(BUILD)/.deps
	@mkdir -p $(dir $@)
	sh src/syscalls.sh "$(MUSLCC) $(MUSLINC)" src/seccomp.groups >$@.tmp && mv $@.tmp $@
$(BUILD)/obj/seccomp.o: $(GEN)

$(BUILD)/brig: $(OBJS) $(LIBCAP)
	$(MUSLCC) $(CFLAGS) -static -no-pie -s -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,--build-id=none \
		-Wl,-z,common-page-size=16 \
		-Wl,-z,norelro -o $@ $(OBJS) $(LIBCAP)

size: $(BUILD)/brig
	@file $(BUILD)/brig
	@echo "$(BUILD)/brig: $$(stat -c %s $(BUILD)/brig) bytes (budget 131072)"

ifeq ($(ARCH),x86_64)
# Unit tests: host compiler, ASan + UBSan, no root needed.
$(BUILD)/unit/%: tests/unit/%.c $(LIBSRCS) $(HDRS) tests/unit/tap.h $(BUILD)/.deps $(GEN)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(WARN) $(SANFLAGS) -Isrc -I$(BUILD)/gen -Itests/unit -o $@ $< $(LIBSRCS) -lcap

check-unit: $(UNIT_BINS)
	@sh tests/run.sh unit $(UNIT_BINS)
else
# Unit tests of a cross ARCH: its musl toolchain, static, each run under
# qemu-user through a one-line script next to it (tests/run.sh runs *.sh).
QEMU_USER := qemu-$(subst armhf,arm,$(ARCH))-static
$(BUILD)/unit/%: tests/unit/%.c $(LIBSRCS) $(HDRS) tests/unit/tap.h $(BUILD)/.deps $(GEN)
	@mkdir -p $(dir $@)
	$(MUSLCC) -static $(WARN) -g -O1 $(MUSLINC) -Isrc -I$(BUILD)/gen -Itests/unit -o $@ $< \
		$(LIBSRCS) $(LIBCAP)
	printf 'exec %s %s\n' $(QEMU_USER) $@ >$@.sh

check-unit: $(UNIT_BINS)
	@BUILD=$(TOPBUILD) sh tests/run.sh unit-$(ARCH) $(UNIT_BINS:=.sh)
endif

check-cli: $(BUILD)/brig
	@sh tests/run.sh cli tests/cli/*.sh

check-ns: $(BUILD)/brig
	@sh tests/run.sh ns tests/ns/*.sh

check-qemu: $(BUILD)/brig cross
	@sh tests/run.sh qemu $(wildcard tests/qemu/[0-9]*.sh)

# Every suite, then one summary line: "N passed, N failed".
check: $(BUILD)/brig $(UNIT_BINS) cross
	@rm -f $(BUILD)/results
	@sh tests/run.sh unit $(UNIT_BINS)
	@sh tests/run.sh cli $(wildcard tests/cli/*.sh)
	@sh tests/run.sh ns $(wildcard tests/ns/*.sh)
	@sh tests/run.sh fuzz tests/fuzz/check.sh
	@$(MAKE) --no-print-directory check-cross
	@sh tests/run.sh qemu $(wildcard tests/qemu/[0-9]*.sh)
	@sh tests/run.sh --summary

install: $(BUILD)/brig
	install -D -m 0755 $(BUILD)/brig $(DESTDIR)$(PREFIX)/sbin/brig
	for l in init poweroff reboot halt; do ln -sf brig $(DESTDIR)$(PREFIX)/sbin/$$l; done
	install -D -m 0644 man/brig.8 $(DESTDIR)$(PREFIX)/share/man/man8/brig.8
	install -D -m 0644 man/brig.ini.5 $(DESTDIR)$(PREFIX)/share/man/man5/brig.ini.5

# libFuzzer over the INI and config parser, bounded time (FUZZ_SECONDS).
FUZZ_SECONDS ?= 60
fuzz: $(BUILD)/.deps $(GEN)
	sh tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD)/obj $(BUILD)/brig $(BUILD)/unit $(BUILD)/fuzz $(BUILD)/results

# ---- ns test suites: probe and test rootfs (tests/probe.c, tests/rootfs.sh) ----
# build/probe runs inside jails; build/rootfs is the root the suites jail it in.
$(BUILD)/probe: tests/probe.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(MUSLCC) -static -Os -Wall -Wextra -Werror -o $@ tests/probe.c

$(BUILD)/rootfs/.stamp: tests/rootfs.sh $(BUILD)/probe
	sh tests/rootfs.sh $(BUILD)

rootfs: $(BUILD)/rootfs/.stamp

check check-ns: rootfs
# ---- end of ns test block ----

# ---- cross targets: every ARCH's brig and unit suites (tests/cross/) ----
# make cross: build/NAME/brig and build/NAME/unit/* for every cross ARCH (a
# make of its own each: ARCH moves every path). make check-cross: their unit
# suites under qemu-user, then tests/cross/*.sh (brig check of each binary
# against x86_64's, the printf core on each). make sizes: the figures table.
# The qemu boots of aarch64 and mipsel are tests/qemu/8x-*.sh.
.PHONY: cross check-cross sizes
ifeq ($(ARCH),x86_64)
cross:
	@for a in $(CROSS_ARCHS); do \
		$(MAKE) --no-print-directory ARCH=$$a all unit-bins || exit 1; \
	done

check-cross: $(BUILD)/brig cross
	@for a in $(CROSS_ARCHS); do \
		$(MAKE) --no-print-directory ARCH=$$a check-unit || exit 1; \
	done
	@BUILD=$(TOPBUILD) sh tests/run.sh cross $(wildcard tests/cross/[0-9]*.sh)

sizes: $(BUILD)/brig cross
	@for a in x86_64 $(CROSS_ARCHS); do \
		b=$(TOPBUILD)/$$a/brig; [ $$a = x86_64 ] && b=$(TOPBUILD)/brig; \
		printf '%-8s %7s  %s\n' $$a "$$(stat -c %s $$b)" "$$(file -b $$b)"; \
	done
else
.PHONY: unit-bins
unit-bins: $(UNIT_BINS)
# Every suite but the unit ones runs from x86_64's make, which covers every
# ARCH: `make check` there.
ifneq ($(filter check check-cli check-ns check-qemu check-cross cross sizes rootfs bench%,$(MAKECMDGOALS)),)
$(error ARCH=$(ARCH): run '$(MAKECMDGOALS)' without ARCH (it covers every target))
endif
endif
# ---- end of cross block ----

# ---- start-path benchmark of `brig run` (tests/bench/jail-start.sh): figures only ----
bench: $(BUILD)/brig
	sh tests/bench/jail-start.sh $(BUILD)

# ---- init mode: the appliance image and a qemu boot (initramfs/, tests/qemu/) ----
# make initramfs [ARCH=NAME] [CONFIG=DIR] [EXTRA=DIR]: build/brig (or
# build/NAME/brig) as /init, toybox and busybox (Debian's busybox-static of
# NAME for aarch64 and mipsel), CONFIG as /etc/brig, the modules its brig.ini names, EXTRA's tree
# over it all. make qemu: boots it (Debian's kernel, TCG, serial on stdio)
# and returns when the guest powers off or reboots.
CONFIG ?= configs
EXTRA  ?= initramfs/demo

initramfs: $(BUILD)/initramfs.cpio.gz

# Phony on purpose: CONFIG and EXTRA are trees make cannot track.
.PHONY: $(BUILD)/initramfs.cpio.gz
$(BUILD)/initramfs.cpio.gz: $(BUILD)/brig
	BRIG_ARCH=$(ARCH) BRIG_DEFAULT_CONSOLE=/bin/sh sh initramfs/build.sh $(BUILD) $(CONFIG) $(EXTRA)

qemu: initramfs
	@echo "qemu: the serial console is this terminal; 'poweroff' shuts the appliance down, Ctrl-A x leaves qemu at once"
	BRIG_ARCH=$(ARCH) sh initramfs/qemu.sh $(BUILD)
# ---- end of init mode block ----

# ---- seccomp filter benchmark (tests/bench/seccomp.sh): figures only ----
.PHONY: bench-seccomp
bench-seccomp: $(BUILD)/brig rootfs
	sh tests/bench/seccomp.sh $(BUILD)

# ---- supervisor benchmark against s6 and runit (tests/bench/supervise.sh): figures only ----
.PHONY: bench-supervise
bench-supervise: $(BUILD)/brig rootfs
	sh tests/bench/supervise.sh $(BUILD)
