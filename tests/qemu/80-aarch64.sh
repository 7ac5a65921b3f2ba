#!/bin/sh
# The boot suite of tests/qemu/arch-suite.sh on aarch64: build/aarch64/brig
# on Debian's arm64 kernel, qemu-system-aarch64 -M virt (TCG).
BRIG_ARCH=aarch64
QEMU_TIMEOUT=${QEMU_TIMEOUT:-300}
# shellcheck source=tests/qemu/arch-suite.sh
. tests/qemu/arch-suite.sh
