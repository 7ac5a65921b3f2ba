#!/bin/sh
# Builds BUILD_DIR/rootfs/, the small root filesystem the ns suites jail
# their probes in: Debian's toybox (dynamic, so with its libraries and the
# loader), busybox-static as /bin/sh and for the applets toybox lacks,
# /bin/probe, and an /etc/passwd and /etc/group with users to switch to.
# Idempotent: every run builds a fresh tree next to the old one and swaps it
# in, so files a test (or a brig bug) wrote into the root never survive a
# rebuild; BUILD_DIR/rootfs/.stamp marks a finished tree.
# Usage: tests/rootfs.sh BUILD_DIR
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
mkdir -p "$root"
for d in bin etc proc dev tmp mnt data sys run; do
	mkdir -p "$root/$d"
done
chmod 1777 "$root/tmp"

# toybox and every library ldd names, at the same paths, plus the loader.
cp -f "$toybox" "$root/bin/toybox"
ldd "$toybox" | awk '/=> \// { print $3 } /^[ \t]*\// { print $1 }' |
while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -fL "$lib" "$root$lib"
done

# Applet links: toybox first, then busybox for what toybox lacks (sh above all).
for a in $("$root/bin/toybox"); do
	case "$a" in
	toybox | sh) ;;
	*) ln -sfn toybox "$root/bin/$a" ;;
	esac
done
cp -f "$busybox" "$root/bin/busybox"
ln -sfn busybox "$root/bin/sh"
for a in $("$busybox" --list); do
	[ -e "$root/bin/$a" ] || [ -L "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done

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
