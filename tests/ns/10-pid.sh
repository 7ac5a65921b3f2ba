#!/bin/sh
# brig run: the jail's PID namespace and its init. PID 1 is brig's jail init,
# the service its child; only the jail's processes are visible; orphans are
# reaped; TERM to `brig run` reaches the service.
# Tests are functions that run_tests calls by name.
# shellcheck disable=SC2317
. tests/lib.sh

t_init_is_pid1() {
	jail pid1 <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe pid
	EOF
	brun pid1
	expect_rc "pid: the probe exits 0" 0
	expect_line "pid: the service's parent is pid 1 (the jail init)" "ppid 1"
	pid=$(field pid)
	if [ -n "$pid" ] && [ "$pid" != 1 ]; then
		ok "pid: the service is not pid 1 itself (pid $pid)"
	else
		not_ok "pid: the service is not pid 1 itself" "pid: '$pid'" "$(last_run)"
	fi
}

t_only_jail_processes() {
	jail procs <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe procs
	EOF
	brun procs
	expect_rc "procs: the probe exits 0" 0
	# The jail holds the init and the probe, nothing of the host.
	n=$(field procs | wc -w)
	expect_eq "procs: /proc shows exactly the jail init and the service" 2 "$n"
	expect_eq "procs: pid 1 is listed" 1 "$(field procs | cut -d' ' -f1)"
}

t_orphans_are_reaped() {
	jail reap <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe zombies 1000
	EOF
	brun reap
	expect_line "reap: 1,000 orphaned grandchildren were forked" "forked 1000"
	expect_line "reap: no zombie is left in the jail" "zombies 0"
	expect_line "reap: no other process is left in the jail" "others 0"
	expect_rc "reap: the probe exits 0" 0
}

# The probe catches TERM itself: the signal arrived, the status is 128+15.
t_term_is_forwarded() {
	jail term <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sig term-$$
	EOF
	brun --bg term
	if ! await 10 has_line "$OUT" ready; then
		wait_bg
		not_ok "term: the service starts" "$(last_run)"
		return
	fi
	kill -TERM "$BGPID"
	wait_bg
	expect_line "term: the service received TERM" "signal TERM"
	expect_rc "term: brig run exits 143" 143
}

# The service keeps the default disposition: TERM kills it, 128+15 again.
t_term_kills_default() {
	jail termdfl <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep termdfl-$$
	EOF
	brun --bg termdfl
	if ! await 10 has_line "$OUT" ready; then
		wait_bg
		not_ok "termdfl: the service starts" "$(last_run)"
		return
	fi
	kill -TERM "$BGPID"
	wait_bg
	expect_rc "termdfl: a service killed by TERM makes brig run exit 143" 143
}

t_other_signals_are_forwarded() {
	jail hup <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sig hup-$$
	EOF
	brun --bg hup
	if ! await 10 has_line "$OUT" ready; then
		wait_bg
		not_ok "hup: the service starts" "$(last_run)"
		return
	fi
	kill -HUP "$BGPID"
	wait_bg
	expect_line "hup: the service received HUP" "signal HUP"
	expect_rc "hup: brig run exits 129" 129
}

# From a terminal (probe pty plays it): the service has a session of its
# own, so ^C reaches brig run alone, which forwards it.
t_ctrl_c_forwarded() {
	jail ctrlc <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sig ctrlc-$$
	EOF
	OUT=$T/ctrlc.out
	LAST=ctrlc
	timeout 30 "$PROBE" pty wait:ready send:^C -- "$BRIG" run --cgroup-root "$CGROOT" \
		"$T/ctrlc.ini" >"$OUT" 2>&1
	check "ctrlc: ^C at brig run's terminal reaches the service as SIGINT" \
		grep -q 'signal INT' "$OUT"
	expect_line "ctrlc: brig run exits 130" "exit 130"
}

# A session of its own, but brig run's terminal stays usable by the service.
t_terminal_usable() {
	jail ttyuse <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "echo asking; read x; echo got-\$x"
	EOF
	OUT=$T/ttyuse.out
	LAST=ttyuse
	timeout 30 "$PROBE" pty wait:asking send:typed^M wait:got- -- "$BRIG" run \
		--cgroup-root "$CGROOT" "$T/ttyuse.ini" >"$OUT" 2>&1
	check "ttyuse: the service reads and writes brig run's terminal" grep -q '^got-typed' "$OUT"
}

run_tests t_init_is_pid1 t_only_jail_processes t_orphans_are_reaped \
	t_term_is_forwarded t_term_kills_default t_other_signals_are_forwarded t_ctrl_c_forwarded \
	t_terminal_usable
