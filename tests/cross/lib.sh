# shellcheck shell=sh disable=SC2034
# Shared by tests/cross/NN-*.sh (run from anywhere; they need no root):
#   top, build     the repo and its build directory
#   tmp            a directory removed at exit
#   ok, not_ok     TAP lines, numbered in n
#   CROSS_ARCHS    the cross targets
#   qemu_user A    the qemu-user binary that runs target A's programs
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$top/${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
CROSS_ARCHS="aarch64 armhf mipsel mips"
qemu_user() {
	case $1 in
	armhf) echo qemu-arm-static ;;
	*) echo "qemu-$1-static" ;;
	esac
}
