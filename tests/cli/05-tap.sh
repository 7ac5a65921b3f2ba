#!/bin/sh
# tests/tap.sh, the TAP library every shell suite uses, tested on itself:
# each case runs the helper in a subshell with a fresh counter and looks at
# what it printed and returned. Needs no root. Prints TAP lines for
# tests/run.sh.
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
tap_tmpdir

# sub CODE: CODE in a fresh shell with tests/tap.sh sourced; its output in
# $tmp/out, its status in SUBRC.
sub() {
	(
		cd "$top" || exit 99
		. tests/tap.sh
		eval "$1"
	) >"$tmp/out" 2>&1
	SUBRC=$?
}

# has LINE: $tmp/out holds exactly LINE.
has() {
	grep -qxF -- "$1" "$tmp/out"
}

out() {
	echo "output:"
	sed 's/^/    /' "$tmp/out"
}
DIAG=out

# ---- ok, not_ok, skip, the plan ----
sub 'ok first; not_ok second "one line
two lines" ""; skip third "no reason"; tap_done'
check "ok, not_ok and skip are numbered in order" \
	eval 'has "ok 1 - first" && has "not ok 2 - second" && has "ok 3 - third # SKIP no reason"'
check "each line of a diagnostic becomes a '# ' line; an empty one none" \
	eval 'has "# one line" && has "# two lines" && [ "$(grep -c "^#" "$tmp/out")" = 2 ]'
check "tap_done prints the plan" has "1..3"
expect_eq "tap_done exits 1 after a failure" 1 "$SUBRC"
sub 'ok a; ok b; tap_done; echo after'
expect_eq "tap_done exits 0 without a failure" 0 "$SUBRC"
check "tap_done ends the script" eval '! has after'

# ---- check and the diagnostics hook ----
sub 'check "true holds" true'
check "check: ok when the command succeeds" has "ok 1 - true holds"
sub 'hook() { echo "from the hook"; echo "line two"; }; DIAG=hook; check "false holds" false'
check "check: not ok when the command fails" has "not ok 1 - false holds"
check "check: the command is named" has "# failed: false"
check "check: the hook's output follows as '# ' lines" \
	eval 'has "# from the hook" && has "# line two"'
sub 'check "no hook" false'
check "check: no hook, no more than the command" \
	eval 'has "not ok 1 - no hook" && [ "$(grep -c "^#" "$tmp/out")" = 1 ]'
sub 'hook() { echo hooked; }; DIAG=hook; check "a passing check" true'
check "check: the hook stays quiet on success" eval '! has "# hooked"'

# ---- expect_eq, expect_one_of ----
sub 'expect_eq same a a; expect_eq differ a b'
check "expect_eq: ok on equal strings" has "ok 1 - same"
check "expect_eq: not ok on different ones, both shown" \
	eval 'has "not ok 2 - differ" && has "# expected: a" && has "# actual:   b"'
sub 'expect_one_of in b a b c; expect_one_of out d a b c'
check "expect_one_of: ok on a listed word" has "ok 1 - in"
check "expect_one_of: not ok on another" eval 'has "not ok 2 - out" && has "# actual: d"'

# ---- await ----
ref=$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)
uptime_cs
check "uptime_cs: the clock of /proc/uptime, in centiseconds ($UPTIME_CS, $ref)" \
	eval '[ "$UPTIME_CS" -ge "$ref" ] && [ "$UPTIME_CS" -le $((ref + 100)) ]'
uptime_cs
t0=$UPTIME_CS
await 1 false
rc=$?
uptime_cs
t1=$UPTIME_CS
expect_eq "await: a command that never succeeds fails" 1 "$rc"
check "await: it gave up only after its deadline (1 s; took $((t1 - t0)) cs)" \
	[ $((t1 - t0)) -ge 100 ]
check "await: ... and not long after it (a 30 s hang bound)" [ $((t1 - t0)) -lt 3000 ]
await 1 sh -c 'exit 3'
expect_eq "await: it returns the command's last status" 3 "$?"
uptime_cs
t0=$UPTIME_CS
await 30 true
rc=$?
uptime_cs
expect_eq "await: a command that succeeds succeeds" 0 "$rc"
check "await: ... at once, not at the deadline" [ $((UPTIME_CS - t0)) -lt 1500 ]
: >"$tmp/tries"
third() {
	echo x >>"$tmp/tries"
	[ "$(wc -l <"$tmp/tries")" -ge 3 ]
}
await 30 third
expect_eq "await: it retries until the command succeeds" "0 3" "$? $(wc -l <"$tmp/tries")"

# ---- tests/lib.sh: the diagnostics hook follows the test's kind ----
sub '. tests/lib.sh; T=$(mktemp -d); LAST=j; RC=7; OUT=/dev/null; ERR=/dev/null;
	check "a jail" false; sup_init; check "a supervisor" false; rm -rf "$T"'
check "tests/lib.sh: check after a brig run shows the run" \
	eval 'has "not ok 1 - a jail" && has "# exit status: 7"'
check "tests/lib.sh: check after sup_init shows the supervisor's console" \
	eval 'has "not ok 2 - a supervisor" && grep -q "^# supervisor console" "$tmp/out"'

tap_done
