#!/bin/sh
# brig reload and SIGHUP (brig(8)): new files start, removed files stop and
# leave status, changed files restart, unchanged jails keep their process, a
# broken file keeps its jail running with the old config and is reported
# with its file:line.
# Tests are functions that run_tests calls by name.
# SC2016, SC2034: eval and await take single-quoted code, using variables
# set here, to run later, on purpose.
# shellcheck disable=SC2317,SC2016,SC2034
. tests/lib.sh

simple() {
	sjail_sleep "$@"
}

in_table() {
	bctl status 2>/dev/null | sed 1d | awk '{ print $1 }' | grep -qx "$1"
}

t_reload() {
	sup_init
	for j in keep chg gone brk; do
		simple "$j" "$j-$$"
	done
	sup_start "reload: the supervisor starts" || return
	for j in keep chg gone brk; do
		await 10 state_is "$j" running
	done
	keep=$(jfield keep pid)
	chg=$(jfield chg pid)
	gone=$(jfield gone pid)
	brk=$(jfield brk pid)
	check "reload: four jails run" eval '[ -n "$keep$chg$gone$brk" ] && state_is brk running'
	# keep: the same bytes, a new mtime. chg: a new command. gone: removed.
	# brk: an unknown key on line 4. new: a new file. off: autostart = no.
	touch "$CONF/jails/keep.ini"
	simple chg "chg-new-$$"
	rm "$CONF/jails/gone.ini"
	printf '[jail]\nroot = %s\nexec = /bin/probe sleep brk-new-%s\nbogus_key = 1\n' \
		"$ROOTFS" "$$" >"$CONF/jails/brk.ini"
	simple new "new-$$"
	sjail off <<-EOF
	[jail]
	root = $ROOTFS
	autostart = no
	exec = /bin/probe sleep off-$$
	EOF
	sjail late <<-EOF
	[jail]
	root = $ROOTFS
	after = keep
	exec = /bin/probe sleep late-$$
	EOF
	bctl reload >"$T/reload.out" 2>&1
	echo "brig reload exited $?" >>"$T/reload.out"
	await 10 state_is new running
	check "reload: a new file starts" state_is new running
	await 10 state_is late running
	check "reload: a new file naming a running jail in after starts" state_is late running
	await 10 eval "! in_table gone"
	check "reload: a removed file's jail leaves the table" eval "! in_table gone"
	bctl status gone >/dev/null 2>&1
	rc=$?
	check "reload: ... and status NAME knows it no more (exit $rc)" [ "$rc" != 0 ]
	check "reload: ... its process is gone" eval "! alive $gone"
	await 10 eval "[ ! -e '$CGROOT/gone' ]"
	check "reload: ... and so is its cgroup" [ ! -e "$CGROOT/gone" ]
	await 10 eval '[ "$(jfield chg pid)" != "$chg" ] && state_is chg running'
	check "reload: a changed file restarts its jail (pid $chg -> $(jfield chg pid))" \
		eval '[ "$(jfield chg pid)" != "$chg" ] && state_is chg running'
	check "reload: ... running the new command" \
		cgroup_has_tag "$CGROOT/chg" "chg-new-$$"
	expect_eq "reload: an unchanged file (touched) keeps its jail" "$keep running" \
		"$(jfield keep pid) $(jfield keep state)"
	expect_eq "reload: a broken file keeps its jail running, same pid" "$brk running" \
		"$(jfield brk pid) $(jfield brk state)"
	check "reload: ... with its old command" cgroup_has_tag "$CGROOT/brk" "brk-$$"
	check "reload: ... and the console names brk.ini:4" \
		grep -q "brk\.ini:4: " "$SUPLOG"
	check "reload: autostart = no: loaded, not started" state_is off stopped
	# SIGHUP: the fixed file counts as changed now.
	simple brk "brk-fixed-$$"
	kill -HUP "$SUPPID"
	await 10 eval '[ "$(jfield brk pid)" != "$brk" ] && state_is brk running'
	check "SIGHUP: reloads; the fixed file restarts its jail" \
		eval '[ "$(jfield brk pid)" != "$brk" ] && state_is brk running'
	check "SIGHUP: ... running the fixed command" cgroup_has_tag "$CGROOT/brk" "brk-fixed-$$"
	expect_eq "SIGHUP: the unchanged jail still keeps its pid" "$keep running" \
		"$(jfield keep pid) $(jfield keep state)"
	check "SIGHUP: the supervisor is alive" alive "$SUPPID"
	sup_stop
	expect_eq "reload: the supervisor exits 0 on TERM" 0 "$SUPRC"
}

# A reload that changes a dependency restarts it; its dependent goes down
# first and comes back after it (a restart of a dependency restarts the
# jails that name it: README, "Supervisor: decisions").
t_reload_dependency() {
	sup_init
	simple base "base-$$"
	sjail top <<-EOF
	[jail]
	root = $ROOTFS
	after = base
	exec = /bin/probe sleep top-$$
	EOF
	sup_start "reload-dep: the supervisor starts" || return
	await 10 state_is top running
	base=$(jfield base pid)
	top=$(jfield top pid)
	simple base "base-new-$$"
	bctl reload >/dev/null 2>&1
	expect_eq "reload-dep: brig reload exits 0" 0 "$?"
	await 10 eval '[ "$(jfield base pid)" != "$base" ] && state_is base running'
	check "reload-dep: the changed dependency restarts" \
		eval '[ "$(jfield base pid)" != "$base" ] && state_is base running'
	await 10 eval '[ "$(jfield top pid)" != "$top" ] && state_is top running'
	check "reload-dep: its dependent restarts too (pid $top -> $(jfield top pid))" \
		eval '[ "$(jfield top pid)" != "$top" ] && state_is top running'
	check "reload-dep: the dependent stopped before its dependency" \
		before "brig: top: stopped" "brig: base: stopped"
	check "reload-dep: the dependency was ready before the dependent started again" \
		eval '[ "$(grep -n "^brig: base: ready" "$SUPLOG" | tail -n 1 | cut -d: -f1)" -lt \
			"$(grep -n "^brig: top: started" "$SUPLOG" | tail -n 1 | cut -d: -f1)" ]'
	sup_stop
}

# b_after_a: b.ini gains "after = a" (on line 3).
b_after_a() {
	sjail b <<-EOF
	[jail]
	root = $ROOTFS
	after = a
	exec = /bin/probe sleep b-$$
	EOF
}

# cycle_start DESC: a (after b, ignores TERM, stop_timeout = 1s) and b run;
# their pids in $a and $b.
cycle_start() {
	sup_init
	sjail_stubborn a 1s b
	simple b "b-$$"
	sup_start "$1: the supervisor starts" || return 1
	await 10 log_has "a: armed"
	await 10 state_is a running
	a=$(jfield a pid)
	b=$(jfield b pid)
}

# The reproduction of a crash: a (after b, ignores TERM) and b run; b.ini
# gains "after = a", which closes a cycle. The reload must reject b.ini
# (reported at its after line), keep both jails running as they were, and
# a stop and a shutdown must then complete.
t_reload_cycle() {
	cycle_start cycle || return
	check "cycle: a and b run" eval '[ -n "$a" ] && [ -n "$b" ] && state_is b running'
	b_after_a
	kill -HUP "$SUPPID"
	await 10 grep -q "b\.ini:3: error: after: dependency cycle" "$SUPLOG"
	check "cycle: the reload reports the cycle at b.ini:3" \
		grep -q "b\.ini:3: error: after: dependency cycle a -> b -> a" "$SUPLOG"
	check "cycle: ... and does not apply the file" \
		eval "! grep -q 'jail b: config changed' '$SUPLOG'"
	expect_eq "cycle: a keeps running, same pid" "$a running" "$(jfield a pid) $(jfield a state)"
	expect_eq "cycle: b keeps running, same pid" "$b running" "$(jfield b pid) $(jfield b state)"
	t0=$(now_ms)
	bctl stop a >"$T/cyc.stop" 2>&1
	rc=$?
	ms=$(($(now_ms) - t0))
	check "cycle: the supervisor survives brig stop a" alive "$SUPPID"
	expect_eq "cycle: brig stop a exits 0" 0 "$rc"
	check "cycle: ... once a is stopped ($ms ms)" state_is a stopped
	expect_eq "cycle: b still runs" "$b running" "$(jfield b pid) $(jfield b state)"
	sup_stop
	expect_eq "cycle: then TERM stops the supervisor, exit 0" 0 "$SUPRC"
	check "cycle: b was stopped" log_has "brig: b: stopped (killed by SIGTERM)"
}

# The same through a mix of old and new: a.ini gets a typo (it is broken,
# so a keeps its old config, after = b) while b.ini gains after = a.
# brig check sees no cycle; the graph the reload would run has one.
t_reload_cycle_mixed() {
	cycle_start cycle-mix || return
	sjail a <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep a-$$
	bogus = 1
	EOF
	b_after_a
	"$BRIG" check "$CONF" >"$T/mix.check" 2>&1
	check "cycle-mix: brig check reports the typo" grep -q "a\.ini:4: error: " "$T/mix.check"
	check "cycle-mix: ... and no cycle" eval "! grep -q cycle '$T/mix.check'"
	bctl reload >"$T/mix.reload" 2>&1
	expect_eq "cycle-mix: brig reload exits 1 (files with errors)" 1 "$?"
	check "cycle-mix: the reload reports the cycle of the mix at b.ini:3" \
		grep -q "b\.ini:3: error: after: dependency cycle" "$SUPLOG"
	expect_eq "cycle-mix: a keeps running, same pid" "$a running" "$(jfield a pid) $(jfield a state)"
	expect_eq "cycle-mix: b keeps running, same pid" "$b running" "$(jfield b pid) $(jfield b state)"
	t0=$(now_ms)
	sup_stop
	ms=$(($(now_ms) - t0))
	expect_eq "cycle-mix: TERM stops the supervisor, exit 0" 0 "$SUPRC"
	check "cycle-mix: ... within 10 s ($ms ms)" [ "$ms" -lt 10000 ]
	check "cycle-mix: a ignored TERM and was killed" \
		log_has "brig: a: stopped (killed by SIGKILL after stop_timeout)"
}

# cgroup_has_tag DIR TAG: some process in DIR's subtree has TAG in its argv.
cgroup_has_tag() {
	for p in $(cg_procs "$1"); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$2" && return 0
	done
	return 1
}

# A removed jail's old config must not come back through a broken file:
# a (after b, ignores TERM) is removed and still stopping when its file
# returns broken; meanwhile c (broken, kept config after = a) and b (now
# after = c) were each fine without a. Taking a's old config again would
# run the cycle a -> b -> c -> a (found by the core fuzzer).
t_reload_removed_returns_broken() {
	sup_init
	sjail_stubborn a 3s b
	simple b "b-$$"
	sjail c <<-EOF
	[jail]
	root = $ROOTFS
	after = a
	exec = /bin/probe sleep c-$$
	EOF
	sup_start "removed-broken: the supervisor starts" || return
	await 10 state_is c running
	printf '[jail]\nroot = %s\nafter = a\nexec = /bin/probe sleep c-$$\nbogus = 1\n' \
		"$ROOTFS" >"$CONF/jails/c.ini"
	bctl reload >/dev/null 2>&1
	rm "$CONF/jails/a.ini"
	bctl reload >/dev/null 2>&1
	await 10 state_is a stopping
	check "removed-broken: a is removed and still stopping" state_is a stopping
	sjail b <<-EOF
	[jail]
	root = $ROOTFS
	after = c
	exec = /bin/probe sleep b2-$$
	EOF
	bctl reload >/dev/null 2>&1
	printf '[jail]\nroot = %s\nafter = b\nexec = /bin/true\nbogus = 1\n' \
		"$ROOTFS" >"$CONF/jails/a.ini"
	bctl reload >"$T/rb.reload" 2>&1
	check "removed-broken: the reload reports a.ini's error" grep -q "a\.ini:5: error: " "$SUPLOG"
	check "removed-broken: no dependency cycle comes of a's old config" \
		eval "! grep -q 'dependency cycle' '$SUPLOG'"
	await 10 eval "! in_table a"
	check "removed-broken: a ends its stop and leaves the table" eval "! in_table a"
	check "removed-broken: b waits for c" \
		eval 'bctl status b | grep -q "waiting for c"'
	sup_stop
	expect_eq "removed-broken: TERM then stops the supervisor, exit 0" 0 "$SUPRC"
}

run_tests t_reload t_reload_dependency t_reload_cycle t_reload_cycle_mixed t_reload_removed_returns_broken
