#!/bin/sh
# The man pages (man/brig.8, man/brig.ini.5): mandoc -Tlint is clean, and
# they cannot drift from the code: every key of the parser's tables
# (src/config.c: key_names[], cg_keys[], rlimit_names[]) is an
# ".It Cm KEY" entry of brig.ini(5), and every command brig's main()
# knows (src/main.c: names[]) is in brig(8). The drift check is run
# once more against a copy of config.c with a key added, and must fail.
# Needs no root. Prints TAP lines for tests/run.sh.
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
tap_tmpdir

# The names of a \0-separated C string "a\0b\0" that starts at the line
# matching $2.
string_names() {
	sed -n "/$2/,/;\$/p" "$1" | grep -o '"[^"]*"' | tr -d '"' | sed 's/\\0/\n/g' | grep .
}

# The names of keys[] (jail and [init] keys, in key_names[]), the first
# quoted name of each entry of cg_keys[] (the rest of an entry is its
# handler, not a name), and the rlimit names.
table_keys() {
	string_names "$1" '^static const char key_names\[\] ='
	sed -n '/^} cg_keys\[\] = {/,/^};/p' "$1" | grep -o '{ "[^"]*"' | sed 's/{ "//; s/"//'
	string_names "$1" '^static const char rlimit_names\[\] ='
}

# documented PAGE WORD: an ".It" line of PAGE names WORD as "Cm WORD".
documented() {
	awk -v w="$2" '/^\.It / { n = split($0, f, " "); for (i = 1; i < n; i++)
		if (f[i] == "Cm" && (f[i + 1] == w)) found = 1 } END { exit !found }' "$1"
}

# drift CONFIG_C: prints every undocumented key; fails when there is one.
drift() {
	bad=
	count=0
	for k in $(table_keys "$1"); do
		count=$((count + 1))
		documented "$top/man/brig.ini.5" "$k" || bad="$bad $k"
	done
	[ "$count" -ge 50 ] || { echo "only $count keys found in $1: the table moved?"; return 1; }
	[ -z "$bad" ] || { echo "keys of $1 not in man/brig.ini.5:$bad"; return 1; }
}

for p in man/brig.8 man/brig.ini.5; do
	if out=$(mandoc -Tlint -W warning "$top/$p" 2>&1); then ok "mandoc -Tlint: $p is clean"
	else not_ok "mandoc -Tlint: $p is clean" "$out"; fi
	if mandoc -Tascii "$top/$p" >"$tmp/out" 2>&1 && [ "$(wc -l <"$tmp/out")" -gt 100 ]; then ok "$p renders"
	else not_ok "$p renders" "$(head -5 "$tmp/out")"; fi
	if out=$(grep -nE 'SPEC|shared/|\.\./' "$top/$p"); then not_ok "$p points nowhere outside the repo" "$out"
	else ok "$p points nowhere outside the repo"; fi
done

if out=$(drift "$top/src/config.c"); then ok "every key of the parser is in brig.ini(5) ($(table_keys "$top/src/config.c" | wc -l) keys)"
else not_ok "every key of the parser is in brig.ini(5)" "$out"; fi

# The negative control: a key added to the parser without documentation.
sed 's/^\t"exec\\0type\\0/\t"exec\\0frobnicate\\0type\\0/' \
	"$top/src/config.c" >"$tmp/config.c"
if grep -q frobnicate "$tmp/config.c" && out=$(drift "$tmp/config.c"); then
	not_ok "the drift check fails on an undocumented key" "it passed: $out"
elif echo "$out" | grep -qw frobnicate; then ok "the drift check fails on an undocumented key ($out)"
else not_ok "the drift check fails on an undocumented key" "$out"; fi

bad=
cmds=$(string_names "$top/src/main.c" '^static const char names\[\] =' | wc -l)
[ "$cmds" -ge 20 ] || bad=" (only $cmds commands found in src/main.c: names[] moved?)"
for c in $(string_names "$top/src/main.c" '^static const char names\[\] ='); do
	case $c in
	--*) word="Fl -${c#--}" ;;
	-*) word="Fl ${c#-}" ;;
	*) word="Cm $c" ;;
	esac
	grep -qE "(^|[ .])$word( |\$)" "$top/man/brig.8" || bad="$bad $c"
done
if [ -z "$bad" ]; then ok "every command of src/main.c is in brig(8)"
else not_ok "every command of src/main.c is in brig(8)" "missing:$bad"; fi

make -s -C "$top" install DESTDIR="$tmp/inst" PREFIX=/usr >"$tmp/out" 2>&1
for p in man8/brig.8 man5/brig.ini.5; do
	if cmp -s "$top/man/${p#*/}" "$tmp/inst/usr/share/man/$p"; then ok "make install puts $p under PREFIX/share/man"
	else not_ok "make install puts $p under PREFIX/share/man" "$(cat "$tmp/out")"; fi
done
if MANPATH=$tmp/inst/usr/share/man man -P cat brig.ini 2>/dev/null | grep -q 'memory.max'; then ok "man brig.ini finds the installed page"
else not_ok "man brig.ini finds the installed page"; fi
tap_done
