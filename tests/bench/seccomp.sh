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
# BUILD/bench/: seccomp-start.json and seccomp-loop.json (hyperfine).
# Needs root and a cgroup2 mount (BENCH_CGROUP2 overrides the search); the
# bench cgroups live under CGROUP2/brig-bench-sc-PID, removed on exit.
# BENCH_RUNS [200], BENCH_WARMUP [20], BENCH_CALLS [2000000].
# Usage: tests/bench/seccomp.sh [BUILD_DIR]
set -eu
build=${1:-build}
build=$(cd "$build" && pwd)
out=$build/bench
brig=$build/brig
runs=${BENCH_RUNS:-200}
warmup=${BENCH_WARMUP:-20}
calls=${BENCH_CALLS:-2000000}

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

# Median in microseconds of command NAME in hyperfine's JSON.
median() {
	awk -F'[:,]' -v want="$2" '
		/"command":/ { gsub(/[" ]/, "", $2); name = $2 }
		/"median":/ { if (name == want) printf "%.0f\n", $2 * 1e6 }' "$1"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
say "== jail start, $runs runs (load average $load)"
hyperfine -N -w "$warmup" -r "$runs" --export-json "$out/seccomp-start.json" \
	-n filter "$run $out/sc-filter.ini" -n none "$run $out/sc-none.ini"

say ""
say "== $calls getppid calls in a jail, $((runs / 10)) runs"
hyperfine -N -w 3 -r $((runs / 10)) --export-json "$out/seccomp-loop.json" \
	-n filter "$run $out/sc-filter.ini -- /bin/probe sc loop $calls" \
	-n none "$run $out/sc-none.ini -- /bin/probe sc loop $calls"

f=$(median "$out/seccomp-start.json" filter)
n=$(median "$out/seccomp-start.json" none)
lf=$(median "$out/seccomp-loop.json" filter)
ln=$(median "$out/seccomp-loop.json" none)
say ""
say "== medians"
awk -v f="$f" -v n="$n" 'BEGIN {
	d = (f - n) / 1000
	printf "  jail start: filter %d us, none %d us: %+.3f ms  goal <= +0.1 ms %s\n",
		f, n, d, d <= 0.1 ? "(met)" : "(missed)" }'
awk -v f="$lf" -v n="$ln" -v c="$calls" 'BEGIN {
	r = f / n
	printf "  getppid loop: filter %d us, none %d us: %.3fx (%.1f ns a call)  goal <= 1.05x %s\n",
		f, n, r, (f - n) * 1000 / c, r <= 1.05 ? "(met)" : "(missed)" }'
