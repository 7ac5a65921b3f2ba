#!/bin/sh
# brig exec: the command gets what the service gets, and from a terminal a
# pty of the jail's own devpts, relayed by the client (`probe pty` plays
# the admin's terminal): keys, ^C, ^Z and resizes reach the command, its
# exit status comes back. Without a terminal stdio passes as it is.
# Tests are functions that run_tests calls by name.
# shellcheck disable=SC2317
. tests/lib.sh

# A supervisor with jail xj (sleeping).
xsup() {
	sup_init
	sjail xj <<-EOF
	[jail]
	root = $ROOTFS
	user = svc
	umask = 027
	exec = /bin/probe sleep xj-$$
	[security]
	rlimit.nofile = 64:128
	EOF
	sjail xnodev <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep xnodev-$$
	[mounts]
	dev = none
	EOF
	sup_start "$1: the supervisor starts" || return 1
	await 10 state_is xj running
}

# pty STEP... -- ARG...: brig exec ARG... on a terminal driven by STEPs.
pty() {
	OUT=$T/pty.out
	LAST=
	# Every argument goes round once; brig exec comes in after the --.
	i=0
	n=$#
	while [ "$i" -lt "$n" ]; do
		a=$1
		shift
		set -- "$@" "$a"
		[ "$a" != -- ] || set -- "$@" "$BRIG" --socket "$SOCK" exec
		i=$((i + 1))
	done
	timeout 30 "$PROBE" pty "$@" >"$OUT" 2>&1
}

t_exec_pty() {
	xsup "exec pty" || return
	pty -- xj /bin/sh -c 'tty; readlink /proc/self/fd/0; readlink /proc/self/fd/2; stty size
		[ "$(stat -L -c %d /dev/stdin)" = "$(stat -c %d /dev/pts/ptmx)" ] && echo own-devpts
		exit 3'
	check "exec pty: the command's stdio is a pty of the jail's devpts" \
		grep -q '^own-devpts' "$OUT"
	check "exec pty: ... on stdin and stderr alike" \
		test "$(grep -c '^/dev/pts/0' "$OUT")" -ge 3
	check "exec pty: it starts at the caller's window size (24 80)" grep -q '^24 80' "$OUT"
	expect_line "exec pty: the exit status comes back (3)" "exit 3"
	pty wait:ready send:^C -- xj /bin/probe sig
	check "exec pty: ^C reaches the command as SIGINT" grep -q 'signal INT' "$OUT"
	expect_line "exec pty: ... and its status is 130" "exit 130"
	pty wait:ready send:^Z -- xj /bin/probe sig
	check "exec pty: ^Z reaches the command as SIGTSTP" grep -q 'signal TSTP' "$OUT"
	pty wait:armed size:40:120 wait:WINCH -- xj /bin/sh -c \
		'trap "echo WINCH; stty size; exit 7" WINCH; echo armed; while :; do sleep 0.1; done'
	check "exec pty: a resize reaches the command (SIGWINCH, 40 120)" grep -q '^40 120' "$OUT"
	expect_line "exec pty: ... and it ends with its own status" "exit 7"
	pty 'send:echo typed-$((6*7))^M' wait:typed-42 'send:exit^M' -- xj /bin/sh
	check "exec pty: what the caller types reaches an interactive shell" \
		grep -q '^typed-42' "$OUT"
	pty -- xnodev /bin/probe exit 0
	expect_line "exec pty: a jail without /dev/pts refuses a terminal (125)" "exit 125"
	check "exec pty: ... and says why" grep -q 'no pty\|/dev/pts/ptmx' "$OUT"
	sup_stop
}

t_exec_plain() {
	xsup "exec plain" || return
	OUT=$T/plain.out
	LAST=
	echo piped-in | bctl exec xj -- /bin/sh -c 'cat; tty; exit 5' >"$OUT" 2>&1
	RC=$?
	expect_rc "exec plain: without a terminal the status comes back (5)" 5
	expect_line "exec plain: stdin passes through" piped-in
	expect_line "exec plain: ... and no terminal is made" "not a tty"
	bctl exec xj -- /bin/sh -c '/bin/probe ids; /bin/probe caps; /bin/probe rlimit nofile;
		/bin/probe umask; /bin/probe env' >"$OUT" 2>&1 </dev/null
	expect_line "exec plain: it runs as the service's user" "uid 1000 1000 1000"
	expect_line "exec plain: with no capability" "CapBnd 0000000000000000"
	expect_line "exec plain: no_new_privs" "NoNewPrivs 1"
	expect_line "exec plain: the service's rlimits" "nofile 64 128"
	expect_line "exec plain: the service's umask" "umask 0027"
	check "exec plain: the service's clean environment" \
		sh -c "! grep -q '^HOME=\|^BRIG\|^SUDO' '$OUT'"
	# The command leads a session: its child is in the session of its pid.
	bctl exec xj -- /bin/sh -c 'echo "sh $$"; echo "sid $(cut -d" " -f6 /proc/self/stat)"' \
		>"$OUT" 2>&1 </dev/null
	expect_eq "exec plain: the command has a session of its own" \
		"$(sed -n 's/^sh //p' "$OUT")" "$(sed -n 's/^sid //p' "$OUT")"
	sup_stop
}

run_tests t_exec_pty t_exec_plain
