#!/bin/sh
# The README's "A first jail, step by step", literally: every ```sh block
# of that section runs, in order, in a scratch dir where build/ is this
# tree's; every line of the ```text block after it must be a line of what
# that block printed. Then the error the README shows for the file without
# its tmpfs line. Needs root (brig run); SKIPs without it.
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
tap_tmpdir

if [ "$(id -u)" != 0 ]; then
	skip walkthrough "needs root"
	tap_done
fi

# The section, its fenced blocks split into files: NN.sh, NN.text.
awk -v dir="$tmp" '
	/^## / { in_sec = ($0 ~ /^## A first jail/) }
	!in_sec { next }
	/^ *```(sh|text)$/ { kind = $0; sub(/^ *```/, "", kind); n++; f = sprintf("%s/%02d.%s", dir, n, kind); next }
	/^ *```$/ { f = ""; next }
	f != "" { sub(/^   /, ""); print > f }
' "$top/README.md"
ls "$tmp"/*.sh >/dev/null 2>&1 || { not_ok "the README has the section's sh blocks"; tap_done; }

mkdir "$tmp/work"
ln -s "$top/build" "$tmp/work/build"
last=
for f in "$tmp"/[0-9]*.*; do
	case $f in
	*.sh)
		last=$f
		(cd "$tmp/work" && timeout 60 sh -e "$f") >"$f.out" 2>&1
		rc=$?
		if [ $rc -eq 0 ]; then ok "README step: $(grep -v '^ *$' "$f" | head -n 1)"
		else not_ok "README step: $(head -n 1 "$f") (exit $rc)" "$(cat "$f.out")"; fi
		;;
	*.text)
		missing=
		while IFS= read -r line; do
			grep -qxF -- "$line" "$last.out" || missing="$missing [$line]"
		done <"$f"
		if [ -z "$missing" ]; then ok "README output of '$(head -n 1 "$last")' as shown"
		else not_ok "README output of '$(head -n 1 "$last")' as shown" "missing:$missing" "got:" "$(cat "$last.out")"; fi
		;;
	esac
done

# The README's error for the file without its tmpfs line, word for word.
want=$(sed -n 's/^    \(myconf\/jails\/hello.ini:[0-9]*: error: .*\)$/\1/p' "$top/README.md")
(cd "$tmp/work" && sed -i '/^tmpfs = /d' myconf/jails/hello.ini &&
	timeout 60 build/brig run myconf/jails/hello.ini) >"$tmp/err.out" 2>&1
rc=$?
[ $rc -eq 125 ] && ok "without the tmpfs: brig run exits 125" || not_ok "without the tmpfs: brig run exits 125" "exit $rc"
if [ -n "$want" ] && grep -qxF -- "$want" "$tmp/err.out"; then ok "without the tmpfs: the error the README shows"
else not_ok "without the tmpfs: the error the README shows" "want: $want" "got: $(cat "$tmp/err.out")"; fi
tap_done
