#!/bin/sh
# Installs every Debian package that brig's build, tests, demo and benchmarks
# need, then builds the static libcap that build/brig links. Idempotent: a
# second run with everything present does no apt work and no rebuild.
# With ARCH (aarch64, armhf, mipsel, mips; BUILD_DIR is then that target's
# own, build/ARCH): musl and libcap for ARCH instead, both from Debian's
# source packages, built with Debian's cross compiler (see "Cross targets").
# Usage: tests/deps.sh BUILD_DIR [ARCH]
set -eu
build=${1:-build}
arch=${2:-x86_64}
mkdir -p "$build"
build=$(cd "$build" && pwd)
# The makes of musl and libcap below must not see our make's variables
# (ARCH=mipsel on brig's command line would be musl's ARCH).
unset MAKEFLAGS MFLAGS MAKELEVEL

pkgs="musl-tools gcc make dpkg-dev libcap-dev clang libclang-rt-14-dev
busybox-static toybox qemu-system-x86 hyperfine bubblewrap s6 runit
systemd strace file cpio gzip kmod shellcheck mandoc nginx redis-server mosquitto mosquitto-clients
gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-mipsel-linux-gnu gcc-mips-linux-gnu
linux-libc-dev-arm64-cross linux-libc-dev-armhf-cross linux-libc-dev-mipsel-cross
linux-libc-dev-mips-cross qemu-user-static qemu-system-arm qemu-system-mips"

# Debian architectures whose packages (kernel, busybox-static) the foreign
# qemu boots fetch with `apt-get download PKG:ARCH`, never installed.
foreign="arm64 mipsel"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
for a in $foreign; do
	dpkg --print-foreign-architectures | grep -qx "$a" && continue
	dpkg --add-architecture "$a"
	missing="$missing apt-update"
done

# apt-get source needs a deb-src entry; copy the URIs and suites of the
# existing binary source list rather than naming any mirror ourselves.
src_list=/etc/apt/sources.list.d/brig-deb-src.sources
need_src=0
[ -f "$build/libcap/lib/libcap.a" ] || need_src=1
[ "$arch" = x86_64 ] || [ -f "$build/musl/lib/libc.a" ] || need_src=1
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
	# Other builds on the machine may hold the dpkg lock for a while.
	apt-get update -q -o DPkg::Lock::Timeout=600
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 $pkgs
fi

# fetch_source PKG DIR: Debian's source package PKG unpacked (patches
# applied) in DIR; prints the source tree's path.
fetch_source() {
	rm -rf "$2" && mkdir -p "$2"
	(cd "$2" && apt-get source -q "$1" >/dev/null 2>&1) || {
		echo "deps: apt-get source $1 failed" >&2
		exit 1
	}
	find "$2" -mindepth 1 -maxdepth 1 -type d -name "$1-*" | head -n 1
}

# kernel_headers INCDIR KINC: links to INCDIR's linux, asm-generic and asm
# (asm: INCDIR/asm, else Debian's multiarch one for the host) in KINC, the
# kernel's uapi headers that the musl compiler does not see by itself.
kernel_headers() {
	mkdir -p "$2"
	ln -sfn "$1/linux" "$2/linux"
	ln -sfn "$1/asm-generic" "$2/asm-generic"
	if [ -d "$1/asm" ]; then
		ln -sfn "$1/asm" "$2/asm"
	else
		ln -sfn "$1/$(gcc -dumpmachine)/asm" "$2/asm"
	fi
}

# build_libcap CC AR: the static libcap from Debian's source package,
# compiled with CC (a musl compiler that sees the kernel headers) as brig
# itself: without unwind tables (nothing unwinds C here) and without the
# -fPIC its Makefile adds for the shared library (static code only).
build_libcap() {
	srcdir=$(fetch_source libcap2 "$build/libcap-src")
	cflags="-Os -ffunction-sections -fdata-sections"
	cflags="$cflags -fno-asynchronous-unwind-tables -fno-unwind-tables"
	make -C "$srcdir/libcap" -s CC="$1" AR="$2" RANLIB="$2 s" BUILD_CC=gcc \
		SHARED=no PAM_CAP=no GOLANG=no CFLAGS="$cflags" libcap.a >/dev/null
	mkdir -p "$build/libcap/lib" "$build/libcap/include/sys"
	cp "$srcdir/libcap/include/sys/capability.h" "$build/libcap/include/sys/"
	cp "$srcdir/libcap/libcap.a" "$build/libcap/lib/"
	rm -rf "$build/libcap-src"
}

# Static libcap built with musl-gcc from Debian's own source package.
if [ "$arch" = x86_64 ] && [ ! -f "$build/libcap/lib/libcap.a" ]; then
	kernel_headers /usr/include "$build/kinc"
	build_libcap "musl-gcc -isystem $build/kinc" ar
fi

# ---- Cross targets ----
# BUILD_DIR/musl: musl installed with a gcc wrapper, bin/musl-gcc: Debian's
# cross gcc with the target's code flags and musl's specs file, the one
# compiler of everything built for ARCH (musl, libcap, brig, its unit tests).
# BUILD_DIR/kinc: the target's kernel headers from linux-libc-dev-*-cross;
# BUILD_DIR/libcap: as for x86_64.
# Code flags: no PIE (Debian's gcc makes PIE by default; brig is a static
# executable at a fixed address); MIPS keeps the abicalls ABI of Debian's
# libgcc and crt files but without the PIC $gp set-up (-mno-shared);
# aarch64 atomics inline (LL/SC, as on any ARMv8.0 core) rather than
# libgcc's run-time choice.
cross_toolchain() {
	case $arch in
	aarch64) triple=aarch64-linux-gnu tflags="-fno-pie -no-pie -mno-outline-atomics" ;;
	armhf) triple=arm-linux-gnueabihf tflags="-fno-pie -no-pie" ;;
	mipsel) triple=mipsel-linux-gnu tflags="-fno-pie -no-pie -mno-shared" ;;
	mips) triple=mips-linux-gnu tflags="-fno-pie -no-pie -mno-shared" ;;
	*) echo "deps: unknown ARCH '$arch' (x86_64 aarch64 armhf mipsel mips)" >&2; exit 2 ;;
	esac
	command -v "$triple-gcc" >/dev/null || { echo "deps: $triple-gcc missing" >&2; exit 1; }
	tc=$build/musl
	wrapper="exec $triple-gcc $tflags \"\$@\" -specs \"$tc/lib/musl-gcc.specs\""
	if [ ! -f "$tc/lib/libc.a" ] || ! grep -qxF "$wrapper" "$tc/bin/musl-gcc" 2>/dev/null; then
		echo "deps: building musl for $arch with $triple-gcc $tflags"
		srcdir=$(fetch_source musl "$build/musl-src")
		rm -rf "$tc" "$build/libcap"
		(cd "$srcdir" && ./configure --target="$triple" --prefix="$tc" --disable-shared \
			--enable-wrapper=gcc CROSS_COMPILE="$triple-" CC="$triple-gcc" \
			CFLAGS="-Os -ffunction-sections -fdata-sections $tflags" >/dev/null &&
			nice make -s -j"$(nproc)" install >/dev/null 2>&1) || {
			echo "deps: musl build for $arch failed" >&2
			exit 1
		}
		printf '#!/bin/sh\n%s\n' "$wrapper" >"$tc/bin/musl-gcc"
		rm -rf "$build/musl-src"
	fi
	if [ ! -f "$build/libcap/lib/libcap.a" ]; then
		kernel_headers "/usr/$triple/include" "$build/kinc"
		build_libcap "$tc/bin/musl-gcc -isystem $build/kinc" "$triple-ar"
	fi
}
[ "$arch" = x86_64 ] || cross_toolchain
