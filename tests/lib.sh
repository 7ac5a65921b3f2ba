# shellcheck shell=sh
# Shared helpers for tests/ns/*.sh, sourced from the repo top (tests/run.sh
# runs every suite with `sh tests/ns/NN-name.sh` from there).
#
# A suite defines its tests as shell functions named t_* and ends with
#   run_tests t_one t_two ...
# which runs $SUITE_SETUP if the suite set one, then each test (or SKIPs
# each with a reason when the suite cannot run: not root, no cgroup2), then
# the end-of-suite leak checks, then exits 1 if any test failed. Output is
# TAP, from tests/tap.sh (ok, not_ok, skip, check, expect_eq, await, ...);
# a failure's diagnostics come from $DIAG: last_run at the start of every
# test, sup_diag once the test calls sup_init.
#
# Inside a test:
#   jail NAME <<EOF ... EOF         write $T/NAME.ini from stdin
#   brun [--tracked|--bg] NAME [-- ARG...]
#                                   brig run it; sets RC, OUT, ERR (files).
#                                   --tracked: brig itself starts in the
#                                   cgroup $CGROOT/_track, so every process
#                                   it leaves behind stays in view under
#                                   $CGROOT; --bg: in the background, sets
#                                   BGPID (no RC; see wait_bg)
#   wait_bg                         wait for BGPID (bounded); sets RC
#   expect_rc DESC N                $RC is N
#   expect_line DESC LINE           $OUT holds exactly this line
# Every brig run is bounded by `timeout 30` to catch hangs; no test uses a
# duration as a pass/fail criterion.

set -u
BUILD=${BUILD:-build}
TOP=$(pwd)
BRIG=${BRIG:-$TOP/$BUILD/brig}
ROOTFS=$TOP/$BUILD/rootfs
SUITE=$(basename "$0" .sh)
# shellcheck disable=SC2034  # PROBE is for the suites
PROBE=$TOP/$BUILD/probe

# shellcheck source=tests/tap.sh
. "$TOP/tests/tap.sh"
DIAG=last_run
BGPIDS=
T=
CG2=
CGROOT=

# What went into and came out of the last brig run, for a failure report.
last_run() {
	[ -n "${LAST:-}" ] || return 0
	echo "jail file $T/$LAST.ini:"
	sed 's/^/    /' "$T/$LAST.ini" 2>/dev/null
	echo "exit status: ${RC:-?}"
	echo "stdout:"
	head -n 30 "$OUT" 2>/dev/null | sed 's/^/    /'
	echo "stderr:"
	head -n 30 "$ERR" 2>/dev/null | sed 's/^/    /'
}

expect_rc() {
	if [ "${RC:-x}" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1" "expected exit status $2, got ${RC:-none}" "$(tap_diag)"
	fi
}

expect_line() {
	if grep -qxF -- "$2" "$OUT" 2>/dev/null; then
		ok "$1"
	else
		not_ok "$1" "expected the line '$2' in the output" "$(tap_diag)"
	fi
}

# The value after KEY on the probe's "KEY VALUE" line, e.g. field pid.
field() {
	sed -n "s/^$1 //p" "$OUT" | head -n 1
}

jail() {
	cat >"$T/$1.ini"
}

brun() {
	br_mode=
	case $1 in
	--tracked | --bg)
		br_mode=$1
		shift
		;;
	esac
	LAST=$1
	OUT=$T/$1.out
	ERR=$T/$1.err
	f=$T/$1.ini
	shift
	set -- "$BRIG" run --cgroup-root "$CGROOT" "$f" "$@"
	if [ "$br_mode" = --tracked ]; then
		mkdir -p "$CGROOT/_track"
		# shellcheck disable=SC2016
		set -- sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CGROOT/_track" "$@"
	fi
	if [ "$br_mode" = --bg ]; then
		"$@" >"$OUT" 2>"$ERR" </dev/null &
		BGPID=$!
		BGPIDS="$BGPIDS $BGPID"
		return 0
	fi
	timeout 30 "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	[ "$RC" != 124 ] || echo "timed out after 30 s" >>"$ERR"
}

# Alive and not a zombie.
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}

# Waits (at most 30 s, then KILL) for the background brig; sets RC.
wait_bg() {
	if ! await 30 eval "! alive $BGPID"; then
		echo "timed out after 30 s; killed" >>"$ERR"
		kill -KILL "$BGPID" 2>/dev/null
	fi
	wait "$BGPID"
	RC=$?
}

has_line() {
	grep -qxF -- "$2" "$1" 2>/dev/null
}

# The host's mount table without the ids that change with every mount: "/"
# itself and whatever lies in the paths the suites hand to brig (other users
# of a shared host may mount elsewhere meanwhile).
mount_table() {
	awk -v t="$T" -v top="$TOP" -v cg="$CG2" -v st=/run/brig '
		function under(p, d) { return d != "" && (p == d || index(p, d "/") == 1) }
		$5 == "/" || under($5, t) || under($5, top) || under($5, cg) || under($5, st) ||
		under($4, t) || under($4, top) {
			$1 = ""; $2 = ""; print }' /proc/self/mountinfo | sort
}

cg2_mount() {
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' \
		/proc/self/mountinfo | head -n 1
}

# Processes in a cgroup subtree (host pids).
cg_procs() {
	find "$1" -name cgroup.procs -exec cat {} + 2>/dev/null
}

setup() {
	T=$(mktemp -d /tmp/brig-ns.XXXXXX)
	chmod 0755 "$T"
	export BRIG_STATE_DIR="$T/state"
	CG2=$(cg2_mount)
	CGROOT=$CG2/brig-test-$$
	mkdir -p "$CGROOT"
	MOUNTS_BEFORE=$(mount_table)
	trap cleanup EXIT
	trap 'exit 130' INT TERM HUP PIPE
}

cleanup() {
	for p in $BGPIDS; do
		alive "$p" && kill -KILL "$p" 2>/dev/null
	done
	if [ -n "$CGROOT" ] && [ -d "$CGROOT" ]; then
		# Only our own test subtree: whatever is left in it, brig leaked.
		[ -z "$(cg_procs "$CGROOT")" ] || echo 1 >"$CGROOT/cgroup.kill" 2>/dev/null
		# shellcheck disable=SC2016
		await 5 eval '[ -z "$(cg_procs "$CGROOT")" ]'
		find "$CGROOT" -depth -type d -exec rmdir {} + 2>/dev/null
	fi
	if [ -n "$T" ] && [ -d "$T" ]; then
		if grep -qF " $T/" /proc/self/mountinfo; then
			echo "# leaving $T: something is still mounted under it" >&2
		else
			rm -rf --one-file-system "$T"
		fi
	fi
}

# End-of-suite checks: brig left no mount, process or cgroup behind.
leak_checks() {
	after=$(mount_table)
	if [ "$after" = "$MOUNTS_BEFORE" ]; then
		ok "$SUITE: the host's mount table is unchanged"
	else
		not_ok "$SUITE: the host's mount table is unchanged" \
			"$(printf '%s\n' "$MOUNTS_BEFORE" >"$T/m.before"
			printf '%s\n' "$after" >"$T/m.after"
			diff "$T/m.before" "$T/m.after")"
	fi
	left=$(cg_procs "$CGROOT")
	if [ -z "$left" ]; then
		ok "$SUITE: no process left in the test cgroup root"
	else
		not_ok "$SUITE: no process left in the test cgroup root" "left: $left"
	fi
	subs=$(find "$CGROOT" -mindepth 1 -type d 2>/dev/null)
	if [ -z "$subs" ]; then
		ok "$SUITE: every jail cgroup was removed"
	else
		not_ok "$SUITE: every jail cgroup was removed" "left: $subs"
	fi
}

# run_tests t_name...: the suite's entry point; never returns.
run_tests() {
	reason=
	if [ "$(id -u)" != 0 ]; then
		reason="needs root"
	elif [ -z "$(cg2_mount)" ]; then
		reason="no cgroup2 mount"
	fi
	if [ -n "$reason" ]; then
		for t in "$@"; do
			skip "$SUITE: $t" "$reason"
		done
		tap_done
	fi
	if [ ! -x "$BRIG" ]; then
		for t in "$@"; do
			not_ok "$SUITE: $t" "$BRIG is not built (make)"
		done
		tap_done
	fi
	if [ ! -f "$ROOTFS/.stamp" ] ||
		[ -n "$(find "$TOP/tests/probe.c" -newer "$ROOTFS/bin/probe" 2>/dev/null)" ]; then
		sh "$TOP/tests/rootfs.sh" "$BUILD" >/dev/null || {
			not_ok "$SUITE: build the test rootfs" "tests/rootfs.sh $BUILD failed"
			exit 1
		}
	fi
	setup
	[ -z "${SUITE_SETUP:-}" ] || "$SUITE_SETUP"
	for t in "$@"; do
		LAST=
		RC=
		DIAG=last_run
		"$t"
	done
	DIAG=
	leak_checks
	tap_done
}

# ---- supervisor helpers (tests/ns/6*.sh) ----
# A test builds a config dir, starts `brig supervise` on it in the
# background, talks to it through its socket, and stops it:
#   sup_init                        a fresh config dir: $CONF, $SOCK, $SUPLOG
#   sjail NAME <<EOF ... EOF        write $CONF/jails/NAME.ini from stdin
#   sup_start DESC                  start the supervisor (SUPPID); wait until
#                                   it answers; not_ok DESC and 1 if it does not
#   sup_stop                        TERM it, wait (bounded); sets SUPRC
#   bctl ARG...                     brig --socket $SOCK ARG... (bounded)
#   jfield NAME KEY                 the KEY line of `brig status NAME`
#   state_is NAME STATE...          its state is one of STATE...
#   log_has LINE / log_count LINE   exact console lines in $SUPLOG
#   log_at TEXT                     number of the first line holding TEXT
#   before TEXT1 TEXT2              both on the console, TEXT1 first
#   sup_diag                        console tail and status: the
#                                   diagnostics hook (DIAG) after sup_init
#   sjail_sleep NAME TAG            a jail running a sleeping probe tagged TAG
#   sjail_stubborn NAME TIMEOUT [AFTER]  a jail that ignores TERM ("armed"
#                                   on its console once it does)
SUPN=0
SUPPID=
SUPRC=
CONF=
SOCK=
SUPLOG=

sup_init() {
	SUPN=$((SUPN + 1))
	CONF=$T/sup$SUPN
	SOCK=$CONF/control.sock
	SUPLOG=$CONF/console.log
	mkdir -p "$CONF/jails" "$CONF/state"
	: >"$SUPLOG"
	DIAG=sup_diag
}

sjail() {
	cat >"$CONF/jails/$1.ini"
}

bctl() {
	timeout 30 "$BRIG" --socket "$SOCK" "$@"
}

sjail_sleep() {
	sjail "$1" <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep $2
	EOF
}

sjail_stubborn() {
	sjail "$1" <<-EOF
	[jail]
	root = $ROOTFS
	${3:+after = $3}
	exec = /bin/sh -c 'trap "" TERM; echo armed; while :; do sleep 0.1; done'
	[restart]
	stop_timeout = $2
	EOF
}

sup_diag() {
	echo "supervisor console ($SUPLOG), last 40 lines:"
	tail -n 40 "$SUPLOG" 2>/dev/null | sed 's/^/    /'
	echo "brig status:"
	timeout 5 "$BRIG" --socket "$SOCK" status 2>&1 | sed 's/^/    /'
}

sup_answers() {
	timeout 5 "$BRIG" --socket "$SOCK" status >/dev/null 2>&1
}

sup_start() {
	[ -z "$SUPPID" ] || sup_stop
	"$BRIG" supervise --config-dir "$CONF" --socket "$SOCK" \
		--cgroup-root "$CGROOT" --state-dir "$CONF/state" \
		>>"$SUPLOG" 2>&1 </dev/null &
	SUPPID=$!
	BGPIDS="$BGPIDS $SUPPID"
	if ! await 10 sup_answers; then
		not_ok "$1" "the supervisor does not answer on $SOCK" "$(sup_diag)"
		sup_stop
		return 1
	fi
}

sup_stop() {
	[ -n "$SUPPID" ] || return 0
	kill -TERM "$SUPPID" 2>/dev/null
	if ! await 30 eval "! alive $SUPPID"; then
		echo "sup_stop: the supervisor ignored TERM for 30 s; killed" >>"$SUPLOG"
		kill -KILL "$SUPPID" 2>/dev/null
	fi
	wait "$SUPPID"
	# shellcheck disable=SC2034  # SUPRC is for the suites
	SUPRC=$?
	SUPPID=
}

jfield() {
	bctl status "$1" 2>/dev/null | sed -n "s/^$2: //p" | head -n 1
}

state_is() {
	st=$(jfield "$1" state)
	shift
	for w in "$@"; do
		[ "$st" != "$w" ] || return 0
	done
	return 1
}

log_has() {
	grep -qxF -- "$1" "$SUPLOG" 2>/dev/null
}

log_count() {
	grep -cxF -- "$1" "$SUPLOG" 2>/dev/null
}

# log_at TEXT: number of the first console line holding TEXT.
log_at() {
	grep -nF -- "$1" "$SUPLOG" 2>/dev/null | head -n 1 | cut -d: -f1
}

# before TEXT1 TEXT2: both are on the console, TEXT1 first.
before() {
	a=$(log_at "$1")
	b=$(log_at "$2")
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}

# The pid of the jail's service (the jail init's child), host view.
svc_pid() {
	p=$(jfield "$1" pid)
	[ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != - ] || return 1
	cut -d' ' -f1 "/proc/$p/task/$p/children" 2>/dev/null
}

# Milliseconds since some fixed point.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}
