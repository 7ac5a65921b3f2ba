#!/bin/sh
# Start-path benchmark of `brig run`: how long one default jail takes to run
# a static /bin/true and exit, next to the same work done by the bare-syscall
# floor (tests/bench/floor.c), bubblewrap, and util-linux unshare + chroot,
# and next to a plain fork+exec of that true. Figures only, never a test:
# it prints medians and ratios with their goals and exits 0 whatever they are.
#
# Every contender runs the same static true (musl, libc only) from the same
# small root, BUILD/bench-root, so that a dynamic loader does not drown the
# jail's own cost; what else lies in a root does not change what binding it
# costs. The jail: pid, mount, uts, ipc and cgroup namespaces, the root bound
# read-only, /proc, a /tmp tmpfs, a minimal /dev, two read-only binds, every
# capability dropped; brig and the floor also make and remove a cgroup of
# their own (bwrap and unshare have no such step).
#
# Writes into BUILD/bench/: jail-start.json and .md (hyperfine), medians.txt,
# strace-{brig,floor}.txt (strace -c -f) joined in strace-join.txt,
# strace-{brig,floor}-T.txt (strace -f -T -tt) of one run each, and the
# binaries it times.
#
# Needs root and a cgroup2 mount (default /sys/fs/cgroup/unified, else the
# first cgroup2 in /proc/self/mountinfo; BENCH_CGROUP2 overrides). The bench
# cgroups live under CGROUP2/brig-bench-PID, removed on exit.
# BENCH_RUNS [200] and BENCH_WARMUP [20] set hyperfine's counts.
# Usage: tests/bench/jail-start.sh [BUILD_DIR]
set -eu
build=${1:-build}
mkdir -p "$build"
build=$(cd "$build" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$build/bench
root=$build/bench-root
brig=$build/brig
runs=${BENCH_RUNS:-200}
warmup=${BENCH_WARMUP:-20}

say() { printf '%s\n' "$*"; }
die() { printf 'jail-start: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (namespaces, mounts, cgroups)"
for t in hyperfine bwrap unshare chroot strace musl-gcc; do
	command -v "$t" >/dev/null 2>&1 || { sh "$top/tests/deps.sh" "$build"; break; }
done
for t in hyperfine bwrap unshare chroot strace musl-gcc; do
	command -v "$t" >/dev/null 2>&1 || die "$t missing after tests/deps.sh"
done

# --- the cgroup2 mount, and our own subtree in it -------------------------
cg2=${BENCH_CGROUP2:-}
if [ -z "$cg2" ]; then
	if [ -f /sys/fs/cgroup/unified/cgroup.procs ]; then
		cg2=/sys/fs/cgroup/unified
	else
		cg2=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break
			if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
	fi
fi
if [ -z "$cg2" ] || [ ! -f "$cg2/cgroup.procs" ]; then
	die "no cgroup2 mount found (set BENCH_CGROUP2)"
fi
cgroot=$cg2/brig-bench-$$

# Removes only what this run made: the directories under our own cgroup
# root, deepest first. A cgroup still holding a process stays, with a note.
cleanup() {
	[ -d "$cgroot" ] || return 0
	find "$cgroot" -depth -type d -exec rmdir {} \; 2>/dev/null || true
	[ -d "$cgroot" ] && say "jail-start: $cgroot left behind (not empty)" >&2
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir "$cgroot"

# --- what the contenders run -----------------------------------------------
mkdir -p "$out"
if [ ! -x "$out/true" ]; then
	printf 'int main(void)\n{\n\treturn 0;\n}\n' >"$out/true.c"
	musl-gcc -static -Os -s -o "$out/true" "$out/true.c"
fi
musl-gcc -static -Os -s -Wall -Wextra -Werror -o "$out/floor" "$top/tests/bench/floor.c"
[ -x "$brig" ] || make -C "$top" BUILD="$build" "$brig" >/dev/null
# Time a copy, so that a rebuild of BUILD/brig during the run cannot
# pull the binary out from under hyperfine.
cp -f "$brig" "$out/brig"
brig=$out/brig

# The root (tests/rootfs.sh's steps): mount points, the static true, and
# busybox-static as /bin/sh for poking around by hand (brig run FILE --
# /bin/sh).
# shellcheck source=tests/rootfs.sh
ROOTFS_LIB=1 . "$top/tests/rootfs.sh"
rootfs_dirs "$root" bin etc proc dev tmp mnt data
cp -f "$out/true" "$root/bin/true"
if [ -x /bin/busybox ] && [ ! -x "$root/bin/busybox" ]; then
	rootfs_busybox "$root" /bin/busybox true
fi
printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"

# The two binds: small host directories.
mkdir -p "$out/bind-a" "$out/bind-b"
echo a >"$out/bind-a/file"
echo b >"$out/bind-b/file"

# The jail file; its name makes the hostname and the cgroup "bench".
ini=$out/bench.ini
cat >"$ini" <<EOF
# brig run benchmark jail: every default, the bench root, two binds.
[jail]
exec = /bin/true
root = $root

[mounts]
bind = $out/bind-a:/mnt
bind = $out/bind-b:/data
EOF

c_base="$out/true"
c_floor="$out/floor $cgroot $root $out/bind-a:/mnt $out/bind-b:/data -- /bin/true"
c_brig="$brig run --cgroup-root $cgroot $ini"
c_bwrap="bwrap --unshare-pid --unshare-uts --unshare-ipc --unshare-cgroup --hostname bench"
c_bwrap="$c_bwrap --ro-bind $root / --proc /proc --dev /dev --tmpfs /tmp"
c_bwrap="$c_bwrap --ro-bind $out/bind-a /mnt --ro-bind $out/bind-b /data"
c_bwrap="$c_bwrap --cap-drop ALL --die-with-parent /bin/true"
c_unshare="unshare --pid --fork --mount --uts --ipc --cgroup chroot $root /bin/true"

# --- one run of each, so a broken contender is named, not timed ------------
have_brig=1
for name in baseline floor brig bwrap unshare+chroot; do
	case $name in
	baseline) cmd=$c_base ;;
	floor) cmd=$c_floor ;;
	brig) cmd=$c_brig ;;
	bwrap) cmd=$c_bwrap ;;
	*) cmd=$c_unshare ;;
	esac
	# shellcheck disable=SC2086 # the command is a word list on purpose
	if ! msg=$($cmd 2>&1); then
		[ "$name" = brig ] || die "$name failed: $msg"
		say "jail-start: brig run is not usable yet, left out: $msg"
		have_brig=0
	fi
done
if [ "$have_brig" = 1 ] && [ -d "$cgroot/bench" ]; then
	say "jail-start: note: brig run left its cgroup $cgroot/bench behind"
fi

# --- hyperfine: one invocation, every contender ----------------------------
set -- -N --style basic --warmup "$warmup" --runs "$runs" \
	--export-json "$out/jail-start.json" --export-markdown "$out/jail-start.md" \
	-n baseline "$c_base" -n floor "$c_floor"
[ "$have_brig" = 1 ] && set -- "$@" -n brig "$c_brig"
set -- "$@" -n bwrap "$c_bwrap" -n unshare+chroot "$c_unshare"
load=$(cut -d' ' -f1-3 /proc/loadavg)
say "== hyperfine ($runs runs, $warmup warmup each; load average $load)"
hyperfine "$@"

# Median, minimum and mean CPU time (user + system of the whole process
# tree) in microseconds, from hyperfine's JSON ("command" is the -n name).
# On a busy machine the minimum and the CPU time move least; the ratios
# are of the medians, then of the CPU times.
medians=$out/medians.txt
awk -F'[:,]' '
	/"command":/ { gsub(/[" ]/, "", $2); name = $2 }
	/"median":/ { med = $2 }
	/"user":/ { usr = $2 }
	/"system":/ { sys = $2 }
	/"min":/ { printf "%s %.0f %.0f %.0f\n", name, med * 1e6, $2 * 1e6, (usr + sys) * 1e6 }
' "$out/jail-start.json" >"$medians"

med() { awk -v n="$1" '$1 == n { print $2 }' "$medians"; }
cpu() { awk -v n="$1" '$1 == n { print $4 }' "$medians"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r != "-" && r + 0 <= g + 0) ? "(met)" : "(missed)" }'; }

say ""
say "== medians (load average at start: $load)"
printf '  %-16s %9s %9s %9s\n' "" median min cpu
while read -r name us min cpu; do
	printf '  %-16s %6d us %6d us %6d us\n' "$name" "$us" "$min" "$cpu"
done <"$medians"

base=$(med baseline)
floor=$(med floor)
if [ "$have_brig" = 1 ]; then
	b=$(med brig)
	say ""
	say "== ratios             median    cpu"
	r=$(ratio "$b" "$(med bwrap)")
	printf '  brig/bwrap           %6s %6s   goal <= 0.50 %s\n' "$r" \
		"$(ratio "$(cpu brig)" "$(cpu bwrap)")" "$(verdict "$r" 0.50)"
	r=$(ratio "$b" "$floor")
	printf '  brig/floor           %6s %6s   goal <= 1.30 %s\n' "$r" \
		"$(ratio "$(cpu brig)" "$(cpu floor)")" "$(verdict "$r" 1.30)"
	printf '  brig/unshare+chroot  %6s %6s\n' "$(ratio "$b" "$(med unshare+chroot)")" \
		"$(ratio "$(cpu brig)" "$(cpu unshare+chroot)")"
	# The same with the fork+exec of true taken off both sides: the price
	# of the jail alone.
	printf '  jail overhead brig/floor (minus baseline) %s\n' \
		"$(ratio "$((b - base))" "$((floor - base))")"
fi

# --- perf stat, where perf works: CPU time and page faults of each tree ----
# Faults and process creation are what a virtual machine makes dear, so
# these two numbers often explain a gap that the syscall counts do not.
if command -v perf >/dev/null 2>&1 && perf stat -e page-faults true >/dev/null 2>&1; then
	say ""
	say "== perf stat -r 50 (whole process tree)"
	for name in baseline floor brig; do
		case $name in
		baseline) cmd=$c_base ;;
		floor) cmd=$c_floor ;;
		*) [ "$have_brig" = 1 ] || continue; cmd=$c_brig ;;
		esac
		# shellcheck disable=SC2086
		perf stat -x, -r 50 -e task-clock,page-faults $cmd 2>&1 >/dev/null | awk -F, -v n="$name" '
			$3 == "task-clock" { t = $1 } $3 == "page-faults" { f = $1 }
			END { printf "  %-16s %8.0f us cpu %6d page faults\n", n, t * 1000, f }'
	done
fi

# --- strace: where the time goes, brig next to the floor ------------------
say ""
say "== strace -c -f (one run each; full tables in $out/strace-*.txt)"
# shellcheck disable=SC2086
strace -f -c -S calls -o "$out/strace-floor.txt" $c_floor
# shellcheck disable=SC2086
strace -f -tt -T -o "$out/strace-floor-T.txt" $c_floor
if [ "$have_brig" = 1 ]; then
	# shellcheck disable=SC2086
	strace -f -c -S calls -o "$out/strace-brig.txt" $c_brig
	# shellcheck disable=SC2086
	strace -f -tt -T -o "$out/strace-brig-T.txt" $c_brig
else
	: >"$out/strace-brig.txt"
fi
# One row a system call: calls by the floor, calls by brig, and brig's
# summed time in it (strace's own clock, so inflated; for ranking only).
awk '
	FNR == 1 { f++ }
	$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" {
		s = $NF
		if (f == 1) fl[s] = $4
		else { br[s] = $4; bt[s] = $2 }
		seen[s] = 1
	}
	END {
		for (s in seen)
			printf "  %-18s %6d %6d %10s\n", s, fl[s], br[s], (s in bt) ? bt[s] : "-"
	}
' "$out/strace-floor.txt" "$out/strace-brig.txt" | sort -k3,3nr -k2,2nr >"$out/strace-join.txt"
printf '  %-18s %6s %6s %10s\n' syscall floor brig "brig s"
cat "$out/strace-join.txt"
awk '{ f += $2; b += $3 } END { printf "  %-18s %6d %6d\n", "TOTAL", f, b }' "$out/strace-join.txt"
say ""
say "results: $out/jail-start.md $out/jail-start.json $out/strace-*.txt"
