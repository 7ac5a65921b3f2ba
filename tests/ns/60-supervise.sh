#!/bin/sh
# brig supervise: restart policies and their timing, the burst limit,
# oneshots and `after` ordering, readiness (fd:N, notify, ready_timeout),
# stopping (escalation to cgroup.kill, dependents first) and SIGTERM to the
# supervisor. Every test runs its own supervisor on its own config dir.
# Tests are functions that run_tests calls by name.
# SC2016, SC2034: eval and await take single-quoted code, using variables
# set here, to run later, on purpose.
# shellcheck disable=SC2317,SC2016,SC2034
. tests/lib.sh

# delays NAME: the N of every "NAME: restarting in N ms" line, space-separated.
delays() {
	sed -n "s/^brig: $1: restarting in \([0-9]*\) ms.*/\1/p" "$SUPLOG" | tr '\n' ' '
}

# starts NAME: how many times the supervisor started NAME.
starts() {
	grep -c "^brig: $1: started (pid [0-9]*)\$" "$SUPLOG"
}

# A directory the jail sees read-write at /tmp/x (a tmpfs brig mounted, so
# the bind target may be created); a test drives its service through files.
xdir() {
	X=$T/x-$1
	mkdir -p "$X"
}

# Each consecutive failure doubles the delay up to max_delay. Every run
# notes the time it began (/proc/uptime, 10 ms steps, the host's clock): the
# gap between two runs is the announced delay plus the time to start one.
t_restart_doubling() {
	sup_init
	xdir dbl
	sjail dbl <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'read up idle </proc/uptime; echo \$up >>/tmp/x/t; exit 1'
	[mounts]
	bind = $X:/tmp/x:rw
	[restart]
	delay = 100ms
	max_delay = 800ms
	burst = 32
	interval = 60s
	EOF
	sup_start "dbl: the supervisor starts" || return
	await 15 eval '[ "$(grep -c . "$X/t" 2>/dev/null)" -ge 6 ]'
	bctl stop dbl >/dev/null 2>&1
	expect_eq "dbl: the delays double from delay up to max_delay" \
		"100 200 400 800 800" "$(delays dbl | cut -d' ' -f1-5)"
	gaps=$(head -n 6 "$X/t" | awk 'NR > 1 { printf "%d ", ($1 - prev) * 1000 + 0.5 } { prev = $1 }')
	# shellcheck disable=SC2086  # the gaps: split on purpose
	set -- $gaps
	if [ $# -lt 5 ]; then
		not_ok "dbl: six runs within 15 s" "run start times: $(tr '\n' ' ' <"$X/t")" "$(sup_diag)"
	else
		bad=
		for want in 100 200 400 800 800; do
			# Never early (10 ms clock steps); 500 ms late catches a lost timer.
			if [ "$1" -lt $((want - 20)) ] || [ "$1" -gt $((want + 500)) ]; then
				bad="$bad delay $want: gap $1 ms;"
			fi
			shift
		done
		if [ -z "$bad" ]; then
			ok "dbl: each run began its announced delay after the last ($gaps ms)"
		else
			not_ok "dbl: each run began its announced delay after the last" \
				"$bad" "gaps (ms): $gaps" "$(sup_diag)"
		fi
	fi
	sup_stop
	expect_eq "dbl: the supervisor exits 0 on TERM" 0 "$SUPRC"
}

# A run that lasts reset_after resets the doubling: runs 1 and 2 fail at
# once, run 3 lasts 1.5 s (reset_after = 1s), runs 4 and 5 fail at once.
t_reset_after() {
	sup_init
	xdir reset
	sjail rst <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'n=\$(cat /tmp/x/n 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >/tmp/x/n; [ \$n != 3 ] || sleep 1.5; exit 1'
	[mounts]
	bind = $X:/tmp/x:rw
	[restart]
	delay = 100ms
	reset_after = 1s
	EOF
	sup_start "rst: the supervisor starts" || return
	await 15 eval '[ "$(starts rst)" -ge 5 ]'
	bctl stop rst >/dev/null 2>&1
	expect_eq "rst: a 1.5 s run (reset_after = 1s) resets the delay to 100 ms" \
		"100 200 100 200" "$(delays rst | cut -d' ' -f1-4)"
	sup_stop
}

# burst = 2 within 60 s, no delay: the third start is refused, state failed;
# `brig start` on the failed jail clears the counters: two more starts.
t_burst() {
	sup_init
	sjail bst <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'exit 1'
	[restart]
	delay = 0
	burst = 2
	interval = 60s
	EOF
	sup_start "bst: the supervisor starts" || return
	await 10 state_is bst failed
	check "bst: more than burst starts within interval: state failed" state_is bst failed
	check "bst: the console says why" grep -q '^brig: bst: failed: ' "$SUPLOG"
	expect_eq "bst: it was started exactly burst (2) times" 2 "$(starts bst)"
	# --no-wait: the jail exits at once, so a start that waits for
	# `running` would race its exit (exit 1 when the exit comes first).
	bctl start --no-wait bst >"$T/bst.out" 2>&1
	expect_eq "bst: brig start --no-wait on a failed jail exits 0" 0 "$?"
	await 10 eval '[ "$(starts bst)" -ge 4 ] && state_is bst failed'
	expect_eq "bst: after brig start, the cleared counters allow burst more starts" \
		4 "$(starts bst)"
	check "bst: ... and it fails again" state_is bst failed
	sup_stop
}

# Every policy against a clean exit, a failure and a kill. delay = 30s keeps
# a restarting jail in backoff for the rest of the test.
t_policy_matrix() {
	sup_init
	for p in always on-failure never; do
		for how in ok err sig; do
			case $how in
			ok) cmd="/bin/sh -c 'exit 0'" ;;
			err) cmd="/bin/sh -c 'exit 1'" ;;
			sig) cmd="/bin/sh -c 'kill -KILL \$\$'" ;;
			esac
			sjail "$p-$how" <<-EOF
			[jail]
			root = $ROOTFS
			exec = $cmd
			[restart]
			policy = $p
			delay = 30s
			EOF
		done
	done
	sup_start "policy: the supervisor starts" || return
	for j in always-ok always-err always-sig on-failure-ok on-failure-err \
		on-failure-sig never-ok never-err never-sig; do
		await 10 state_is "$j" backoff stopped failed
	done
	for j in always-ok always-err always-sig on-failure-err on-failure-sig; do
		check "policy: $j restarts (state backoff)" state_is "$j" backoff
		check "policy: $j announces the restart" log_has "brig: $j: restarting in 30000 ms"
	done
	check "policy: on-failure-ok (exit 0) ends stopped" state_is on-failure-ok stopped
	check "policy: never-ok (exit 0) ends stopped" state_is never-ok stopped
	check "policy: never-err (exit 1) ends failed" state_is never-err failed
	check "policy: never-sig (killed) ends failed" state_is never-sig failed
	for j in on-failure-ok never-ok never-err never-sig; do
		check "policy: $j is not restarted" eval "! grep -q '^brig: $j: restarting' '$SUPLOG'"
	done
	check "policy: an exit 0 is logged" log_has "brig: never-ok: exited 0"
	check "policy: an exit 1 is logged" log_has "brig: never-err: exited 1"
	check "policy: a kill is logged" log_has "brig: never-sig: killed by SIGKILL"
	expect_eq "policy: last_exit of an exit 0" "exited 0" "$(jfield never-ok last_exit)"
	expect_eq "policy: last_exit of an exit 1" "exited 1" "$(jfield never-err last_exit)"
	expect_eq "policy: last_exit of a kill" "killed SIGKILL" "$(jfield never-sig last_exit)"
	expect_eq "policy: restarts of a jail in backoff" 1 "$(jfield always-err restarts)"
	sup_stop
	expect_eq "policy: the supervisor exits 0 on TERM" 0 "$SUPRC"
}

# A oneshot that exits 0 is done; its dependent waits for it and starts only
# after "done". The oneshot runs until the test creates /tmp/x/go.
t_oneshot_order() {
	sup_init
	xdir oneshot
	sjail setup <<-EOF
	[jail]
	type = oneshot
	root = $ROOTFS
	exec = /bin/sh -c 'while [ ! -e /tmp/x/go ]; do sleep 0.05; done; echo setup-ran'
	[mounts]
	bind = $X:/tmp/x:rw
	EOF
	sjail app <<-EOF
	[jail]
	root = $ROOTFS
	after = setup
	exec = /bin/sh -c 'echo app-ran; exec sleep 1000'
	EOF
	sup_start "oneshot: the supervisor starts" || return
	await 10 grep -q '^brig: setup: started' "$SUPLOG"
	await 2 state_is app waiting
	check "oneshot: the dependent waits while the oneshot runs" state_is app waiting
	check "oneshot: the console says what it waits for" \
		grep -q '^brig: app: waiting for setup' "$SUPLOG"
	check "oneshot: the dependent has not started" eval "! grep -q '^brig: app: started' '$SUPLOG'"
	touch "$X/go"
	await 10 state_is setup "done"
	await 10 log_has "app: app-ran"
	check "oneshot: a oneshot that exits 0 is done" state_is setup "done"
	check "oneshot: its dependent runs" state_is app running
	check "oneshot: 'setup: done' before the dependent starts" \
		before "brig: setup: done" "brig: app: started"
	check "oneshot: the oneshot's output before the dependent's" \
		before "setup: setup-ran" "app: app-ran"
	sup_stop
}

# A oneshot that fails (policy never) leaves its dependent waiting.
t_oneshot_fails() {
	sup_init
	sjail prep <<-EOF
	[jail]
	type = oneshot
	root = $ROOTFS
	exec = /bin/sh -c 'exit 3'
	[restart]
	policy = never
	EOF
	sjail user <<-EOF
	[jail]
	root = $ROOTFS
	after = prep
	exec = /bin/sh -c 'exec sleep 1000'
	EOF
	sup_start "oneshot-fail: the supervisor starts" || return
	await 10 state_is prep failed
	check "oneshot-fail: a oneshot exiting 3 with policy never fails" state_is prep failed
	check "oneshot-fail: its dependent is still waiting" state_is user waiting
	check "oneshot-fail: its dependent never started" \
		eval "! grep -q '^brig: user: started' '$SUPLOG'"
	sup_stop
}

# ready = fd:3: starting until the service writes a newline to fd 3; the
# dependent waits for that.
t_ready_fd() {
	sup_init
	xdir fd
	sjail fdr <<-EOF
	[jail]
	root = $ROOTFS
	ready = fd:3
	exec = /bin/sh -c 'while [ ! -e /tmp/x/go ]; do sleep 0.05; done; echo >&3; exec sleep 1000'
	[mounts]
	bind = $X:/tmp/x:rw
	EOF
	sjail fdd <<-EOF
	[jail]
	root = $ROOTFS
	after = fdr
	exec = /bin/sh -c 'exec sleep 1000'
	EOF
	sup_start "fd: the supervisor starts" || return
	await 10 state_is fdr starting
	check "fd: before the newline on fd 3 the jail is starting" state_is fdr starting
	check "fd: ... and its dependent waiting" state_is fdd waiting
	touch "$X/go"
	await 10 state_is fdr running
	check "fd: after the newline it is running" state_is fdr running
	await 10 state_is fdd running
	check "fd: its dependent then runs" state_is fdd running
	check "fd: 'fdr: ready' before the dependent starts" \
		before "brig: fdr: ready" "brig: fdd: started"
	sup_stop
}

# ready = notify with Debian's systemd-notify: the jail's root is the host's
# tree, where the dynamically linked tool works.
t_ready_notify() {
	if ! command -v systemd-notify >/dev/null 2>&1; then
		skip "notify: READY=1 makes the jail ready" "systemd-notify is not installed"
		return
	fi
	sup_init
	xdir notify
	sjail ntf <<-EOF
	[jail]
	ready = notify
	exec = /bin/sh -c 'while [ ! -e /tmp/x/go ]; do sleep 0.05; done; systemd-notify --ready --status="notify ok"; exec sleep 1000'
	[mounts]
	bind = $X:/tmp/x:rw
	EOF
	sjail ntd <<-EOF
	[jail]
	root = $ROOTFS
	after = ntf
	exec = /bin/sh -c 'exec sleep 1000'
	EOF
	sup_start "notify: the supervisor starts" || return
	await 10 state_is ntf starting
	check "notify: before READY=1 the jail is starting" state_is ntf starting
	check "notify: ... and its dependent waiting" state_is ntd waiting
	touch "$X/go"
	await 10 state_is ntf running
	check "notify: READY=1 makes it running" state_is ntf running
	await 10 state_is ntd running
	check "notify: its dependent then runs" state_is ntd running
	check "notify: 'ntf: ready' before the dependent starts" \
		before "brig: ntf: ready" "brig: ntd: started"
	expect_eq "notify: STATUS= shows in brig status" "notify ok" "$(jfield ntf status)"
	sup_stop
}

# Never ready within ready_timeout = 1s: a failed start, then the policy.
t_ready_timeout() {
	sup_init
	for p in on-failure never; do
		sjail "rt-$p" <<-EOF
		[jail]
		root = $ROOTFS
		ready = fd:3
		ready_timeout = 1s
		exec = /bin/sh -c 'exec sleep 1000'
		[restart]
		policy = $p
		delay = 30s
		EOF
	done
	sup_start "ready_timeout: the supervisor starts" || return
	await 10 state_is rt-on-failure backoff
	await 10 state_is rt-never failed
	check "ready_timeout: the console says it was not ready" \
		log_has "brig: rt-on-failure: not ready after 1000 ms"
	check "ready_timeout: on-failure restarts it (backoff)" state_is rt-on-failure backoff
	check "ready_timeout: ... announced" \
		log_has "brig: rt-on-failure: restarting in 30000 ms"
	check "ready_timeout: policy never: failed" state_is rt-never failed
	check "ready_timeout: it never was ready" \
		eval "! grep -q '^brig: rt-[a-z-]*: ready\$' '$SUPLOG'"
	check "ready_timeout: its processes are gone" \
		eval '[ -z "$(cg_procs "$CGROOT/rt-never")" ]'
	sup_stop
}

# A service that ignores TERM: after stop_timeout its cgroup is killed.
t_stop_escalation() {
	sup_init
	sjail stub <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'trap "" TERM; echo armed; while :; do sleep 0.1; done'
	[restart]
	stop_timeout = 1s
	EOF
	sup_start "stub: the supervisor starts" || return
	await 10 log_has "stub: armed"
	t0=$(now_ms)
	bctl stop stub >"$T/stub.out" 2>&1
	expect_eq "stub: brig stop exits 0" 0 "$?"
	await 10 state_is stub stopped
	t1=$(now_ms)
	check "stub: it ends stopped" state_is stub stopped
	check "stub: the console says it was killed" \
		log_has "brig: stub: still running 1000 ms after SIGTERM, killing"
	if [ $((t1 - t0)) -ge 950 ]; then
		ok "stub: it got its stop_timeout ($((t1 - t0)) ms)"
	else
		not_ok "stub: it got its stop_timeout" "stopped after $((t1 - t0)) ms" "$(sup_diag)"
	fi
	check "stub: no process is left in its cgroup" eval '[ -z "$(cg_procs "$CGROOT/stub")" ]'
	check "stub: a stop asked for is not restarted" \
		eval "! grep -q '^brig: stub: restarting' '$SUPLOG'"
	sup_stop
}

# Stopping a dependency stops its dependent first: the dependent takes
# 0.5 s to exit on TERM, and the dependency must still outlive it.
t_dependents_first() {
	sup_init
	sjail db <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep db
	EOF
	sjail web <<-EOF
	[jail]
	root = $ROOTFS
	after = db
	exec = /bin/sh -c 'trap "sleep 0.5; echo web-bye; exit 0" TERM; echo armed; while :; do sleep 0.1; done'
	EOF
	sup_start "deps: the supervisor starts" || return
	await 10 log_has "web: armed"
	bctl stop db >/dev/null 2>&1
	await 10 state_is db stopped
	check "deps: the dependency ends stopped" state_is db stopped
	check "deps: the dependent ends stopped" state_is web stopped
	check "deps: the dependent exited before the dependency got its signal" \
		before "brig: web: stopped (exited 0)" "brig: db: stopped (killed by SIGTERM)"
	sup_stop
}

# SIGTERM to the supervisor: every jail (running, stubborn, dependent, in
# backoff, done) is stopped, dependents first; it exits 0; nothing is left.
t_sigterm_all() {
	sup_init
	sjail s1 <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep s1-$$
	EOF
	sjail s2 <<-EOF
	[jail]
	root = $ROOTFS
	after = s1
	exec = /bin/probe sleep s2-$$
	EOF
	sjail s3 <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'trap "" TERM; echo armed; while :; do sleep 0.1; done'
	[restart]
	stop_timeout = 1s
	EOF
	sjail s4 <<-EOF
	[jail]
	type = oneshot
	root = $ROOTFS
	exec = /bin/sh -c 'exit 0'
	EOF
	sjail s5 <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'exit 1'
	[restart]
	delay = 30s
	EOF
	sup_start "sigterm: the supervisor starts" || return
	await 10 state_is s2 running
	await 10 log_has "s3: armed"
	await 10 state_is s4 "done"
	await 10 state_is s5 backoff
	pids=
	for j in s1 s2 s3; do
		pids="$pids $(jfield "$j" pid) $(svc_pid "$j")"
	done
	check "sigterm: the jails are up (pids:$pids)" \
		eval '[ "$(echo $pids | wc -w)" = 6 ]'
	sup_stop
	expect_eq "sigterm: the supervisor exits 0" 0 "$SUPRC"
	left=
	for p in $pids; do
		! alive "$p" || left="$left $p"
	done
	expect_eq "sigterm: no jail process survives" "" "$left"
	expect_eq "sigterm: no process is left in the cgroup root" "" "$(cg_procs "$CGROOT")"
	expect_eq "sigterm: no jail cgroup is left" "" \
		"$(find "$CGROOT" -mindepth 1 -type d 2>/dev/null)"
	check "sigterm: the dependent stopped before its dependency" \
		before "brig: s2: stopped (killed by SIGTERM)" "brig: s1: stopped (killed by SIGTERM)"
	check "sigterm: the stubborn jail was killed" \
		log_has "brig: s3: still running 1000 ms after SIGTERM, killing"
}

run_tests t_restart_doubling t_reset_after t_burst t_policy_matrix t_oneshot_order \
	t_oneshot_fails t_ready_fd t_ready_notify t_ready_timeout t_stop_escalation \
	t_dependents_first t_sigterm_all
