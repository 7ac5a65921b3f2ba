#!/bin/sh
# The supervisor under pressure, as an operator or an attacker would press
# it on the host with `brig supervise`: a pause during a stop, a SIGHUP
# flood, `after` on a jail whose file is broken, more jail files than brig
# supervises, and the commands that wait for their outcome.
# Tests are functions that run_tests calls by name.
# SC2016, SC2034: eval and await take single-quoted code, using variables
# set here, to run later, on purpose.
# shellcheck disable=SC2317,SC2016,SC2034
. tests/lib.sh

simple() {
	sjail_sleep "$@"
}

stubborn() {
	sjail_stubborn "$@"
}

# sup_stop_timed: sup_stop, and MS the milliseconds it took.
sup_stop_timed() {
	t0=$(now_ms)
	sup_stop
	MS=$(($(now_ms) - t0))
}

# A jail paused while it stops keeps its stop deadline; resume continues
# the stop, and a shutdown after such a pause completes.
t_pause_during_stop() {
	sup_init
	stubborn stub 2s
	sup_start "pause-stop: the supervisor starts" || return
	await 10 log_has "stub: armed"
	bctl stop stub --no-wait >"$T/ps.out" 2>&1
	expect_eq "pause-stop: stop --no-wait exits 0 at once" "0 stopping" "$? $(jfield stub state)"
	bctl pause stub >>"$T/ps.out" 2>&1
	expect_eq "pause-stop: a stopping jail can be paused" "0 paused" "$? $(jfield stub state)"
	bctl resume stub >>"$T/ps.out" 2>&1
	expect_eq "pause-stop: ... and resumed, still stopping" "0 stopping" "$? $(jfield stub state)"
	await 10 state_is stub stopped
	check "pause-stop: the stop continues to its end (killed after stop_timeout)" \
		state_is stub stopped
	check "pause-stop: ... the console says so" \
		log_has "brig: stub: stopped (killed by SIGKILL after stop_timeout)"
	# Paused during the stop and left paused: the deadline still holds.
	bctl start stub >/dev/null 2>&1
	await 10 eval '[ "$(log_count "stub: armed")" = 2 ]'
	bctl stop stub --no-wait >/dev/null 2>&1
	bctl pause stub >/dev/null 2>&1
	expect_eq "pause-stop: paused again during a stop" paused "$(jfield stub state)"
	await 10 state_is stub stopped
	check "pause-stop: a paused stopping jail is killed at its deadline" state_is stub stopped
	# Pause and resume during the stop, then shut down.
	bctl start stub >/dev/null 2>&1
	await 10 eval '[ "$(log_count "stub: armed")" = 3 ]'
	bctl stop stub --no-wait >/dev/null 2>&1
	bctl pause stub >/dev/null 2>&1
	bctl resume stub >/dev/null 2>&1
	sup_stop_timed
	expect_eq "pause-stop: then TERM to the supervisor: exit 0" 0 "$SUPRC"
	check "pause-stop: ... within 10 s ($MS ms)" [ "$MS" -lt 10000 ]
}

# A flood of SIGHUP does not starve SIGTERM: one pass of the loop takes
# every pending signal, a shutdown wins over a reload, HUPs coalesce.
t_hup_flood() {
	sup_init
	i=0
	while [ $i -lt 60 ]; do
		sjail "idle$i" <<-EOF
		[jail]
		root = $ROOTFS
		autostart = no
		exec = /bin/probe sleep idle$i
		EOF
		i=$((i + 1))
	done
	simple busy "busy-$$"
	sup_start "hup: the supervisor starts" || return
	await 10 state_is busy running
	pid=$SUPPID
	sh -c 'while kill -HUP "$1" 2>/dev/null; do :; done' flood "$pid" &
	fpid=$!
	BGPIDS="$BGPIDS $fpid"
	await 10 eval '[ "$(grep -c "SIGHUP: reloading" "$SUPLOG")" -ge 3 ]'
	check "hup: the flood reloads" eval '[ "$(grep -c "SIGHUP: reloading" "$SUPLOG")" -ge 3 ]'
	t0=$(now_ms)
	kill -TERM "$pid"
	await 20 eval "! alive $pid"
	ms=$(($(now_ms) - t0))
	check "hup: TERM during the flood ends the supervisor within 5 s ($ms ms)" \
		eval "! alive $pid && [ $ms -lt 5000 ]"
	kill -KILL "$fpid" 2>/dev/null
	wait "$fpid" 2>/dev/null
	sup_stop
	expect_eq "hup: ... with exit 0" 0 "$SUPRC"
	check "hup: the jail was stopped" log_has "brig: busy: stopped (killed by SIGTERM)"
}

# `after` on a jail whose file is broken: the dependent waits and says why;
# once the file is fixed, both start.
t_after_broken() {
	sup_init
	sjail base <<-EOF
	[jail]
	root = $ROOTFS
	bogus = 1
	exec = /bin/probe sleep base-$$
	EOF
	sjail dep <<-EOF
	[jail]
	root = $ROOTFS
	after = base
	exec = /bin/probe sleep dep-$$
	EOF
	sup_start "after-broken: the supervisor starts" || return
	await 5 state_is dep waiting
	check "after-broken: the dependent of a broken file waits" state_is dep waiting
	reason="waiting for base (broken: $CONF/jails/base.ini:3: unknown key 'bogus' in [jail])"
	expect_eq "after-broken: ... and says why" "$reason" "$(jfield dep reason)"
	check "after-broken: ... on the console too" log_has "brig: dep: $reason"
	check "after-broken: it never started" eval "! grep -q '^brig: dep: started' '$SUPLOG'"
	simple base "base-$$"
	bctl reload >/dev/null 2>&1
	await 10 state_is dep running
	check "after-broken: fixed and reloaded: the dependency runs" state_is base running
	check "after-broken: ... then the dependent" state_is dep running
	check "after-broken: ... in order" before "brig: base: ready" "brig: dep: started"
	sup_stop
}

# A dependency cycle at start: the jail that closes it is left out with an
# error at its after line; the other one waits and says why.
t_after_cycle_boot() {
	sup_init
	sjail c1 <<-EOF
	[jail]
	root = $ROOTFS
	after = c2
	exec = /bin/probe sleep c1-$$
	EOF
	sjail c2 <<-EOF
	[jail]
	root = $ROOTFS
	after = c1
	exec = /bin/probe sleep c2-$$
	EOF
	sup_start "boot-cycle: the supervisor starts" || return
	await 5 state_is c1 waiting
	check "boot-cycle: the cycle is reported at c2.ini:3" \
		grep -q "c2\.ini:3: error: after: dependency cycle c1 -> c2 -> c1" "$SUPLOG"
	bctl status c2 >/dev/null 2>&1
	rc=$?
	check "boot-cycle: c2 is not loaded (status exits $rc)" [ "$rc" = 1 ]
	check "boot-cycle: c1 waits for it, saying why" \
		eval 'jfield c1 reason | grep -q "^waiting for c2 (broken: .*c2\.ini:3: after: dependency cycle"'
	sup_stop
	expect_eq "boot-cycle: TERM: exit 0" 0 "$SUPRC"
}

# more than 256 jail files: the first 256 in name order, every other file
# named; a reload never stops a running jail to make room.
t_file_limit() {
	sup_init
	i=0
	while [ $i -lt 300 ]; do
		n=$(printf 'j%03d' $i)
		printf '[jail]\nroot = %s\nautostart = no\nexec = /bin/probe sleep %s\n' \
			"$ROOTFS" "$n" >"$CONF/jails/$n.ini"
		i=$((i + 1))
	done
	sup_start "limit: the supervisor starts" || return
	bctl status >"$T/lim.table" 2>&1
	expect_eq "limit: 256 jails are loaded" 256 "$(sed 1d "$T/lim.table" | grep -c .)"
	expect_eq "limit: ... the first 256 in name order" "j000 j255" \
		"$(sed 1d "$T/lim.table" | awk '{ print $1 }' | sort | sed -n '1p;$p' | tr '\n' ' ' | sed 's/ $//')"
	left=$(grep -c "jails/j2[5-9][0-9]\.ini: error: left out: more than 256 jail files" "$SUPLOG")
	expect_eq "limit: each of the 44 other files is named" 44 "$left"
	check "limit: ... and not one of the loaded ones" \
		eval "! grep -q 'jails/j255\.ini: error: left out' '$SUPLOG'"
	sup_stop
	# 255 idle files and a running jail whose name sorts last; then one
	# more file sorting first: the running jail is not the one left out.
	sup_init
	i=0
	while [ $i -lt 255 ]; do
		n=$(printf 'k%03d' $i)
		printf '[jail]\nroot = %s\nautostart = no\nexec = /bin/probe sleep %s\n' \
			"$ROOTFS" "$n" >"$CONF/jails/$n.ini"
		i=$((i + 1))
	done
	simple zz "zz-$$"
	sup_start "limit: the supervisor starts with 256 files" || return
	await 10 state_is zz running
	zz=$(jfield zz pid)
	simple aa "aa-$$"
	bctl reload >/dev/null 2>&1
	expect_eq "limit: a 257th file: the running jail keeps its pid" "$zz running" \
		"$(jfield zz pid) $(jfield zz state)"
	check "limit: the new file is named as left out" \
		grep -q "jails/aa\.ini: error: left out: more than 256 jail files" "$SUPLOG"
	sup_stop
}

# Commands wait for their outcome (brig(8)): stop for stopped, start and
# restart for running or failed, printing it; --no-wait returns at once.
t_commands_wait() {
	sup_init
	X=$T/x-wait
	mkdir -p "$X"
	sjail slow <<-EOF
	[jail]
	root = $ROOTFS
	ready = fd:3
	autostart = no
	exec = /bin/sh -c 'while [ ! -e /tmp/x/go ]; do sleep 0.05; done; echo >&3; exec sleep 1000'
	[mounts]
	bind = $X:/tmp/x:rw
	EOF
	sjail bad <<-EOF
	[jail]
	root = $ROOTFS
	autostart = no
	exec = /bin/no-such-command
	[restart]
	policy = never
	EOF
	stubborn stub 1s
	sup_start "wait: the supervisor starts" || return
	await 10 log_has "stub: armed"
	bctl start slow >"$T/w.start" 2>&1 &
	spid=$!
	BGPIDS="$BGPIDS $spid"
	await 10 state_is slow starting
	check "wait: start waits while the jail is starting" alive "$spid"
	touch "$X/go"
	await 10 eval "! alive $spid"
	wait "$spid"
	rc=$?
	expect_eq "wait: start exits 0 once the jail is ready" "0 running" "$rc $(jfield slow state)"
	expect_eq "wait: ... and prints the outcome" "slow: running" "$(cat "$T/w.start")"
	bctl start bad >"$T/w.bad" 2>&1
	expect_eq "wait: a start that fails exits 1" "1 failed" "$? $(jfield bad state)"
	check "wait: ... saying so" grep -q "^bad: failed" "$T/w.bad"
	t0=$(now_ms)
	bctl stop stub >"$T/w.stop" 2>&1
	rc=$?
	ms=$(($(now_ms) - t0))
	expect_eq "wait: stop of a TERM-ignoring jail exits 0 when it is stopped" \
		"0 stopped" "$rc $(jfield stub state)"
	check "wait: ... after its stop_timeout (1 s; took $ms ms)" \
		eval "[ $ms -ge 900 ] && [ $ms -lt 10000 ]"
	expect_eq "wait: ... and says it was killed" \
		"stub: stopped (killed by SIGKILL after stop_timeout)" "$(cat "$T/w.stop")"
	bctl restart slow >"$T/w.restart" 2>&1
	expect_eq "wait: restart exits 0 once running again" "0 running" "$? $(jfield slow state)"
	bctl start stub >/dev/null 2>&1
	await 10 eval '[ "$(log_count "stub: armed")" = 2 ]'
	t0=$(now_ms)
	bctl stop stub --no-wait >"$T/w.nowait" 2>&1
	rc=$?
	ms=$(($(now_ms) - t0))
	expect_eq "wait: stop --no-wait returns at once, the jail stopping" "0 stopping" \
		"$rc $(jfield stub state)"
	check "wait: ... well before the stop_timeout ($ms ms)" [ "$ms" -lt 900 ]
	sup_stop
}

run_tests t_pause_during_stop t_hup_flood t_after_broken t_after_cycle_boot t_file_limit \
	t_commands_wait
