#!/bin/sh
# Unpacks one Debian binary package, never installed: `apt-get download
# PKG[:DEBARCH]` then `dpkg-deb -x` into DEST_DIR. A foreign DEBARCH is
# added to dpkg's architectures first (once; apt-get update follows), so
# its package lists are there. Idempotent: DEST_DIR/.stamp names the
# package unpacked there; a second run with it present does nothing.
# With --arch, only the first step: dpkg knows DEBARCH, apt has its lists.
# Usage: initramfs/fetch.sh PKG[:DEBARCH] DEST_DIR
#        initramfs/fetch.sh --arch DEBARCH
set -eu
PATH=$PATH:/usr/sbin:/sbin
usage="usage: fetch.sh PKG[:DEBARCH] DEST_DIR | --arch DEBARCH"

foreign_arch() {
	[ "$1" = "$(dpkg --print-architecture)" ] && return 0
	dpkg --print-foreign-architectures | grep -qx "$1" && return 0
	dpkg --add-architecture "$1"
	apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null
}
if [ "${1:-}" = --arch ]; then
	foreign_arch "${2:?$usage}"
	exit 0
fi

spec=${1:?$usage}
dest=${2:?$usage}
pkg=${spec%%:*}
[ -s "$dest/.stamp" ] && [ "$(cat "$dest/.stamp")" = "$spec" ] && exit 0
case $spec in *:*) foreign_arch "${spec#*:}" ;; esac

tmp=$dest.deb
rm -rf "$tmp" "$dest.tmp"
mkdir -p "$tmp" "$dest.tmp"
# apt drops privileges to _apt for downloads; a world-writable directory
# spares the "unsandboxed" warning.
chmod 0777 "$tmp"
(cd "$tmp" && apt-get download -q "$spec" >/dev/null 2>&1) || {
	apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null
	(cd "$tmp" && apt-get download -q "$spec" >/dev/null)
}
deb=$(find "$tmp" -name "${pkg}_*.deb" | head -n 1)
[ -n "$deb" ] || { echo "fetch: download of $spec failed" >&2; exit 1; }
dpkg-deb -x "$deb" "$dest.tmp"
rm -rf "$tmp" "$dest"
echo "$spec" >"$dest.tmp/.stamp"
mv "$dest.tmp" "$dest"
