#!/bin/sh
# Boots BUILD_DIR/initramfs.cpio.gz on Debian's kernel under qemu: TCG (no
# KVM), 2 CPUs, 512 MiB, the serial console on stdio, no reboot: the
# command returns when the guest powers off, halts, reboots or panics
# (panic=-1 turns a panic into a reboot).
#   QEMU_APPEND  more kernel command line (e.g. brig.config=/etc/other)
#   QEMU_ARGS    more qemu arguments (e.g. -device i6300esb)
#   INITRD       the image [BUILD_DIR/initramfs.cpio.gz]
# Usage: initramfs/qemu.sh BUILD_DIR
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
release=$(sh "$here/kernel.sh" "$build" -r)
kernel=$build/kernel/boot/vmlinuz-$release
initrd=${INITRD:-$build/initramfs.cpio.gz}
[ -f "$initrd" ] || { echo "qemu: $initrd missing (make initramfs)" >&2; exit 1; }
# shellcheck disable=SC2086
exec qemu-system-x86_64 -machine q35 -accel tcg -smp 2 -m 512 \
	-nographic -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 quiet ${QEMU_APPEND:-}" ${QEMU_ARGS:-}
