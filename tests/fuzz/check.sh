#!/bin/sh
# make check's short fuzz run: every target for FUZZ_CHECK_SECONDS (60),
# seeded with the committed corpora, one TAP line per target. The targets'
# own invariants (fuzz_core: no cycle in the running graph, shutdown in
# time, no allocation in the loop, ...) make each input a test; a longer
# run is `make fuzz FUZZ_SECONDS=N`.
build=${BUILD:-build}
secs=${FUZZ_CHECK_SECONDS:-60}
out=$(nice sh "$(dirname "$0")/run.sh" "$build" "$secs" 2>&1)
rc=$?
n=0
echo "$out" | grep '^fuzz [a-z_]*: ' | {
	while read -r _ t rest; do
		n=$((n + 1))
		case $rest in
		ok*) echo "ok $n - fuzz ${t%:} for ${secs}s: $rest" ;;
		*) echo "not ok $n - fuzz ${t%:}: $rest" ;;
		esac
	done
	[ "$n" -gt 0 ] || echo "not ok 1 - the fuzz targets did not build or run"
}
echo "$out" | sed 's/^/# /'
exit "$rc"
