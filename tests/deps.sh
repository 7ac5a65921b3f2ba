#!/bin/sh
# Installs every Debian package that brig's build, tests, demo and benchmarks
# need, then builds the static libcap that build/brig links. Idempotent: a
# second run with everything present does no apt work and no rebuild.
# Usage: tests/deps.sh BUILD_DIR
set -eu
build=${1:-build}
mkdir -p "$build"
build=$(cd "$build" && pwd)

pkgs="musl-tools gcc make dpkg-dev libcap-dev clang libclang-rt-14-dev
busybox-static toybox qemu-system-x86 hyperfine bubblewrap s6 runit
systemd strace file cpio gzip kmod shellcheck nginx redis-server mosquitto mosquitto-clients"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done

# apt-get source needs a deb-src entry; copy the URIs and suites of the
# existing binary source list rather than naming any mirror ourselves.
src_list=/etc/apt/sources.list.d/brig-deb-src.sources
need_src=0
[ -f "$build/libcap/lib/libcap.a" ] || need_src=1
if [ "$need_src" = 1 ] && [ ! -f "$src_list" ] &&
	! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		grep -q 'debian' "$f" || continue
		sed 's/^Types:.*/Types: deb-src/' "$f"
		echo
	done > "$src_list"
	if [ ! -s "$src_list" ] && [ -f /etc/apt/sources.list ]; then
		rm -f "$src_list"
		sed -n 's/^deb \(.*debian.*\)/deb-src \1/p' /etc/apt/sources.list \
			> /etc/apt/sources.list.d/brig-deb-src.list
	fi
	missing="$missing apt-update"
fi

if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $pkgs
fi

# Static libcap built with musl-gcc from Debian's own source package.
if [ ! -f "$build/libcap/lib/libcap.a" ]; then
	rm -rf "$build/libcap-src" && mkdir -p "$build/libcap-src"
	(cd "$build/libcap-src" && apt-get source -q libcap2 >/dev/null)
	srcdir=$(find "$build/libcap-src" -maxdepth 1 -type d -name 'libcap2-*' | head -n 1)
	# musl-gcc does not see the kernel headers libcap needs.
	kinc="$build/kinc"
	mkdir -p "$kinc"
	ln -sfn /usr/include/linux "$kinc/linux"
	ln -sfn /usr/include/asm-generic "$kinc/asm-generic"
	ln -sfn /usr/include/x86_64-linux-gnu/asm "$kinc/asm"
	make -C "$srcdir/libcap" -s CC="musl-gcc -isystem $kinc" BUILD_CC=gcc \
		SHARED=no PAM_CAP=no GOLANG=no COPTS="-Os -ffunction-sections -fdata-sections" \
		libcap.a >/dev/null
	mkdir -p "$build/libcap/lib" "$build/libcap/include/sys"
	cp "$srcdir/libcap/include/sys/capability.h" "$build/libcap/include/sys/"
	cp "$srcdir/libcap/libcap.a" "$build/libcap/lib/"
fi
