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
# shellcheck source=tests/tap.sh
. "$(dirname "$0")/../tap.sh"
while read -r _ t rest; do
	[ -n "$t" ] || continue
	case $rest in
	ok*) ok "fuzz ${t%:} for ${secs}s: $rest" ;;
	*) not_ok "fuzz ${t%:}: $rest" ;;
	esac
done <<EOF
$(echo "$out" | grep '^fuzz [a-z_]*: ')
EOF
[ "$tap_n" -gt 0 ] || not_ok "the fuzz targets did not build or run"
echo "$out" | sed 's/^/# /'
exit "$rc"
