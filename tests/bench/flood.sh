#!/bin/sh
# What a jail's output costs the supervisor (issue 13 item 4): a jail runs
# `yes` (busybox, full speed, into its stdout pipe) for BENCH_SECONDS [5]
# under `brig supervise` with the echo on (log = buffer, console to
# /dev/null); the supervisor's on-CPU time (/proc/PID/schedstat) over the
# jail cgroup's (cpu.stat usage_usec, kept without the cpu controller).
# Then a `ready = fd:3` flood without a newline (brig closes the fd after
# 4 KiB: the writer gets EPIPE and the jail restarts; a jail CPU of 0 means
# the jail was between runs at a sample). Medians of 3 runs. BRIG overrides
# the binary (to measure another build).
# Figures only: exits 0 whatever they are. Needs root and cgroup2.
# Usage: tests/bench/flood.sh [BUILD_DIR]
set -eu
build=$(cd "${1:-build}" && pwd)
secs=${BENCH_SECONDS:-5}
cg2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$cg2" ] || { echo "flood-bench: no cgroup2" >&2; exit 1; }
tmp=$(mktemp -d)
cgroot=$cg2/brig-flood-$$
trap 'rmdir "$cgroot"/* "$cgroot" 2>/dev/null; rm -rf "$tmp"' EXIT

# run KIND: one measurement; prints "SUP_NS JAIL_NS".
run() {
	rm -rf "$tmp/c" && mkdir -p "$tmp/c/jails" "$tmp/c/state"
	if [ "$1" = stdout ]; then
		printf '[jail]\nroot = %s\nexec = /bin/yes flood-line-of-some-length\n' \
			"$build/rootfs" >"$tmp/c/jails/fl.ini"
	else
		printf '[jail]\nroot = %s\nready = fd:3\nready_timeout = 1h\nexec = /bin/sh -c "yes x | tr -d \\"\\\\n\\" >&3"\n' \
			"$build/rootfs" >"$tmp/c/jails/fl.ini"
	fi
	"${BRIG:-$build/brig}" supervise --config-dir "$tmp/c" --socket "$tmp/c/s" --cgroup-root "$cgroot" \
		--state-dir "$tmp/c/state" >/dev/null 2>&1 </dev/null &
	sup=$!
	sleep 1
	s0=$(cut -d' ' -f1 /proc/$sup/schedstat)
	j0=$(sed -n 's/^usage_usec //p' "$cgroot/fl/cpu.stat" 2>/dev/null || echo 0)
	sleep "$secs"
	s1=$(cut -d' ' -f1 /proc/$sup/schedstat)
	j1=$(sed -n 's/^usage_usec //p' "$cgroot/fl/cpu.stat" 2>/dev/null || echo 0)
	kill -TERM $sup
	wait $sup || true
	echo "$((s1 - s0)) $(((j1 - j0) * 1000))"
}

for kind in stdout readyfd; do
	for i in 1 2 3; do run $kind; done | awk '{ printf "%.3f %d %d\n", $2 ? $1 / $2 : 0, $1 / 1e6, $2 / 1e6 }' |
		sort -n | awk -v k="$kind" '{ r[NR] = $0 } END { split(r[2], m, " ")
			printf "%s flood: supervisor/jail CPU median %s (supervisor %s ms, jail %s ms; runs: %s | %s | %s)\n",
				k, m[1], m[2], m[3], r[1], r[2], r[3] }'
done
