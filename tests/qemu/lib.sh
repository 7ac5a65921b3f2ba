# shellcheck shell=sh
# Shared helpers for tests/qemu/NN-name.sh, sourced from the repo top
# (tests/run.sh runs every suite from there). Each boot is a whole appliance:
# Debian's kernel, an initramfs with build/brig as /init, the test's own
# config dir and extra files, under qemu (TCG) with a hard time limit.
#
# A test prints checks on the serial console as lines
#     === NAME ok
#     === NAME fail WHY
# from a script of its own (the emergency shell, or later a jail), and ends
# the boot itself (poweroff, reboot). This file turns a boot into TAP:
#
#   qemu_setup                    SKIP everything (and exit) when the suite
#                                 cannot run; creates $T
#   qemu_image NAME CONFIG [EXTRA] build $T/NAME.cpio.gz
#   qemu_boot NAME [APPEND]       boot it; console in $T/NAME.console, qemu's
#                                 status in BOOT_RC (124: time limit)
#   expect_check NAME CHECK DESC  "=== CHECK ok" was printed in boot NAME
#                                 (also as a jail's echoed "JAIL: === CHECK ok")
#   expect_console NAME TEXT DESC the console holds the fixed string TEXT
#   expect_no_console NAME TEXT DESC  ... and does not hold it
#   expect_order NAME DESC TEXT...  each fixed string is on the console, and
#                                 the first line holding each comes after the
#                                 first line holding the one before it
#   console_note NAME PATTERN     copies the console lines matching the
#                                 extended regex PATTERN as "# " lines
#   expect_exit NAME DESC         qemu ended by itself, before the limit
#   console_fail DESC FILE        not_ok DESC with FILE as the diagnostics
#   tap_done                      "1..N", exit 1 when a test failed
#                                 (tests/tap.sh: ok, not_ok, check, ...)
#   guest_lib EXTRA               writes EXTRA/etc/brig-test/lib.sh, the
#                                 guest side's helpers (see there)
# Failures carry the console transcript as "# " lines.
#
# QEMU_TIMEOUT: seconds per boot [120] (a boot and power-off takes about
# 6 s under TCG; the limit only catches hangs, it is never a criterion).
# BRIG_ARCH: the target booted [x86_64]; aarch64 and mipsel boot
# $BUILD/ARCH/brig on their own machine and kernel (initramfs/qemu.sh), with
# Debian's busybox-static of that architecture as the test root. ABUILD is
# the target's build directory.

set -u
BUILD=${BUILD:-build}
TOP=$(pwd)
BRIG_ARCH=${BRIG_ARCH:-x86_64}
export BRIG_ARCH
ABUILD=$BUILD
[ "$BRIG_ARCH" = x86_64 ] || ABUILD=$BUILD/$BRIG_ARCH
QEMU_TIMEOUT=${QEMU_TIMEOUT:-120}
# shellcheck source=tests/tap.sh
. "$TOP/tests/tap.sh"
T=

# console_fail DESC FILE: not_ok DESC, FILE (a console transcript) as the
# "# " lines.
console_fail() {
	if [ -f "$2" ]; then
		not_ok "$1" "console transcript ($2):" \
			"$(tr -d '\r' <"$2" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g')"
	else
		not_ok "$1"
	fi
}

qemu_skip_all() {
	skip "qemu boot tests" "$1"
	tap_done
}

qemu_setup() {
	[ "$(id -u)" = 0 ] || qemu_skip_all "not root (the kernel is fetched with apt)"
	command -v "qemu-system-$BRIG_ARCH" >/dev/null 2>&1 || qemu_skip_all "no qemu-system-$BRIG_ARCH"
	[ -x "$ABUILD/brig" ] || qemu_skip_all "no $ABUILD/brig"
	sh "$TOP/initramfs/kernel.sh" "$ABUILD" >/dev/null ||
		qemu_skip_all "cannot fetch Debian's kernel"
	T=$(mktemp -d "${TMPDIR:-/tmp}/brig-qemu.XXXXXX")
	trap 'rm -rf "$T"' EXIT
}

qemu_image() {
	sh "$TOP/initramfs/build.sh" "$ABUILD" "$2" "${3:-}" "$T/$1.cpio.gz" >"$T/$1.build" 2>&1 || {
		console_fail "build initramfs $1" "$T/$1.build"
		return 1
	}
}

qemu_boot() {
	: >"$T/$1.console"
	BOOT_RC=0
	[ -f "$T/$1.cpio.gz" ] || { BOOT_RC=1; return 0; }
	INITRD="$T/$1.cpio.gz" QEMU_APPEND="${2:-}" timeout "$QEMU_TIMEOUT" \
		sh "$TOP/initramfs/qemu.sh" "$ABUILD" </dev/null >"$T/$1.console" 2>&1 || BOOT_RC=$?
}

# A check line as the guest printed it: at the start of a line, or after
# the "JAIL: " prefix the supervisor gives a jail's output.
check_re='^([A-Za-z0-9_-]+: )?=== '

expect_check() {
	if grep -Eq "$check_re$2 ok" "$T/$1.console"; then
		ok "$3"
	else
		line=$(grep -E -m1 "$check_re$2( |\$)" "$T/$1.console" | tr -d '\r')
		[ -n "$line" ] || line="no \"=== $2\" line"
		console_fail "$3 ($line)" "$T/$1.console"
	fi
}

expect_console() {
	if grep -qF -- "$2" "$T/$1.console"; then
		ok "$3"
	else
		console_fail "$3 (no '$2' on the console)" "$T/$1.console"
	fi
}

expect_no_console() {
	if grep -qF -- "$2" "$T/$1.console"; then
		console_fail "$3 ('$2' is on the console)" "$T/$1.console"
	else
		ok "$3"
	fi
}

expect_order() {
	eo_boot=$1 eo_desc=$2 eo_prev=0 eo_prevtext=
	shift 2
	for eo_text in "$@"; do
		eo_line=$(grep -nF -m1 -- "$eo_text" "$T/$eo_boot.console" | cut -d: -f1)
		if [ -z "$eo_line" ]; then
			console_fail "$eo_desc (no '$eo_text' on the console)" "$T/$eo_boot.console"
			return
		fi
		if [ "$eo_line" -le "$eo_prev" ]; then
			console_fail "$eo_desc ('$eo_text' on line $eo_line, not after '$eo_prevtext' on line $eo_prev)" \
				"$T/$eo_boot.console"
			return
		fi
		eo_prev=$eo_line eo_prevtext=$eo_text
	done
	ok "$eo_desc"
}

console_note() {
	grep -E -- "$2" "$T/$1.console" | tr -d '\r' | sed 's/^/# /'
}

expect_exit() {
	if [ "$BOOT_RC" = 0 ]; then
		ok "$2"
	elif [ "$BOOT_RC" = 124 ]; then
		console_fail "$2 (still running after ${QEMU_TIMEOUT}s)" "$T/$1.console"
	else
		console_fail "$2 (qemu exited $BOOT_RC)" "$T/$1.console"
	fi
}

guest_lib() {
	mkdir -p "$1/etc/brig-test"
	cat >"$1/etc/brig-test/lib.sh" <<'EOF'
# Sourced by the guest's check scripts (a checker jail or the emergency
# shell). The client reaches the supervisor at /run/brig/control.sock: a
# checker jail binds /run/brig in.
#   check NAME CMD...      "=== NAME ok", or "=== NAME fail: CMD"
#   fail NAME WHY          "=== NAME fail: WHY"
#   field JAIL KEY         the value of KEY in `brig status JAIL`
#   wait_state JAIL STATE SECONDS   poll until JAIL is in STATE; false after
#                          SECONDS
#   uptime_ms              the guest's clock, ms since boot
check() {
	name=$1
	shift
	if "$@"; then echo "=== $name ok"; else echo "=== $name fail: $*"; fi
}
fail() { echo "=== $1 fail: $2"; }
field() { brig status "$1" 2>/dev/null | sed -n "s/^$2: //p"; }
wait_state() {
	ws_n=$(($3 * 5))
	while [ "$ws_n" -gt 0 ]; do
		[ "$(field "$1" state)" = "$2" ] && return 0
		sleep 0.2
		ws_n=$((ws_n - 1))
	done
	return 1
}
uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
EOF
}
