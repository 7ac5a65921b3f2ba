#!/bin/sh
# Fetches Debian's kernel for the qemu appliance: the concrete
# linux-image-6.1.*-amd64 package that linux-image-amd64 depends on,
# downloaded with `apt-get download` and unpacked with `dpkg-deb -x` under
# BUILD_DIR/kernel/ (never installed). Idempotent: BUILD_DIR/kernel/.stamp
# names the package unpacked there; a second run with it present does nothing.
# With -r, prints the kernel release (the package name less linux-image-).
# Usage: initramfs/kernel.sh BUILD_DIR [-r]
set -eu
PATH=$PATH:/usr/sbin:/sbin
build=${1:-build}
mkdir -p "$build"
build=$(cd "$build" && pwd)
dir=$build/kernel

if [ ! -s "$dir/.stamp" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.1\.[^ ]*-amd64\)$/\1/p' | head -n 1)
	if [ -z "$pkg" ]; then
		apt-get update -q >/dev/null
		pkg=$(apt-cache depends linux-image-amd64 |
			sed -n 's/^ *Depends: \(linux-image-6\.1\.[^ ]*-amd64\)$/\1/p' | head -n 1)
	fi
	[ -n "$pkg" ] || { echo "kernel: no linux-image-6.1.*-amd64 behind linux-image-amd64" >&2; exit 1; }
	rm -rf "$dir" "$build/kernel-deb"
	mkdir -p "$build/kernel-deb"
	# apt drops privileges to _apt for downloads; a world-writable
	# directory spares the "unsandboxed" warning.
	chmod 0777 "$build/kernel-deb"
	(cd "$build/kernel-deb" && apt-get download -q "$pkg" >/dev/null 2>&1) || {
		apt-get update -q >/dev/null
		(cd "$build/kernel-deb" && apt-get download -q "$pkg" >/dev/null)
	}
	deb=$(find "$build/kernel-deb" -name "${pkg}_*.deb" | head -n 1)
	[ -n "$deb" ] || { echo "kernel: download of $pkg failed" >&2; exit 1; }
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	dpkg-deb -x "$deb" "$dir.tmp"
	# The package leaves modules.dep to its postinst (depmod).
	depmod -b "$dir.tmp" "${pkg#linux-image-}"
	rm -rf "$build/kernel-deb"
	echo "$pkg" >"$dir.tmp/.stamp"
	mv "$dir.tmp" "$dir"
fi

if [ "${2:-}" = -r ]; then
	sed 's/^linux-image-//' "$dir/.stamp"
fi
