# shellcheck shell=sh
# The one TAP library of the shell suites (tests/lib.sh for ns, tests/qemu,
# tests/cross, tests/cli and tests/fuzz source it). POSIX sh; it runs
# under busybox sh too.
#
#   ok DESC                      "ok N - DESC"
#   not_ok DESC [DIAG...]        "not ok N - DESC", then every line of every
#                                DIAG argument as a "# " line
#   skip DESC WHY                "ok N - DESC # SKIP WHY"
#   tap_done                     the plan "1..N"; exits 1 if a test failed
#   check DESC CMD...            ok DESC if CMD succeeds, else not_ok with
#                                "failed: CMD" and the output of $DIAG
#   expect_eq DESC WANT GOT      the two strings are equal
#   expect_one_of DESC GOT WORD...  GOT is one of the WORDs
#   await SECONDS CMD...         run CMD every $AWAIT_STEP seconds (0.02)
#                                until it succeeds or SECONDS have passed on
#                                the monotonic clock; CMD's last status
#   uptime_cs                    sets UPTIME_CS: the monotonic clock
#                                (CLOCK_BOOTTIME) in centiseconds, no fork
#   tap_tmpdir                   sets tmp, a scratch directory removed at exit
#
# DIAG names a function (or command) whose output explains a failure: the
# diagnostics hook of check and the expect_* helpers. Empty: none.
# tests/lib.sh sets it to last_run; sup_init to sup_diag.

tap_n=0
tap_failed=0
DIAG=
AWAIT_STEP=${AWAIT_STEP:-0.02}

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	for tap_d in "$@"; do
		[ -z "$tap_d" ] || printf '%s\n' "$tap_d" | sed 's/^/# /'
	done
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
	exit $?
}

# The output of the diagnostics hook, for a not_ok.
tap_diag() {
	[ -z "$DIAG" ] || "$DIAG"
}

check() {
	tap_desc=$1
	shift
	if "$@"; then
		ok "$tap_desc"
	else
		not_ok "$tap_desc" "failed: $*" "$(tap_diag)"
	fi
}

expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected: $2" "actual:   $3" "$(tap_diag)"
	fi
}

expect_one_of() {
	tap_desc=$1
	tap_actual=$2
	shift 2
	for tap_w in "$@"; do
		if [ "$tap_actual" = "$tap_w" ]; then
			ok "$tap_desc"
			return 0
		fi
	done
	not_ok "$tap_desc" "expected one of: $*" "actual: $tap_actual" "$(tap_diag)"
}

# Sets UPTIME_CS: a read and parameter expansions, no fork.
uptime_cs() {
	read -r tap_up _ </proc/uptime
	UPTIME_CS=${tap_up%.*}${tap_up#*.}
	while [ "${#UPTIME_CS}" -gt 1 ] && [ "${UPTIME_CS#0}" != "$UPTIME_CS" ]; do
		UPTIME_CS=${UPTIME_CS#0}
	done
}

await() {
	uptime_cs
	tap_end=$((UPTIME_CS + $1 * 100))
	shift
	while :; do
		"$@" && return 0
		tap_rc=$?
		uptime_cs
		[ "$UPTIME_CS" -lt "$tap_end" ] || return "$tap_rc"
		sleep "$AWAIT_STEP"
	done
}

tap_tmpdir() {
	tmp=$(mktemp -d)
	# shellcheck disable=SC2064  # the name now, not at exit
	trap "rm -rf '$tmp'" EXIT
}
