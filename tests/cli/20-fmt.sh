#!/bin/sh
# src/fmt.c replaces musl's printf core in build/brig: every form brig uses
# must print exactly what the host libc prints.
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
tap_tmpdir
musl-gcc -static -Os -w -o "$tmp/ours" "$top/tests/cli/fmt_cases.c" "$top/src/fmt.c" &&
	gcc -w -o "$tmp/libc" "$top/tests/cli/fmt_cases.c" || { not_ok "build the format cases"; tap_done; }
"$tmp/ours" >"$tmp/ours.out"
"$tmp/libc" >"$tmp/libc.out"
if cmp -s "$tmp/ours.out" "$tmp/libc.out"; then
	ok "src/fmt.c formats like the host libc ($(wc -l <"$tmp/ours.out") lines)"
else
	not_ok "src/fmt.c formats like the host libc" "$(diff "$tmp/ours.out" "$tmp/libc.out")"
fi
if nm "$tmp/ours" | grep -q fmt_fp; then
	not_ok "musl's float formatter is left out"
else
	ok "musl's float formatter is left out"
fi
if nm "$tmp/ours" | grep -q '__stdio_write\|__stdout_write'; then
	not_ok "musl's FILE machinery is left out"
else
	ok "musl's FILE machinery is left out"
fi
tap_done
