#!/bin/sh
# src/fmt.c, brig's printf core, on each cross target: tests/cli/fmt_cases.c
# built with the target's musl toolchain (build/ARCH/musl) and run under
# qemu-user prints exactly what the host libc prints, so 32-bit varargs
# (long long in register pairs) and big-endian MIPS format as on x86_64.
# Needs no root. Prints TAP lines for tests/run.sh.
# shellcheck source=tests/cross/lib.sh
. "$(dirname "$0")/lib.sh"

if ! gcc -w -o "$tmp/libc" "$top/tests/cli/fmt_cases.c" || ! "$tmp/libc" >"$tmp/libc.out"; then
	not_ok "build the format cases with the host compiler"
	tap_done
fi
for a in $CROSS_ARCHS; do
	q=$(qemu_user "$a")
	cc=$build/$a/musl/bin/musl-gcc
	if ! "$cc" -static -Os -w -o "$tmp/$a" "$top/tests/cli/fmt_cases.c" "$top/src/fmt.c"; then
		not_ok "$a: build the format cases with $cc"
		continue
	fi
	"$q" "$tmp/$a" >"$tmp/$a.out" 2>&1
	if cmp -s "$tmp/$a.out" "$tmp/libc.out"; then
		ok "$a: src/fmt.c formats like the host libc ($(wc -l <"$tmp/$a.out") lines)"
	else
		not_ok "$a: src/fmt.c formats like the host libc" \
			"$(diff "$tmp/$a.out" "$tmp/libc.out")"
	fi
done
tap_done
