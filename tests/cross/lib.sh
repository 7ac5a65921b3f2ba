# shellcheck shell=sh disable=SC2034
# Shared by tests/cross/NN-*.sh (run from anywhere; they need no root):
#   top, build     the repo and its build directory
#   tmp            a directory removed at exit
#   TAP            tests/tap.sh (ok, not_ok, tap_done, ...)
#   CROSS_ARCHS    the cross targets
#   qemu_user A    the qemu-user binary that runs target A's programs
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$top/${BUILD:-build}
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
tap_tmpdir
CROSS_ARCHS="aarch64 armhf mipsel mips"
qemu_user() {
	case $1 in
	armhf) echo qemu-arm-static ;;
	*) echo "qemu-$1-static" ;;
	esac
}
