#!/bin/sh
# The one place a test root is assembled.
#
# Run: builds BUILD_DIR/rootfs/, the small root filesystem the ns suites
# jail their probes in: Debian's toybox (dynamic, so with its libraries and
# the loader), busybox-static as /bin/sh and for the applets toybox lacks,
# /bin/probe, and an /etc/passwd and /etc/group with users to switch to.
# Idempotent: every run builds a fresh tree next to the old one and swaps it
# in, so files a test (or a brig bug) wrote into the root never survive a
# rebuild; BUILD_DIR/rootfs/.stamp marks a finished tree.
# Usage: tests/rootfs.sh BUILD_DIR
#
# Sourced with ROOTFS_LIB=1 (initramfs/build.sh, tests/bench/jail-start.sh):
# only defines the steps, for roots of their own:
#   rootfs_dirs ROOT DIR...            the directories; ROOT/tmp is 1777
#   rootfs_toybox ROOT TOYBOX [SKIP...]  toybox, every library ldd names at
#                                      the same path, and a link per applet
#                                      but sh and the SKIP names
#   rootfs_busybox ROOT BUSYBOX [SKIP...]  busybox as /bin/sh, and a link per
#                                      applet that is not there yet but the
#                                      SKIP names; $BBRUN runs a foreign
#                                      busybox (qemu-user) for its list

# in_list WORD LIST...: WORD is one of LIST.
in_list() {
	il_w=$1
	shift
	for il_x in "$@"; do
		[ "$il_x" != "$il_w" ] || return 0
	done
	return 1
}

rootfs_dirs() {
	rd_root=$1
	shift
	for rd_d in "$@"; do
		mkdir -p "$rd_root/$rd_d"
	done
	[ ! -d "$rd_root/tmp" ] || chmod 1777 "$rd_root/tmp"
}

rootfs_toybox() {
	rt_root=$1 rt_toybox=$2
	shift 2
	cp -f "$rt_toybox" "$rt_root/bin/toybox"
	ldd "$rt_toybox" | awk '/=> \// { print $3 } /^[ \t]*\// { print $1 }' |
	while read -r rt_lib; do
		mkdir -p "$rt_root$(dirname "$rt_lib")"
		cp -fL "$rt_lib" "$rt_root$rt_lib"
	done
	for rt_a in $("$rt_root/bin/toybox"); do
		in_list "$rt_a" toybox sh "$@" || ln -sfn toybox "$rt_root/bin/$rt_a"
	done
}

rootfs_busybox() {
	rb_root=$1 rb_busybox=$2
	shift 2
	cp -f "$rb_busybox" "$rb_root/bin/busybox"
	ln -sfn busybox "$rb_root/bin/sh"
	for rb_a in $(${BBRUN:-} "$rb_busybox" --list); do
		in_list "$rb_a" "$@" && continue
		[ -e "$rb_root/bin/$rb_a" ] || [ -L "$rb_root/bin/$rb_a" ] ||
			ln -s busybox "$rb_root/bin/$rb_a"
	done
}

# shellcheck disable=SC2317  # return when sourced, exit when run
[ -z "${ROOTFS_LIB:-}" ] || return 0

set -eu
build=${1:-build}
mkdir -p "$build"
build=$(cd "$build" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
final=$build/rootfs
root=$build/rootfs.new
toybox=/usr/bin/toybox
busybox=/bin/busybox

for f in "$toybox" "$busybox"; do
	[ -x "$f" ] || { echo "rootfs: $f missing (run tests/deps.sh)" >&2; exit 1; }
done

# The probe: static, libc only. The Makefile builds it too; this keeps the
# script usable on its own.
probe=$build/probe
if [ ! -x "$probe" ] || [ -n "$(find "$top/tests/probe.c" -newer "$probe")" ]; then
	musl-gcc -static -Os -Wall -Wextra -Werror -o "$probe" "$top/tests/probe.c"
fi

rm -rf --one-file-system "$root"
rootfs_dirs "$root" bin etc proc dev tmp mnt data sys run
# toybox first, then busybox for what toybox lacks (sh above all).
rootfs_toybox "$root" "$toybox"
rootfs_busybox "$root" "$busybox"

install -m 0755 "$probe" "$root/bin/probe"

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/:/bin/sh
svc:x:1000:1000:service:/data:/bin/sh
nobody:x:65534:65534:nobody:/:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
svc:x:1000:
extra:x:1001:svc
nogroup:x:65534:
EOF
chmod 0644 "$root/etc/passwd" "$root/etc/group"
touch "$root/.stamp"
rm -rf --one-file-system "$final"
mv "$root" "$final"
