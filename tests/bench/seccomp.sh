#!/bin/sh
# What the seccomp filter costs: the start of a default jail with brig's
# default filter against the same jail with `seccomp = none` (goal: at most
# +0.1 ms on the median), and a syscall-heavy service (N getppid calls in
# a loop) inside a jail with and without the filter (goal: at most 1.05x).
# getppid is not in the deny list, so from Linux 5.11 the kernel caches its
# verdict and runs no filter for it. Figures only, never a test: it prints
# medians and the differences with their goals and exits 0 whatever they are.
#
# The jails run /bin/probe of BUILD/rootfs (static, libc only). Writes into
# BUILD/bench/: seccomp-start.json (hyperfine) and seccomp-loop-*.txt (the
# CPU time of each loop in ns).
# Needs root and a cgroup2 mount (BENCH_CGROUP2 overrides the search); the
# bench cgroups live under CGROUP2/brig-bench-sc-PID, removed on exit.
# BENCH_RUNS [200] and BENCH_WARMUP [20] for the start, BENCH_CALLS
# [1000000] and BENCH_REPS [21] for the loop.
# Usage: tests/bench/seccomp.sh [BUILD_DIR]
set -eu
build=${1:-build}
build=$(cd "$build" && pwd)
out=$build/bench
brig=$build/brig
runs=${BENCH_RUNS:-200}
warmup=${BENCH_WARMUP:-20}
calls=${BENCH_CALLS:-1000000}
reps=${BENCH_REPS:-21}

say() { printf '%s\n' "$*"; }
die() { printf 'seccomp bench: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (namespaces, mounts, cgroups)"
command -v hyperfine >/dev/null 2>&1 || die "hyperfine missing (tests/deps.sh)"
[ -x "$brig" ] || die "$brig is not built (make)"
[ -x "$build/rootfs/bin/probe" ] || die "no test root (make rootfs)"

cg2=${BENCH_CGROUP2:-$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break
	if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)}
if [ -z "$cg2" ] || [ ! -f "$cg2/cgroup.procs" ]; then
	die "no cgroup2 mount found (set BENCH_CGROUP2)"
fi
cgroot=$cg2/brig-bench-sc-$$
cleanup() {
	[ -d "$cgroot" ] && find "$cgroot" -depth -type d -exec rmdir {} \; 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$cgroot" "$out"

# Two jail files that differ in the filter alone.
for f in filter none; do
	{
		printf '[jail]\nroot = %s\nexec = /bin/probe exit 0\n' "$build/rootfs"
		[ $f = filter ] || printf '\n[security]\nseccomp = none\n'
	} >"$out/sc-$f.ini"
done
run="$brig run --cgroup-root $cgroot"

# Median in microseconds of command NAME in hyperfine's JSON; with a third
# argument, the mean CPU time (user + system of the whole tree) instead.
median() {
	awk -F'[:,]' -v want="$2" -v cpu="${3:-}" '
		/"command":/ { gsub(/[" ]/, "", $2); name = $2 }
		/"median":/ { med = $2 }
		/"user":/ { usr = $2 }
		/"system":/ { if (name == want) printf "%.0f\n", (cpu ? usr + $2 : med) * 1e6 }' "$1"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
say "== jail start, $runs runs (load average $load)"
hyperfine -N -w "$warmup" -r "$runs" --export-json "$out/seccomp-start.json" \
	-n filter "$run $out/sc-filter.ini" -n none "$run $out/sc-none.ini"

say ""
say "== $calls getppid calls in a jail, $reps runs of each, alternating"
# The probe measures the loop's CPU time itself: a jail's start and a busy
# machine's waits stay out of the figure.
: >"$out/seccomp-loop-filter.txt"
: >"$out/seccomp-loop-none.txt"
i=0
while [ $i -lt "$reps" ]; do
	for f in filter none; do
		$run "$out/sc-$f.ini" -- /bin/probe sc loop "$calls" |
			sed -n 's/^sc loop //p' >>"$out/seccomp-loop-$f.txt"
	done
	i=$((i + 1))
done
mid() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
lf=$(mid "$out/seccomp-loop-filter.txt")
ln=$(mid "$out/seccomp-loop-none.txt")
# The fastest run of each: what waiting and a neighbour's cache misses only add to.
mf=$(sort -n "$out/seccomp-loop-filter.txt" | head -n 1)
mn=$(sort -n "$out/seccomp-loop-none.txt" | head -n 1)

# The kernel's own floor: installing a one-instruction filter (it compiles
# every filter to native code). A jail installs two: its service's and its
# jail init's.
: >"$out/seccomp-install.txt"
i=0
while [ $i -lt "$reps" ]; do
	"$build/rootfs/bin/probe" sc install | sed -n 's/^sc install //p' >>"$out/seccomp-install.txt"
	i=$((i + 1))
done
inst=$(mid "$out/seccomp-install.txt")

f=$(median "$out/seccomp-start.json" filter)
n=$(median "$out/seccomp-start.json" none)
say ""
say "== medians"
awk -v f="$f" -v n="$n" 'BEGIN {
	d = (f - n) / 1000
	printf "  jail start: filter %d us, none %d us: %+.3f ms  goal <= +0.1 ms %s\n",
		f, n, d, d <= 0.1 ? "(met)" : "(missed)" }'
awk -v i="$inst" 'BEGIN {
	printf "  one filter install (a one-instruction filter, outside any jail): %.3f ms\n", i / 1e6 }'
awk -v f="$(median "$out/seccomp-start.json" filter cpu)" \
	-v n="$(median "$out/seccomp-start.json" none cpu)" 'BEGIN {
	printf "  jail start, CPU time: filter %d us, none %d us: %+.3f ms\n", f, n, (f - n) / 1000 }'
awk -v f="$lf" -v n="$ln" -v c="$calls" 'BEGIN {
	r = f / n
	printf "  getppid loop (CPU time): filter %.1f ns, none %.1f ns a call: %.3fx  goal <= 1.05x %s\n",
		f / c, n / c, r, r <= 1.05 ? "(met)" : "(missed)" }'
awk -v f="$mf" -v n="$mn" -v c="$calls" 'BEGIN {
	printf "  fastest runs:            filter %.1f ns, none %.1f ns a call: %.3fx\n",
		f / c, n / c, f / n }'
