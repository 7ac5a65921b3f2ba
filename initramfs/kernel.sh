#!/bin/sh
# Fetches Debian's kernel for the qemu appliance of BRIG_ARCH [x86_64]: the
# concrete linux-image-6.1.* package that the flavour's meta package depends
# on (x86_64: linux-image-amd64; aarch64: linux-image-arm64 of arm64;
# mipsel: linux-image-4kc-malta of mipsel), unpacked by initramfs/fetch.sh
# under BUILD_DIR/kernel/ (never installed), with modules.dep made by
# depmod. Idempotent: BUILD_DIR/kernel/.stamp names the package unpacked
# there; a second run with it present does nothing.
# With -r, prints the kernel release (the package name less linux-image-).
# Usage: [BRIG_ARCH=NAME] initramfs/kernel.sh BUILD_DIR [-r]
set -eu
PATH=$PATH:/usr/sbin:/sbin
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$build"
build=$(cd "$build" && pwd)
dir=$build/kernel

case ${BRIG_ARCH:-x86_64} in
x86_64) flavour=amd64 debarch= ;;
aarch64) flavour=arm64 debarch=:arm64 ;;
mipsel) flavour=4kc-malta debarch=:mipsel ;;
*) echo "kernel: no qemu kernel for ${BRIG_ARCH} (x86_64 aarch64 mipsel)" >&2; exit 1 ;;
esac

# The concrete package behind the meta package, as apt-cache names it.
concrete() {
	apt-cache depends "linux-image-$flavour$debarch" 2>/dev/null |
		sed -n "s/^ *Depends: \(linux-image-6\.1\.[^ :]*-$flavour\)\($debarch\)\{0,1\}\$/\1/p" |
		head -n 1
}

if [ ! -s "$dir/.stamp" ]; then
	[ -z "$debarch" ] || sh "$here/fetch.sh" --arch "${debarch#:}"
	pkg=$(concrete)
	if [ -z "$pkg" ]; then
		apt-get update -q >/dev/null
		pkg=$(concrete)
	fi
	[ -n "$pkg" ] || { echo "kernel: no linux-image-6.1.*-$flavour behind linux-image-$flavour" >&2; exit 1; }
	rm -rf "$dir"
	sh "$here/fetch.sh" "$pkg$debarch" "$dir.tmp"
	# The package leaves modules.dep to its postinst (depmod).
	depmod -b "$dir.tmp" "${pkg#linux-image-}"
	echo "$pkg" >"$dir.tmp/.stamp"
	mv "$dir.tmp" "$dir"
fi

if [ "${2:-}" = -r ]; then
	sed 's/^linux-image-//' "$dir/.stamp"
fi
