#!/bin/sh
# Builds BUILD_DIR/initramfs.cpio.gz, the appliance image brig boots as PID 1:
#   /init                         build/brig (init mode: its name is `init`)
#   /bin/brig, /sbin/{poweroff,reboot,halt}   links to /init
#   /bin/*                        Debian's toybox (with the libraries ldd
#                                 names and the loader), busybox-static as
#                                 /bin/sh and for the applets toybox lacks
#   /etc/brig/                    a copy of CONFIG_DIR
#   /lib/modules/RELEASE/         the modules CONFIG_DIR/brig.ini [init]
#                                 names, their dependencies, and the lines
#                                 of modules.dep (and modules.builtin) for them
#   EXTRA_DIR's tree, copied over all of it last
# The kernel is Debian's, unpacked by initramfs/kernel.sh under BUILD_DIR.
# With BRIG_ARCH=aarch64 or mipsel (BUILD_DIR is then build/ARCH) the test
# root is Debian's busybox-static of that architecture alone (no toybox),
# unpacked by initramfs/fetch.sh under BUILD_DIR/busybox and listed under
# qemu-user.
# toybox's and busybox's own poweroff/reboot/halt/init are left out: the
# brig links answer those names (the signals of brig(8), the same convention).
# Usage: [BRIG_ARCH=NAME] initramfs/build.sh BUILD_DIR CONFIG_DIR [EXTRA_DIR [OUT]]
# OUT defaults to BUILD_DIR/initramfs.cpio.gz; the tree is staged in OUT.d/.
set -eu
PATH=$PATH:/usr/sbin:/sbin
build=${1:?usage: build.sh BUILD_DIR CONFIG_DIR [EXTRA_DIR]}
config=${2:?usage: build.sh BUILD_DIR CONFIG_DIR [EXTRA_DIR]}
extra=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/rootfs.sh
ROOTFS_LIB=1 . "$here/../tests/rootfs.sh"
build=$(cd "$build" && pwd)
out=${4:-$build/initramfs.cpio.gz}
root=$out.d
toybox=/usr/bin/toybox
busybox=/bin/busybox
bbrun=
case ${BRIG_ARCH:-x86_64} in
x86_64) ;;
aarch64) debarch=arm64 bbrun=qemu-aarch64-static ;;
mipsel) debarch=mipsel bbrun=qemu-mipsel-static ;;
*) echo "initramfs: no test root for BRIG_ARCH=$BRIG_ARCH (x86_64 aarch64 mipsel)" >&2; exit 1 ;;
esac
if [ -n "$bbrun" ]; then
	sh "$here/fetch.sh" "busybox-static:$debarch" "$build/busybox"
	toybox='' busybox=$build/busybox/bin/busybox
fi

[ -x "$build/brig" ] || { echo "initramfs: $build/brig missing (run make)" >&2; exit 1; }
[ -d "$config" ] || { echo "initramfs: config dir $config missing" >&2; exit 1; }
[ -z "$extra" ] || [ -d "$extra" ] || { echo "initramfs: $extra is not a directory" >&2; exit 1; }
[ -f "$config/brig.ini" ] || [ -d "$config/jails" ] ||
	echo "initramfs: warning: $config has neither brig.ini nor jails/" >&2
for f in $toybox "$busybox"; do
	[ -x "$f" ] || { echo "initramfs: $f missing (run tests/deps.sh)" >&2; exit 1; }
done
release=$(sh "$here/kernel.sh" "$build" -r)
kdir=$build/kernel
mods=$kdir/lib/modules/$release

rm -rf "$root"
# srv, var and mnt: mount points an appliance's jails use (brig never
# creates one in the host's own tree).
rootfs_dirs "$root" bin sbin etc dev proc sys run tmp root srv var mnt lib/modules/"$release"
chmod 0700 "$root/root"
# The kernel opens /dev/console for PID 1 before anything is mounted; its
# built-in initramfs has one too, this is for kernels without it.
mknod -m 0600 "$root/dev/console" c 5 1 2>/dev/null || true

install -m 0755 "$build/brig" "$root/init"
ln -s ../init "$root/bin/brig"
for a in poweroff reboot halt; do
	ln -s ../init "$root/sbin/$a"
done

# toybox with its libraries, then busybox for the rest; init, poweroff,
# reboot and halt are brig's.
[ -z "$toybox" ] || rootfs_toybox "$root" "$toybox" init poweroff reboot halt
BBRUN=$bbrun rootfs_busybox "$root" "$busybox" init linuxrc poweroff reboot halt

# www (1000): the unprivileged user of the example web jail.
printf 'root:x:0:0:root:/root:/bin/sh\nwww:x:1000:1000:www:/:/bin/false\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
	>"$root/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nwww:x:1000:\nnogroup:x:65534:\n' >"$root/etc/group"

mkdir -p "$root/etc/brig"
cp -R "$config/." "$root/etc/brig/"
# make initramfs/qemu: a config dir without brig.ini still gets a shell on
# the console (BRIG_DEFAULT_CONSOLE, set by the Makefile; the qemu tests
# leave it unset and get exactly their config).
if [ ! -f "$config/brig.ini" ] && [ -n "${BRIG_DEFAULT_CONSOLE:-}" ]; then
	printf '# Written by initramfs/build.sh: %s has no brig.ini.\n[init]\nconsole = %s\n' \
		"$config" "$BRIG_DEFAULT_CONSOLE" >"$root/etc/brig/brig.ini"
	echo "initramfs: $config has no brig.ini: the console gets '$BRIG_DEFAULT_CONSOLE' ([init] console)" >&2
fi

# [init] modules = ...: the words of that key, the way brig reads them
# (names only; config.c refuses quotes and slashes in module names).
modules=
if [ -f "$config/brig.ini" ]; then
	modules=$(awk '
		/^[ \t]*\[/ { sec = $0; gsub(/[ \t\[\]]/, "", sec); next }
		sec == "init" && /^[ \t]*modules[ \t]*=/ { sub(/^[^=]*=/, ""); print }
	' "$config/brig.ini" | tr ',' ' ')
fi
: >"$root/lib/modules/$release/modules.dep"
cp "$mods/modules.builtin" "$root/lib/modules/$release/"
for m in $modules; do
	deps=$(modprobe -d "$kdir" -S "$release" --show-depends "$m" 2>/dev/null) || {
		echo "initramfs: module $m not found in $mods" >&2
		exit 1
	}
	echo "$deps" | awk '$1 == "insmod" { print $2 }' | while read -r ko; do
		rel=${ko#"$mods"/}
		[ -f "$root/lib/modules/$release/$rel" ] && continue
		mkdir -p "$root/lib/modules/$release/$(dirname "$rel")"
		cp "$ko" "$root/lib/modules/$release/$rel"
		grep -F "$rel:" "$mods/modules.dep" | grep "^$rel:" \
			>>"$root/lib/modules/$release/modules.dep" || true
	done
done

if [ -n "$extra" ]; then
	cp -R "$extra/." "$root/"
fi

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -6 >"$out.tmp"
mv "$out.tmp" "$out"
echo "initramfs: $out ($(stat -c %s "$out") bytes, kernel $release${modules:+, modules:$(echo " $modules" | tr -s ' ')})"
