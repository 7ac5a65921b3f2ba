#!/bin/sh
# Runs test suites and keeps the tally in $BUILD/results.
#   tests/run.sh SUITE PROG...   run each PROG, count its TAP lines
#   tests/run.sh --summary       print "N passed, N failed, N skipped"
# A PROG prints TAP lines ("ok ...", "not ok ...", "ok ... # SKIP why");
# one that exits non-zero without printing "not ok" counts one failure.
build=${BUILD:-build}
results=$build/results
mkdir -p "$build/logs"

if [ "$1" = --summary ]; then
	[ -f "$results" ] || { echo "0 passed, 0 failed"; exit 1; }
	awk '{p+=$1; f+=$2; s+=$3} END {
		if (s) printf "%d passed, %d failed, %d skipped\n", p, f, s;
		else printf "%d passed, %d failed\n", p, f;
		exit (f > 0) }' "$results"
	exit $?
fi

suite=$1
shift
for prog in "$@"; do
	[ -e "$prog" ] || continue
	name=$(basename "$prog")
	log=$build/logs/$suite-$name.log
	echo "# $suite/$name"
	case "$prog" in
	*.sh) sh "$prog" >"$log" 2>&1 ;;
	*) "$prog" >"$log" 2>&1 ;;
	esac
	rc=$?
	pass=$(grep -c '^ok ' "$log" | tr -d ' ')
	skip=$(grep -c '^ok .*# SKIP' "$log" | tr -d ' ')
	fail=$(grep -c '^not ok ' "$log" | tr -d ' ')
	pass=$((pass - skip))
	grep '^not ok \|^ok .*# SKIP' "$log" | sed "s|^|  $name: |"
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		echo "  $name: exited $rc without a failing test; last lines:"
		tail -n 15 "$log" | sed 's/^/    /'
		fail=1
	elif [ "$fail" -ne 0 ]; then
		echo "  (log: $log)"
	fi
	echo "  $pass passed, $fail failed, $skip skipped"
	echo "$pass $fail $skip" >>"$results"
done
