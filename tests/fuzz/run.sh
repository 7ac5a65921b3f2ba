#!/bin/sh
# Builds and runs the libFuzzer targets for a bounded time.
#   tests/fuzz/run.sh BUILD SECONDS     (make fuzz FUZZ_SECONDS=N)
#   FUZZ_TARGETS="fuzz_core" tests/fuzz/run.sh ...   only some of them
# Each target runs for SECONDS; the targets run side by side, so the wall
# time is about SECONDS. Per target this prints the number of executions and
# exits non-zero on any crash, leak, timeout or sanitizer report. Crash files
# land in BUILD/fuzz/TARGET-crash-* (or -leak-, -timeout-, -oom-); replay one with
#   BUILD/fuzz/TARGET-replay FILE
# (the same target built with gcc and ASan+UBSan and a main() that runs it
# once on each FILE; FUZZ_TRACE=1 shows fuzz_core's console). The
# committed seeds are tests/fuzz/corpus/ and configs/ (fuzz_core:
# tests/fuzz/corpus-core/); what a run discovers stays in
# BUILD/fuzz/corpus-TARGET/.
set -eu
build=${1:-build}
secs=${2:-60}
targets=${FUZZ_TARGETS:-fuzz_ini fuzz_config fuzz_core}
src=$(cd "$(dirname "$0")/../.." && pwd)
out=$build/fuzz
mkdir -p "$out"

CC_FUZZ=${CC_FUZZ:-clang}
CC_REPLAY=${CC_REPLAY:-gcc}
common="-std=gnu11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -I$src/src -I$build/gen"

# Only the parser's own sources: a half-written file elsewhere in src/ must
# not stop the fuzzers.
srcs_ini="$src/src/ini.c"
srcs_config="$src/src/config.c $src/src/cfgfile.c $src/src/cfgdir.c $src/src/value.c $src/src/config_seccomp.c $src/src/seccomp.c $src/src/err.c $src/src/ini.c $src/src/esc.c"

build_target() {
	t=$1
	shift
	# shellcheck disable=SC2086
	$CC_FUZZ $common -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o "$out/$t" "$src/tests/fuzz/$t.c" "$@" -lcap
	# shellcheck disable=SC2086
	$CC_REPLAY $common -DFUZZ_REPLAY -fsanitize=address,undefined -fno-sanitize-recover=all \
		-o "$out/$t-replay" "$src/tests/fuzz/$t.c" "$@" -lcap
}

# The core: the loop, the machine, reload and the config parser; the world
# (clock, processes, console) is fuzz_core.c's. malloc and friends, kill and
# the clock are renamed in the core's objects only, so the target counts
# allocations and owns the processes and the time.
srcs_core="supervisor reload machine policy heap pidhash config config_seccomp seccomp cfgfile
	cfgdir value err ini esc
	logring watchdog fdio"
core_defs="-Dmalloc=fz_malloc -Dcalloc=fz_calloc -Drealloc=fz_realloc -Dstrdup=fz_strdup
	-Dstrndup=fz_strndup -Dfree=fz_free -Dkill=fz_kill -Dclock_gettime=fz_clock_gettime"

build_core() {
	for cc in "$CC_FUZZ fuzz" "$CC_REPLAY replay"; do
		set -- $cc
		objs=
		mkdir -p "$out/core-$2"
		san="-fsanitize=address,undefined -fno-sanitize-recover=all"
		[ "$2" = fuzz ] && san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
		for f in $srcs_core; do
			# shellcheck disable=SC2086
			$1 $common $san $core_defs -c "$src/src/$f.c" -o "$out/core-$2/$f.o"
			objs="$objs $out/core-$2/$f.o"
		done
		if [ "$2" = fuzz ]; then
			# shellcheck disable=SC2086
			$1 $common -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
				-o "$out/fuzz_core" "$src/tests/fuzz/fuzz_core.c" $objs
		else
			# shellcheck disable=SC2086
			$1 $common -DFUZZ_REPLAY $san -o "$out/fuzz_core-replay" \
				"$src/tests/fuzz/fuzz_core.c" $objs
		fi
	done
}

# shellcheck disable=SC2086
build_target fuzz_ini $srcs_ini
# shellcheck disable=SC2086
build_target fuzz_config $srcs_config
build_core

run_target() {
	t=$1
	corpus=$out/corpus-$t
	mkdir -p "$corpus"
	if [ "$t" = fuzz_core ]; then
		cp "$src"/tests/fuzz/corpus-core/* "$corpus"/
	else
		cp "$src"/tests/fuzz/corpus/* "$corpus"/
		for f in "$src"/configs/*.ini "$src"/configs/jails/*.ini; do
			[ -f "$f" ] && cp "$f" "$corpus/configs-$(basename "$f")"
		done
	fi
	rm -f "$out/$t-crash-"* "$out/$t-leak-"* "$out/$t-timeout-"* "$out/$t-oom-"*
	# -max_len covers the 4 KiB line limit several times over; the 64 KiB
	# file limit is a unit test (t_ini), too slow to reach by mutation. An
	# input takes milliseconds: -timeout is generous so that a stalled or
	# busy CI machine is not reported as a hang, while a real loop still is.
	dict="-dict=$src/tests/fuzz/config.dict"
	[ "$t" != fuzz_core ] || dict=
	# shellcheck disable=SC2086
	"$out/$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=60 -max_len=16384 \
		-detect_leaks=1 -print_final_stats=1 $dict \
		-artifact_prefix="$out/$t-" "$corpus" >"$out/$t.log" 2>&1
}

status=0
pids=
for t in $targets; do
	run_target "$t" &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p" || true
done

for t in $targets; do
	log=$out/$t.log
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$runs" ] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
	bad=$(grep -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: |ALARM: working on the last Unit' "$log" | head -n 5 || true)
	if [ -n "$bad" ] || ! grep -q '^Done [0-9]* runs' "$log"; then
		echo "fuzz $t: FAILED after ${runs:-?} executions (log: $log)"
		[ -n "$bad" ] && echo "$bad" | sed 's/^/  /'
		grep -E "Test unit written to" "$log" | sed 's/^/  /' || true
		status=1
	else
		files=$(find "$out/corpus-$t" -type f | wc -l | tr -d ' ')
		echo "fuzz $t: ok, ${runs:-?} executions in ${secs}s, corpus $files files"
	fi
done
if [ "$status" -ne 0 ]; then
	for f in "$out"/*-crash-* "$out"/*-leak-* "$out"/*-timeout-* "$out"/*-oom-*; do
		[ -f "$f" ] && echo "  artifact: $f"
	done
	echo "fuzz: replay an artifact with $out/TARGET-replay FILE"
fi
exit "$status"
