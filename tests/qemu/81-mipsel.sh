#!/bin/sh
# The boot suite of tests/qemu/arch-suite.sh on little-endian 32-bit MIPS:
# build/mipsel/brig on Debian's 4kc-malta kernel, qemu-system-mipsel -M
# malta (TCG, one CPU).
BRIG_ARCH=mipsel
QEMU_TIMEOUT=${QEMU_TIMEOUT:-300}
# shellcheck source=tests/qemu/arch-suite.sh
. tests/qemu/arch-suite.sh
