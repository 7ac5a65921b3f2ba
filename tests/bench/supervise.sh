#!/bin/sh
# The supervisor's figures next to Debian's s6 (s6-svscan + s6-supervise)
# and runit (runsvdir + runsv), each supervising the same services. Figures
# only, never a test: it prints medians and ratios with brig's goals and
# exits 0 whatever they are (non-zero only when it cannot measure).
#
#  1. Memory: RSS and PSS (/proc/PID/smaps_rollup) summed over the
#     supervising processes with 1, 32 and 256 idle `sleep` services:
#     brig: the supervisor and every jail init (its direct children);
#     s6: s6-svscan and every s6-supervise; runit: runsvdir and every runsv.
#     The services themselves are left out. Goals for brig: the supervisor
#     under 200 KiB PSS, each jail (jail init included) under 50 KiB PSS.
#     Also the kernel's side, roughly: Slab + KernelStack + PageTables +
#     Percpu from /proc/meminfo before and after the 256 services came up,
#     per service (the service's own kernel memory included).
#  2. Restart latency: one service that appends a CLOCK_MONOTONIC stamp to
#     ./starts and exits 1 at once (BUILD/bench/supervise/stamp, static), brig
#     with `delay = 0` and `interval = 0`: the median gap between two
#     consecutive starts (crash to next exec, the stamp's own few
#     microseconds included) and the restarts per second sustained. s6 and
#     runit hold a crashing service back to one start a second.
#  3. Event cost: CPU time (on-CPU ns from /proc/PID/schedstat) of the
#     supervising processes per restart, with the crash-looping service and
#     9 idle ones, then 249 idle ones (brig's limit is 256 jail files; 1000
#     is tried with `brig check` first), and for s6 and runit also 999.
#     Goal for brig: the large-N cost at most 1.3 times the 10-jail cost.
#     Also the whole tree's CPU per restart (utime + stime + cutime + cstime
#     from /proc/PID/stat, clock ticks: the jail init and the service).
#
# The same binaries everywhere: BUILD/rootfs/bin/sleep (toybox) idles, the
# stamp crashes. brig's jails are the defaults (pid, mount, uts, ipc and
# cgroup namespaces, a cgroup each, root BUILD/rootfs read-only) with
# `log = quiet`; s6 and runit run the same commands with no isolation.
#
# Raw data goes to BUILD/bench/supervise/: mem-*.txt (one line a process),
# smaps-*.txt (the supervisor at each N; at 256 the first per-service
# process and the one with the most PSS),
# starts-*.txt (the stamps), cpu-*.txt (the samples), console-*.log,
# summary.txt (the tables below). Config and scan dirs live in a temporary
# dir, removed at exit; the cgroups under CGROUP2/brig-bench-PID too.
#
# Needs root, a cgroup2 mount (/sys/fs/cgroup/unified, else the first
# cgroup2 in /proc/self/mountinfo; BENCH_CGROUP2 overrides), s6 and runit.
# BENCH_SECONDS [5]: length of each restart measurement.
# Usage: tests/bench/supervise.sh [BUILD_DIR]
set -eu
build=${1:-build}
mkdir -p "$build"
build=$(cd "$build" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$build/bench/supervise
rootfs=$build/rootfs
secs=${BENCH_SECONDS:-5}

say() { printf '%s\n' "$*"; }
die() { printf 'supervise-bench: %s\n' "$*" >&2; exit 1; }
note() { printf 'supervise-bench: %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || die "needs root (namespaces, mounts, cgroups)"
for t in s6-svscan s6-supervise runsvdir runsv musl-gcc; do
	command -v "$t" >/dev/null 2>&1 || { sh "$top/tests/deps.sh" "$build"; break; }
done
for t in s6-svscan s6-supervise runsvdir runsv musl-gcc ps; do
	command -v "$t" >/dev/null 2>&1 || die "$t missing after tests/deps.sh"
done
[ -x "$build/brig" ] || make -C "$top" BUILD="$build" "$build/brig" >/dev/null
[ -x "$rootfs/bin/sleep" ] || make -C "$top" BUILD="$build" rootfs >/dev/null
[ -x "$rootfs/bin/sleep" ] || die "no $rootfs/bin/sleep (make rootfs)"

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

work=
SUP=          # the running supervisor's pid
KIND=         # brig, s6 or runit
TREE=         # "pid:comm" of every process of its tree, for the last resort

# --- processes -------------------------------------------------------------
# alive PID: exists and is not a zombie.
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# snapshot: "pid ppid comm" of every process, once.
snapshot() { ps -e -o pid=,ppid=,comm=; }

# kids PID COMM: the direct children of PID named COMM.
kids() {
	snapshot | awk -v p="$1" -v c="$2" '$2 == p && $3 == c { print $1 }'
}

# grandkids PID COMM: how many grandchildren of PID are named COMM.
grandkids() {
	snapshot | awk -v p="$1" -v c="$2" '
		{ pp[$1] = $2; cm[$1] = $3 }
		END { for (x in pp) if (cm[x] == c && pp[pp[x]] == p) n++; print n + 0 }'
}

# tree PID: "pid:comm" of PID and every descendant.
tree() {
	snapshot | awk -v p="$1" '
		{ pp[$1] = $2; cm[$1] = $3 }
		END {
			for (x in pp) {
				y = x
				for (d = 0; d < 8 && y != p && y in pp; d++) y = pp[y]
				if (y == p) printf "%s:%s ", x, cm[x]
			}
		}'
}

# The per-service process of each kind, its supervisor's name, the signal
# that stops the whole tree.
percomm() { case $1 in brig) echo brig ;; s6) echo s6-supervise ;; *) echo runsv ;; esac; }
stopsig() { case $1 in runit) echo HUP ;; *) echo TERM ;; esac; }

# --- the three contenders: set up, start, stop ------------------------------
# setup KIND DIR IDLE CRASH: IDLE idle services s001..., and with CRASH=1
# the crash-looping one, `crash`, whose stamps land in DIR/x/starts (brig)
# or DIR/scan/crash/starts (s6, runit).
setup() {
	_kind=$1 _dir=$2 _idle=$3 _crash=$4
	rm -rf "$_dir"
	mkdir -p "$_dir"
	case $_kind in
	brig)
		mkdir -p "$_dir/conf/jails" "$_dir/state" "$_dir/x"
		_i=1
		while [ "$_i" -le "$_idle" ]; do
			printf '[jail]\nroot = %s\nexec = /bin/sleep 100000\nlog = quiet\n' \
				"$rootfs" >"$_dir/conf/jails/$(printf 's%04d' "$_i").ini"
			_i=$((_i + 1))
		done
		if [ "$_crash" = 1 ]; then
			cp "$out/stamp" "$_dir/x/stamp"
			cat >"$_dir/conf/jails/crash.ini" <<-EOF
			[jail]
			root = $rootfs
			exec = /tmp/x/stamp
			workdir = /tmp/x
			log = quiet
			[mounts]
			bind = $_dir/x:/tmp/x:rw
			[restart]
			delay = 0
			interval = 0
			EOF
		fi
		;;
	*)
		mkdir -p "$_dir/scan"
		_i=1
		while [ "$_i" -le "$_idle" ]; do
			_s=$_dir/scan/$(printf 's%04d' "$_i")
			mkdir "$_s"
			printf '#!/bin/sh\nexec %s 100000\n' "$rootfs/bin/sleep" >"$_s/run"
			chmod 755 "$_s/run"
			_i=$((_i + 1))
		done
		if [ "$_crash" = 1 ]; then
			mkdir "$_dir/scan/crash"
			cp "$out/stamp" "$_dir/scan/crash/run"
		fi
		;;
	esac
}

starts_file() {
	case $1 in brig) echo "$2/x/starts" ;; *) echo "$2/scan/crash/starts" ;; esac
}

# start KIND DIR: run the supervisor in the background; sets SUP.
start() {
	KIND=$1
	case $1 in
	brig)
		mkdir -p "$cgroot"
		"$out/brig" supervise --config-dir "$2/conf" --socket "$2/control.sock" \
			--cgroup-root "$cgroot" --state-dir "$2/state" >"$2/console.log" 2>&1 </dev/null &
		;;
	s6) s6-svscan -c 4096 "$2/scan" >"$2/console.log" 2>&1 </dev/null & ;;
	*) runsvdir "$2/scan" >"$2/console.log" 2>&1 </dev/null & ;;
	esac
	SUP=$!
}

# wait_up IDLE SECONDS: until IDLE sleeps run under the supervisor's
# per-service processes; 1 if time ran out.
wait_up() {
	_end=$(($(date +%s) + $2))
	while [ "$(grandkids "$SUP" sleep)" -lt "$1" ]; do
		alive "$SUP" || { note "$KIND exited while starting"; return 1; }
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.2
	done
}

# stop: the supervisor's own way down, bounded; then, if anything of its
# tree is left, SIGKILL to those pids (checked by name), and our cgroups.
stop() {
	[ -n "$SUP" ] || return 0
	TREE=$(tree "$SUP")
	kill -s "$(stopsig "$KIND")" "$SUP" 2>/dev/null || true
	_n=0
	while alive "$SUP" && [ "$_n" -lt 300 ]; do
		sleep 0.2
		_n=$((_n + 1))
	done
	if alive "$SUP"; then
		note "$KIND ($SUP) ignored SIG$(stopsig "$KIND") for 60 s; killing its tree"
		kill -KILL "$SUP" 2>/dev/null || true
	fi
	wait "$SUP" 2>/dev/null || true
	# runsvdir exits at once; its runsv take their services down after it.
	_n=0
	while [ "$_n" -lt 100 ]; do
		_left=
		for _pc in $TREE; do
			_p=${_pc%%:*}
			if alive "$_p" && [ "$(cat "/proc/$_p/comm" 2>/dev/null)" = "${_pc#*:}" ]; then
				_left="$_left $_p"
			fi
		done
		[ -n "$_left" ] || break
		# shellcheck disable=SC2086 # a pid list
		[ "$_n" -lt 75 ] || kill -KILL $_left 2>/dev/null || true
		sleep 0.2
		_n=$((_n + 1))
	done
	[ -z "$_left" ] || note "left running after SIGKILL:$_left"
	SUP=
	TREE=
	if [ -d "$cgroot" ]; then
		find "$cgroot" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null || true
	fi
	sleep 1  # let the kernel finish tearing namespaces down
}

cleanup() {
	rc=$?
	stop
	if [ -d "$cgroot" ]; then
		find "$cgroot" -depth -type d -exec rmdir {} \; 2>/dev/null || true
		if [ -d "$cgroot" ]; then note "$cgroot left behind (not empty)"; fi
	fi
	if [ -n "$work" ]; then rm -rf "$work"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- small statistics ---------------------------------------------------------
# median, p90 of stdin's numbers
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }'; }
p90() { sort -n | awk '{ a[NR] = $1 } END { i = int(NR * 0.9 + 0.5); if (i < 1) i = 1; if (NR) print a[i]; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else print "-" }'; }
verdict() { awk -v x="$1" -v g="$2" 'BEGIN { if (x == "-") print "(no figure)"; else print (x + 0 <= g + 0) ? "(met)" : "(missed)" }'; }

# kernel_kib: Slab + KernelStack + PageTables + Percpu, KiB.
kernel_kib() {
	awk '$1 == "Slab:" || $1 == "KernelStack:" || $1 == "PageTables:" || $1 == "Percpu:" { s += $2 }
		END { print s + 0 }' /proc/meminfo
}

# cpu_ns PID...: on-CPU time of the processes, ns (schedstat's first field).
cpu_ns() {
	_f=
	for _p in "$@"; do _f="$_f /proc/$_p/schedstat"; done
	# shellcheck disable=SC2086 # a file list
	cat $_f 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# ticks PID...: utime + stime + cutime + cstime, clock ticks.
ticks() {
	_f=
	for _p in "$@"; do _f="$_f /proc/$_p/stat"; done
	# shellcheck disable=SC2086 # a file list
	cat $_f 2>/dev/null | sed 's/.*) //' | awk '{ s += $12 + $13 + $14 + $15 } END { print s + 0 }'
}

wall() { awk '{ print $1 }' /proc/uptime; }
t0=$(wall)
phase() { note "[$(awk -v t="$t0" '{ printf "%4.0f s", $1 - t }' /proc/uptime)] $*"; }

lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# --- the crash-looping service: a static stamp -------------------------------
mkdir -p "$out"
rm -f "$out"/mem-*.txt "$out"/smaps-*.txt "$out"/starts-*.txt "$out"/cpu-*.txt \
	"$out"/console-*.log "$out"/summary.txt
cat >"$out/stamp.c" <<'EOF'
/* A crash-looping bench service: append the CLOCK_MONOTONIC time of its
 * start, in ns, to ./starts, then exit 1. (s6-supervise gives ./run the
 * service's name as argv[1]; it is ignored.) */
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	struct timespec ts;
	char line[32];
	int fd, n;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	fd = open("starts", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	n = snprintf(line, sizeof line, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	if (fd < 0 || write(fd, line, (size_t)n) != n)
		return 2;
	return 1;
}
EOF
musl-gcc -static -Os -s -Wall -Wextra -Werror -o "$out/stamp" "$out/stamp.c"
# A copy, so that a rebuild during the run cannot swap the binary.
cp -f "$build/brig" "$out/brig"
work=$(mktemp -d /tmp/brig-bench-supervise.XXXXXX)

load=$(cut -d' ' -f1-3 /proc/loadavg)
say "== brig supervise vs s6 $(dpkg-query -W -f '${Version}' s6 2>/dev/null) and runit $(dpkg-query -W -f '${Version}' runit 2>/dev/null); $(nproc) CPUs, load $load"
say "   brig $("$out/brig" version 2>/dev/null | head -n 1), $(stat -c %s "$out/brig") bytes"

# --- 1. memory -----------------------------------------------------------------
# mem.txt lines: KIND N RSS PSS SUPRSS SUPPSS KERNEL_DELTA
memtab=$out/mem.txt
: >"$memtab"
for kind in brig s6 runit; do
	for n in 1 32 256; do
		d=$work/mem-$kind-$n
		phase "memory: $kind, $n services"
		setup "$kind" "$d" "$n" 0
		k0=$(kernel_kib)
		start "$kind" "$d"
		if ! wait_up "$n" 120; then
			note "memory: $kind did not bring up $n services in 120 s"
			cp "$d/console.log" "$out/console-mem-$kind-$n.log" 2>/dev/null || true
			stop
			continue
		fi
		sleep 1
		k1=$(kernel_kib)
		pids="$SUP $(kids "$SUP" "$(percomm "$kind")")"
		raw=$out/mem-$kind-$n.txt
		for p in $pids; do
			awk -v p="$p" -v c="$(cat "/proc/$p/comm")" '
				/^Rss:/ { r = $2 } /^Pss:/ { s = $2 }
				END { print p, c, r, s }' "/proc/$p/smaps_rollup"
		done >"$raw"
		cp "/proc/$SUP/smaps" "$out/smaps-$kind-supervisor-$n.txt"
		if [ "$n" = 256 ]; then
			# The first per-service process, and the one with the most PSS.
			one=$(awk 'NR == 2 { print $1 }' "$raw")
			[ -z "$one" ] || cp "/proc/$one/smaps" "$out/smaps-$kind-per-service.txt"
			one=$(awk 'NR > 1 && $4 > m { m = $4; p = $1 } END { print p }' "$raw")
			[ -z "$one" ] || cp "/proc/$one/smaps" "$out/smaps-$kind-per-service-max.txt"
		fi
		awk -v k="$kind" -v n="$n" -v kd="$((k1 - k0))" '
			{ r += $3; s += $4 } NR == 1 { sr = $3; sp = $4 }
			END { print k, n, r, s, sr, sp, kd }' "$raw" >>"$memtab"
		# brig's jail inits are forks of the supervisor that never exec:
		# each keeps the supervisor's pages as they were at its fork. So
		# once more at 256 after `brig restart` of every jail, one at a
		# time, as a long uptime would have it. (s6-supervise and runsv
		# stay the same processes when their service restarts.)
		if [ "$kind" = brig ] && [ "$n" = 256 ]; then
			phase "memory: brig, 256 jails, after restarting each once"
			for j in "$d"/conf/jails/*.ini; do
				j=${j##*/}
				"$out/brig" --socket "$d/control.sock" restart "${j%.ini}" >/dev/null 2>&1 ||
					note "brig restart ${j%.ini} failed"
			done
			if wait_up "$n" 120; then
				sleep 1
				raw=$out/mem-$kind-${n}r.txt
				for p in $SUP $(kids "$SUP" brig); do
					awk -v p="$p" -v c="$(cat "/proc/$p/comm")" '
						/^Rss:/ { r = $2 } /^Pss:/ { s = $2 }
						END { print p, c, r, s }' "/proc/$p/smaps_rollup"
				done >"$raw"
				cp "/proc/$SUP/smaps" "$out/smaps-$kind-supervisor-${n}r.txt"
				one=$(awk 'NR > 1 && $4 > m { m = $4; p = $1 } END { print p }' "$raw")
				[ -z "$one" ] || cp "/proc/$one/smaps" "$out/smaps-$kind-per-service-${n}r-max.txt"
				awk -v k="$kind" -v n="${n}r" '
					{ r += $3; s += $4 } NR == 1 { sr = $3; sp = $4 }
					END { print k, n, r, s, sr, sp, "-" }' "$raw" >>"$memtab"
			else
				note "memory: brig did not bring the 256 jails back up in 120 s"
			fi
		fi
		cp "$d/console.log" "$out/console-mem-$kind-$n.log"
		stop
	done
done

# --- 2. restart latency ------------------------------------------------------
# lat.txt lines: KIND STARTS MEDIAN_US P90_US RATE
lattab=$out/lat.txt
: >"$lattab"
for kind in brig s6 runit; do
	d=$work/lat-$kind
	phase "restart latency: $kind"
	setup "$kind" "$d" 0 1
	f=$(starts_file "$kind" "$d")
	start "$kind" "$d"
	case $kind in brig) w=$secs ;; *) w=$((secs + 2)) ;; esac
	sleep "$w"
	cp "$f" "$out/starts-$kind.txt" 2>/dev/null || : >"$out/starts-$kind.txt"
	cp "$d/console.log" "$out/console-lat-$kind.log"
	stop
	s=$out/starts-$kind.txt
	awk 'NR > 1 { print ($1 - p) / 1000 } { p = $1 }' "$s" >"$out/gaps-$kind.txt"
	awk -v k="$kind" -v m="$(median <"$out/gaps-$kind.txt")" -v q="$(p90 <"$out/gaps-$kind.txt")" '
		NR == 1 { f = $1 } { l = $1 }
		END { r = (NR > 1 && l > f) ? (NR - 1) / ((l - f) / 1e9) : 0
		      printf "%s %d %s %s %.1f\n", k, NR, m, q, r }' "$s" >>"$lattab"
done

# --- 3. event cost --------------------------------------------------------------
# brig takes at most 256 jail files (CFG_MAX_JAILS): ask `brig check` about
# 1000 first, and fall back to 250 when it says no.
chk=$work/check-1000
setup brig "$chk" 999 1
if "$out/brig" check "$chk/conf" >"$out/check-1000.txt" 2>&1; then
	brig_big=1000
else
	brig_big=250
	say "   event cost: brig refuses 1000 jail files ($(grep -m1 error "$out/check-1000.txt" | sed 's/.*error: //')); brig runs 250 (249 idle + 1), s6 and runit run 250 and 1000"
fi
rm -rf "$chk"

# evt.txt lines: KIND N RESTARTS RATE CPU_US_PER_RESTART(median of windows)
#                CPU_US_PER_RESTART(whole span) TREE_US_PER_RESTART
evttab=$out/evt.txt
: >"$evttab"
hz=$(getconf CLK_TCK)
for kind in brig s6 runit; do
	case $kind in
	brig) sizes="10 $brig_big" ;;
	*) sizes="10 250 1000" ;;
	esac
	for n in $sizes; do
		d=$work/evt-$kind-$n
		phase "event cost: $kind, $n services"
		setup "$kind" "$d" $((n - 1)) 1
		f=$(starts_file "$kind" "$d")
		start "$kind" "$d"
		if ! wait_up $((n - 1)) 180; then
			note "event cost: $kind did not bring up $((n - 1)) idle services in 180 s"
			cp "$d/console.log" "$out/console-evt-$kind-$n.log" 2>/dev/null || true
			stop
			continue
		fi
		sleep 1
		# The supervising processes: brig's supervisor alone (a jail init
		# is its child and lives only as long as one run); s6-svscan or
		# runsvdir and every s6-supervise or runsv.
		case $kind in
		brig) pids=$SUP ;;
		*) pids="$SUP $(kids "$SUP" "$(percomm "$kind")")" ;;
		esac
		case $kind in brig) w=$secs ;; *) w=$((secs + 2)) ;; esac
		raw=$out/cpu-$kind-$n.txt
		# One line a second: wall-clock s, starts, cpu ns, ticks
		i=0
		while [ "$i" -le "$w" ]; do
			# shellcheck disable=SC2086 # pid lists
			printf '%s %s %s %s\n' "$(wall)" "$(lines "$f")" "$(cpu_ns $pids)" "$(ticks $pids)"
			[ "$i" -lt "$w" ] && sleep 1
			i=$((i + 1))
		done >"$raw"
		cp "$d/console.log" "$out/console-evt-$kind-$n.log"
		stop
		awk 'NR > 1 && $2 > s { print ($3 - c) / ($2 - s) / 1000 } { s = $2; c = $3 }' "$raw" >"$raw.per"
		awk -v k="$kind" -v n="$n" -v m="$(median <"$raw.per")" -v hz="$hz" '
			NR == 1 { s0 = $2; c0 = $3; t0 = $4; f = $1 } { s1 = $2; c1 = $3; t1 = $4; l = $1 }
			END {
				r = s1 - s0
				rate = (l > f) ? r / (l - f) : 0
				cpu = "-"
				tree = "-"
				if (r > 0) {
					cpu = sprintf("%.1f", (c1 - c0) / r / 1000)
					tree = sprintf("%.0f", (t1 - t0) * 1e6 / hz / r)
				}
				printf "%s %d %d %.1f %s %s %s\n", k, n, r, rate, m, cpu, tree
			}' "$raw" >>"$evttab"
	done
done

# --- perf stat, where the instructions counter works -------------------------
if command -v perf >/dev/null 2>&1 &&
	perf stat -x, -e instructions true 2>&1 >/dev/null | grep -q '^[0-9]'; then
	perfnote="perf: instructions counter available (not used; on-CPU time below)"
else
	perfnote="perf: no instructions counter here (virtual machine); CPU time is /proc/PID/schedstat"
fi

# --- the tables ---------------------------------------------------------------
mem() { awk -v k="$1" -v n="$2" -v f="$3" '$1 == k && $2 == n { print $f }' "$memtab"; }
evt() { awk -v k="$1" -v n="$2" -v f="$3" '$1 == k && $2 == n { print $f }' "$evttab"; }
lat() { awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$lattab"; }
inc() {
	a=$(mem "$1" 1 4) b=$(mem "$1" "$2" 4)
	awk -v a="$a" -v b="$b" -v n="$2" 'BEGIN { if (a != "" && b != "") printf "%.1f", (b - a) / (n - 1); else print "-" }'
}
or() { if [ -n "$1" ]; then echo "$1"; else echo -; fi; }

{
	say ""
	say "== 1. memory, KiB: supervising processes only (services excluded)"
	say "                total RSS / PSS                                  per service PSS    supervisor    kernel/svc"
	say "             N=1          N=32         N=256         1->32   1->256     PSS N=1/256   at 256 (approx)"
	for kind in brig s6 runit; do
		printf '  %-6s %5s/%-5s  %6s/%-6s  %7s/%-7s  %6s  %6s  %6s/%-6s  %6s\n' "$kind" \
			"$(or "$(mem $kind 1 3)")" "$(or "$(mem $kind 1 4)")" \
			"$(or "$(mem $kind 32 3)")" "$(or "$(mem $kind 32 4)")" \
			"$(or "$(mem $kind 256 3)")" "$(or "$(mem $kind 256 4)")" \
			"$(inc $kind 32)" "$(inc $kind 256)" \
			"$(or "$(mem $kind 1 6)")" "$(or "$(mem $kind 256 6)")" \
			"$(awk -v d="$(mem $kind 256 7)" 'BEGIN { if (d != "") printf "%.0f", d / 256; else print "-" }')"
	done
	# brig's goals: the supervisor process's PSS (the larger of N=1 and
	# N=256), and the per-jail increment from 1 to 256 jails.
	sp=$(awk -v a="$(mem brig 1 6)" -v b="$(mem brig 256 6)" 'BEGIN { if (a == "" || b == "") print "-"; else print (a > b) ? a : b }')
	pj=$(inc brig 256)
	if [ -n "$(mem brig 256r 4)" ]; then
		printf '  %-6s %5s %-5s  %6s %-6s  %7s/%-7s  %6s  %6s  %6s/%-6s\n' "brig" "" "" "" "" \
			"$(mem brig 256r 3)" "$(mem brig 256r 4)" "" \
			"$(awk -v a="$(mem brig 1 4)" -v b="$(mem brig 256r 4)" 'BEGIN { printf "%.1f", (b - a) / 255 }')" \
			"-" "$(mem brig 256r 6)"
		say "         ^ N=256 again after \`brig restart\` of each jail, one at a time"
	fi
	for f in 256 256r; do
		[ -f "$out/mem-brig-$f.txt" ] || continue
		awk 'NR > 1 { print $4 }' "$out/mem-brig-$f.txt" | sort -n | awk -v k="brig" -v f="$f" '
			{ a[NR] = $1 } END { if (NR) printf "  %-6s one jail init at N=%s, PSS KiB: min %s, median %s, max %s\n", k, f, a[1], a[int((NR + 1) / 2)], a[NR] }'
	done
	for kind in s6 runit; do
		[ -f "$out/mem-$kind-256.txt" ] || continue
		awk 'NR > 1 { print $4 }' "$out/mem-$kind-256.txt" | sort -n | awk -v k="$kind" -v c="$(percomm "$kind")" '
			{ a[NR] = $1 } END { if (NR) printf "  %-6s one %s at N=256, PSS KiB: min %s, median %s, max %s\n", k, c, a[1], a[int((NR + 1) / 2)], a[NR] }'
	done
	pr=-
	[ -z "$(mem brig 256r 4)" ] ||
		pr=$(awk -v a="$(mem brig 1 4)" -v b="$(mem brig 256r 4)" 'BEGIN { printf "%.1f", (b - a) / 255 }')
	say "  goals (brig): supervisor < 200 KiB PSS: $sp KiB $(verdict "$sp" 199.99);" \
		"per jail < 50 KiB PSS: $pj KiB $(verdict "$pj" 49.99), after restarts $pr KiB $(verdict "$pr" 49.99)"
	say ""
	say "== 2. restart latency: a service that exits 1 at once (brig: delay = 0, interval = 0)"
	say "           starts   median gap    p90 gap   restarts/s"
	for kind in brig s6 runit; do
		printf '  %-6s %7s %10s us %8s us %10s\n' "$kind" "$(or "$(lat $kind 2)")" \
			"$(or "$(lat $kind 3)")" "$(or "$(lat $kind 4)")" "$(or "$(lat $kind 5)")"
	done
	say "  (crash to next exec; s6 and runit hold a crashing service back to 1 start/s)"
	say ""
	say "== 3. event cost: CPU per restart, 1 crash-looping service + N-1 idle ones"
	say "   supervising processes, us (median of 1 s windows) / whole tree incl. jail init + service, us (ticks of $((1000 / hz)) ms)"
	say "           N=10              N=250             N=1000            restarts/s (10/250/1000)  ratio 250/10  1000/10"
	for kind in brig s6 runit; do
		r250=$(ratio "$(or "$(evt $kind 250 5)")" "$(or "$(evt $kind 10 5)")")
		r1000=$(ratio "$(or "$(evt $kind 1000 5)")" "$(or "$(evt $kind 10 5)")")
		printf '  %-6s %7s / %-7s %7s / %-7s %7s / %-7s %6s/%s/%s %13s %8s\n' "$kind" \
			"$(or "$(evt $kind 10 5)")" "$(or "$(evt $kind 10 7)")" \
			"$(or "$(evt $kind 250 5)")" "$(or "$(evt $kind 250 7)")" \
			"$(or "$(evt $kind 1000 5)")" "$(or "$(evt $kind 1000 7)")" \
			"$(or "$(evt $kind 10 4)")" "$(or "$(evt $kind 250 4)")" "$(or "$(evt $kind 1000 4)")" \
			"$r250" "$r1000"
	done
	big=$(ratio "$(or "$(evt brig "$brig_big" 5)")" "$(or "$(evt brig 10 5)")")
	say "  goal (brig): cost at $brig_big jails <= 1.30 x cost at 10: $big $(verdict "$big" 1.30)"
	say "  $perfnote"
} | tee "$out/summary.txt"
say ""
say "raw data: $out/ (summary.txt, mem-*.txt, smaps-*.txt, starts-*.txt, cpu-*.txt, console-*.log)"
