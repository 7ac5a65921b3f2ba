#!/bin/sh
# The files of src/ include each other without a cycle, and their modules
# form layers: each #include "x.h" is an edge from the file to
# x.h, and tsort finds any cycle among the files; a module is a file name
# without .c/.h, and an edge may only go to a module of the same layer or a
# lower one. A module in no layer is an error, so a new file must be placed. The checker also runs on two
# made-up trees, one with a cycle and one with an edge upwards, and must
# reject both. README.md's module map must match the layers. Needs no root.
# Prints TAP lines for tests/run.sh.
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
tap_tmpdir

# Lowest first. A module may include its own layer and those before it;
# a line without a name continues the layer above it.
LAYERS='
leaf:      err log fdio ini logring policy fmt sys value heap pidhash control watchdog usage path
           cgstat esc
           seccomp_arch syscalls
block:     config cfgkeys cfgfile cfgdir mount caps cgroup jail reaper enter run shell net
           seccomp config_seccomp
machine:   machine
loop:      supervisor supjail reload
server:    ctlserver ctlpeer
init:      pid1 modules shutdown supervise
client:    ctlclient stats check main
'

# edges DIR: "FILE x.h" per #include "x.h" of DIR's .c and .h files.
edges() {
	for f in "$1"/*.c "$1"/*.h; do
		[ -f "$f" ] || continue
		sed -n 's/^#include "\([^"]*\.h\)".*/\1/p' "$f" | while read -r to; do
			echo "$(basename "$f") $to"
		done
	done | sort -u
}

# layer_check DIR: prints every problem; exit 0 when there is none.
layer_check() {
	edges "$1" >"$tmp/edges"
	echo "$LAYERS" | awk 'NF { s = 1; if ($1 ~ /:$/) { l++; s = 2 }
		for (i = s; i <= NF; i++) print $i, l }' >"$tmp/layer"
	bad=0
	# Every module has a layer; every edge goes down or sideways.
	awk 'NR == FNR { layer[$1] = $2; next }
		{ a = $1; b = $2; sub(/\.[ch]$/, "", a); sub(/\.h$/, "", b) }
		!(a in layer) { print "module " a " has no layer"; bad = 1 }
		!(b in layer) { print "module " b " has no layer"; bad = 1 }
		(a in layer) && (b in layer) && layer[b] > layer[a] {
			print a " includes " b ", a higher layer"; bad = 1 }
		END { exit bad }' "$tmp/layer" "$tmp/edges" >"$tmp/layers" || bad=1
	sort -u "$tmp/layers"
	if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/tsort"; then
		echo "include cycle:"
		sed 's/^/  /' "$tmp/tsort"
		bad=1
	fi
	return $bad
}

if layer_check "$top/src" >"$tmp/out" 2>&1; then
	ok "src/: no include cycle, every include goes to its own or a lower layer ($(wc -l <"$tmp/edges") edges)"
else
	not_ok "src/: no include cycle, every include goes to its own or a lower layer" "$(cat "$tmp/out")"
fi
if [ "$(wc -l <"$tmp/edges")" -gt 50 ]; then
	ok "the include graph of src/ was read ($(wc -l <"$tmp/edges") edges)"
else
	not_ok "the include graph of src/ was read" "only $(wc -l <"$tmp/edges") edges"
fi

# Negative controls: the checker rejects a cycle and an edge upwards.
mkdir -p "$tmp/cyc" "$tmp/up"
printf '#include "heap.h"\n' >"$tmp/cyc/pidhash.h"
printf '#include "pidhash.h"\n' >"$tmp/cyc/heap.h"
if layer_check "$tmp/cyc" >"$tmp/out" 2>&1; then
	not_ok "a made-up cycle (heap <-> pidhash) is rejected"
else
	ok "a made-up cycle (heap <-> pidhash) is rejected"
fi
printf '#include "supervisor.h"\n' >"$tmp/up/machine.c"
if layer_check "$tmp/up" >"$tmp/out" 2>&1 || ! grep -q "machine includes supervisor" "$tmp/out"; then
	not_ok "a made-up edge upwards (machine -> supervisor) is rejected" "$(cat "$tmp/out")"
else
	ok "a made-up edge upwards (machine -> supervisor) is rejected"
fi
printf '#include "err.h"\n' >"$tmp/up/newmod.c"
if layer_check "$tmp/up" >"$tmp/out" 2>&1 || ! grep -q "newmod has no layer" "$tmp/out"; then
	not_ok "a module in no layer is rejected" "$(cat "$tmp/out")"
else
	ok "a module in no layer is rejected"
fi

# The README's module map names every module of src/ in the layer it has
# here (its "Layout" block, one line per layer, continued by indented lines).
readme_map() {
	sed -n '/^## Layout/,/^## /p' "$1" | awk '
		$1 == "leaves" { l = 1 } $1 == "blocks" { l = 2 } $1 == "machine" { l = 3 }
		$1 == "loop" { l = 4 } $1 == "server" { l = 5 } $1 == "init" { l = 6 }
		$1 == "clients" { l = 7 } /^    [a-z]+\// && l { l = 0 }
		l { gsub(/\([^)]*\)?|:/, ""); for (i = 1; i <= NF; i++) print $i, l }'
}
# map_misses README: the modules of src/ its map leaves out or misplaces.
map_misses() {
	for m in $(cd "$top/src" && printf '%s\n' *.c *.h | sed 's/\.[ch]$//' | sort -u); do
		want=$(echo "$LAYERS" | awk -v m="$m" 'NF { s = 1; if ($1 ~ /:$/) { l++; s = 2 }
			for (i = s; i <= NF; i++) if ($i == m) print l }')
		[ -n "$want" ] || continue  # alloc, libc: no includes, no layer
		readme_map "$1" | grep -qx "$m $want" || printf ' %s' "$m"
	done
}
bad=$(map_misses "$top/README.md")
if [ -z "$bad" ]; then
	ok "README.md's module map puts every module of src/ in its layer"
else
	not_ok "README.md's module map puts every module of src/ in its layer" "wrong:$bad"
fi
sed 's/ cgstat$//; s/ cgstat / /' "$top/README.md" >"$tmp/README.md"
if [ "$(map_misses "$tmp/README.md")" = " cgstat" ]; then
	ok "a module map without cgstat is caught"
else
	not_ok "a module map without cgstat is caught" "$(map_misses "$tmp/README.md")"
fi

# Files over ~800 lines, except the narrated key table (config.c).
long=$(wc -l "$top"/src/*.c "$top"/src/*.h | awk '$2 != "total" && $1 > 800 && $2 !~ /\/config\.c$/ { print $2 ": " $1 }')
if [ -z "$long" ]; then
	ok "no file in src/ is over 800 lines but the key table (config.c)"
else
	not_ok "no file in src/ is over 800 lines but the key table (config.c)" "$long"
fi
tap_done
