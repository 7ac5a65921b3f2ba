#!/bin/sh
# Boots BUILD_DIR/initramfs.cpio.gz on Debian's kernel under qemu: TCG (no
# KVM), the serial console on stdio, no reboot: the command returns when
# the guest powers off, halts, reboots or panics (panic=-1 turns a panic
# into a reboot). The machine follows BRIG_ARCH [x86_64]:
#   x86_64   qemu-system-x86_64 -M q35, 2 CPUs, 512 MiB, ttyS0
#   aarch64  qemu-system-aarch64 -M virt (Cortex-A57), 2 CPUs, 512 MiB, ttyAMA0
#   mipsel   qemu-system-mipsel -M malta (24Kf), 1 CPU, 256 MiB, ttyS0
#            (malta has no SMP without MIPS CPS, which the 4kc kernel lacks;
#            its 32-bit kernel maps 256 MiB of low memory)
#   QEMU_APPEND  more kernel command line (e.g. brig.config=/etc/other)
#   QEMU_ARGS    more qemu arguments (e.g. -device i6300esb)
#   INITRD       the image [BUILD_DIR/initramfs.cpio.gz]
# Usage: [BRIG_ARCH=NAME] initramfs/qemu.sh BUILD_DIR
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
release=$(sh "$here/kernel.sh" "$build" -r)
kernel=$build/kernel/boot/vmlinuz-$release
initrd=${INITRD:-$build/initramfs.cpio.gz}
[ -f "$initrd" ] || { echo "qemu: $initrd missing (make initramfs)" >&2; exit 1; }
case ${BRIG_ARCH:-x86_64} in
x86_64) qemu=qemu-system-x86_64 machine="-machine q35 -smp 2 -m 512" console=ttyS0 ;;
aarch64)
	qemu=qemu-system-aarch64 console=ttyAMA0
	machine="-machine virt -cpu cortex-a57 -smp 2 -m 512"
	;;
mipsel) qemu=qemu-system-mipsel machine="-machine malta -smp 1 -m 256" console=ttyS0 ;;
*) echo "qemu: no machine for BRIG_ARCH=$BRIG_ARCH (x86_64 aarch64 mipsel)" >&2; exit 1 ;;
esac
# shellcheck disable=SC2086
exec $qemu $machine -accel tcg \
	-nographic -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=$console panic=-1 quiet ${QEMU_APPEND:-}" ${QEMU_ARGS:-}
