# brig: plain make. `make` builds the static musl binary build/brig.
BUILD   ?= build
PREFIX  ?= /usr
DESTDIR ?=

SRCS    := $(sort $(wildcard src/*.c))
LIBSRCS := $(filter-out src/main.c,$(SRCS))
OBJS    := $(SRCS:src/%.c=$(BUILD)/obj/%.o)
HDRS    := $(wildcard src/*.h)

WARN    := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror
CFLAGS  ?= -Os
MUSLCC  := musl-gcc
LIBCAP  := $(BUILD)/libcap/lib/libcap.a
MUSLINC := -isystem $(BUILD)/kinc -I$(BUILD)/libcap/include
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

HOSTCC  ?= gcc
SANFLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

UNIT_SRCS := $(wildcard tests/unit/t_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)

.PHONY: all deps check check-unit check-cli check-ns check-qemu install clean fuzz size rootfs initramfs qemu bench

all: $(BUILD)/brig

# Every Debian package and the static libcap; idempotent and cheap when done.
$(BUILD)/.deps: tests/deps.sh
	sh tests/deps.sh $(BUILD)
	touch $@
deps:
	sh tests/deps.sh $(BUILD)
	touch $(BUILD)/.deps

$(LIBCAP): | $(BUILD)/.deps

$(BUILD)/obj/%.o: src/%.c $(HDRS) $(BUILD)/.deps
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
	$(MUSLCC) -static -s -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,--build-id=none \
		-Wl,-z,common-page-size=16 \
		-Wl,-z,norelro -o $@ $(OBJS) $(LIBCAP)

size: $(BUILD)/brig
	@file $(BUILD)/brig
	@echo "build/brig: $$(stat -c %s $(BUILD)/brig) bytes (budget 131072)"

# Unit tests: host compiler, ASan + UBSan, no root needed.
$(BUILD)/unit/%: tests/unit/%.c $(LIBSRCS) $(HDRS) tests/unit/tap.h $(BUILD)/.deps $(GEN)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(WARN) $(SANFLAGS) -Isrc -I$(BUILD)/gen -Itests/unit -o $@ $< $(LIBSRCS) -lcap

check-unit: $(UNIT_BINS)
	@sh tests/run.sh unit $(UNIT_BINS)

check-cli: $(BUILD)/brig
	@sh tests/run.sh cli tests/cli/*.sh

check-ns: $(BUILD)/brig
	@sh tests/run.sh ns tests/ns/*.sh

check-qemu: $(BUILD)/brig
	@sh tests/run.sh qemu $(wildcard tests/qemu/[0-9]*.sh)

# Every suite, then one summary line: "N passed, N failed".
check: $(BUILD)/brig $(UNIT_BINS)
	@rm -f $(BUILD)/results
	@sh tests/run.sh unit $(UNIT_BINS)
	@sh tests/run.sh cli $(wildcard tests/cli/*.sh)
	@sh tests/run.sh ns $(wildcard tests/ns/*.sh)
	@sh tests/run.sh qemu $(wildcard tests/qemu/[0-9]*.sh)
	@sh tests/run.sh --summary

install: $(BUILD)/brig
	install -D -m 0755 $(BUILD)/brig $(DESTDIR)$(PREFIX)/sbin/brig
	for l in init poweroff reboot halt; do ln -sf brig $(DESTDIR)$(PREFIX)/sbin/$$l; done

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

# ---- start-path benchmark of `brig run` (tests/bench/jail-start.sh): figures only ----
bench: $(BUILD)/brig
	sh tests/bench/jail-start.sh $(BUILD)

# ---- init mode: the appliance image and a qemu boot (initramfs/, tests/qemu/) ----
# make initramfs [CONFIG=DIR] [EXTRA=DIR]: build/brig as /init, toybox and
# busybox, CONFIG as /etc/brig, the modules its brig.ini names, EXTRA's tree
# over it all. make qemu: boots it (Debian's kernel, TCG, serial on stdio)
# and returns when the guest powers off or reboots.
CONFIG ?= configs
EXTRA  ?= initramfs/demo

initramfs: $(BUILD)/initramfs.cpio.gz

# Phony on purpose: CONFIG and EXTRA are trees make cannot track.
.PHONY: $(BUILD)/initramfs.cpio.gz
$(BUILD)/initramfs.cpio.gz: $(BUILD)/brig
	sh initramfs/build.sh $(BUILD) $(CONFIG) $(EXTRA)

qemu: initramfs
	sh initramfs/qemu.sh $(BUILD)
# ---- end of init mode block ----

# ---- seccomp filter benchmark (tests/bench/seccomp.sh): figures only ----
.PHONY: bench-seccomp
bench-seccomp: $(BUILD)/brig rootfs
	sh tests/bench/seccomp.sh $(BUILD)

# ---- supervisor benchmark against s6 and runit (tests/bench/supervise.sh): figures only ----
.PHONY: bench-supervise
bench-supervise: $(BUILD)/brig rootfs
	sh tests/bench/supervise.sh $(BUILD)
