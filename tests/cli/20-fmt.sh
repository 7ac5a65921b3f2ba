#!/bin/sh
# src/fmt.c replaces musl's printf core in build/brig: every form brig uses
# must print exactly what the host libc prints.
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
musl-gcc -static -Os -w -o "$tmp/ours" "$top/tests/cli/fmt_cases.c" "$top/src/fmt.c" &&
	gcc -w -o "$tmp/libc" "$top/tests/cli/fmt_cases.c" || { echo "not ok 1 - build the format cases"; exit 1; }
"$tmp/ours" >"$tmp/ours.out"
"$tmp/libc" >"$tmp/libc.out"
if cmp -s "$tmp/ours.out" "$tmp/libc.out"; then
	echo "ok 1 - src/fmt.c formats like the host libc ($(wc -l <"$tmp/ours.out") lines)"
else
	echo "not ok 1 - src/fmt.c formats like the host libc"
	diff "$tmp/ours.out" "$tmp/libc.out" | sed 's/^/# /'
fi
if nm "$tmp/ours" | grep -q fmt_fp; then
	echo "not ok 2 - musl's float formatter is left out"
else
	echo "ok 2 - musl's float formatter is left out"
fi
if nm "$tmp/ours" | grep -q '__stdio_write\|__stdout_write'; then
	echo "not ok 3 - musl's FILE machinery is left out"
else
	echo "ok 3 - musl's FILE machinery is left out"
fi
echo "1..3"
