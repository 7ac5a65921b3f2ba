#!/bin/sh
# brig reload and SIGHUP (brig(8)): new files start, removed files stop and
# leave status, changed files restart, unchanged jails keep their process, a
# broken file keeps its jail running with the old config and is reported
# with its file:line.
# Tests are functions that run_tests calls by name.
# SC2016, SC2034: eval and spoll take single-quoted code, using variables
# set here, to run later, on purpose.
# shellcheck disable=SC2317,SC2016,SC2034
. tests/lib.sh

# simple NAME TAG: a jail file running a sleeping probe tagged TAG.
simple() {
	sjail "$1" <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep $2
	EOF
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
		spoll 10 state_is "$j" running
	done
	keep=$(jfield keep pid)
	chg=$(jfield chg pid)
	gone=$(jfield gone pid)
	brk=$(jfield brk pid)
	scheck "reload: four jails run" eval '[ -n "$keep$chg$gone$brk" ] && state_is brk running'
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
	spoll 10 state_is new running
	scheck "reload: a new file starts" state_is new running
	spoll 10 state_is late running
	scheck "reload: a new file naming a running jail in after starts" state_is late running
	spoll 10 eval "! in_table gone"
	scheck "reload: a removed file's jail leaves the table" eval "! in_table gone"
	bctl status gone >/dev/null 2>&1
	rc=$?
	scheck "reload: ... and status NAME knows it no more (exit $rc)" [ "$rc" != 0 ]
	scheck "reload: ... its process is gone" eval "! alive $gone"
	spoll 10 eval "[ ! -e '$CGROOT/gone' ]"
	scheck "reload: ... and so is its cgroup" [ ! -e "$CGROOT/gone" ]
	spoll 10 eval '[ "$(jfield chg pid)" != "$chg" ] && state_is chg running'
	scheck "reload: a changed file restarts its jail (pid $chg -> $(jfield chg pid))" \
		eval '[ "$(jfield chg pid)" != "$chg" ] && state_is chg running'
	scheck "reload: ... running the new command" \
		cgroup_has_tag "$CGROOT/chg" "chg-new-$$"
	expect_eq "reload: an unchanged file (touched) keeps its jail" "$keep running" \
		"$(jfield keep pid) $(jfield keep state)"
	expect_eq "reload: a broken file keeps its jail running, same pid" "$brk running" \
		"$(jfield brk pid) $(jfield brk state)"
	scheck "reload: ... with its old command" cgroup_has_tag "$CGROOT/brk" "brk-$$"
	scheck "reload: ... and the console names brk.ini:4" \
		grep -q "brk\.ini:4: " "$SUPLOG"
	scheck "reload: autostart = no: loaded, not started" state_is off stopped
	# SIGHUP: the fixed file counts as changed now.
	simple brk "brk-fixed-$$"
	kill -HUP "$SUPPID"
	spoll 10 eval '[ "$(jfield brk pid)" != "$brk" ] && state_is brk running'
	scheck "SIGHUP: reloads; the fixed file restarts its jail" \
		eval '[ "$(jfield brk pid)" != "$brk" ] && state_is brk running'
	scheck "SIGHUP: ... running the fixed command" cgroup_has_tag "$CGROOT/brk" "brk-fixed-$$"
	expect_eq "SIGHUP: the unchanged jail still keeps its pid" "$keep running" \
		"$(jfield keep pid) $(jfield keep state)"
	scheck "SIGHUP: the supervisor is alive" alive "$SUPPID"
	sup_stop
	expect_eq "reload: the supervisor exits 0 on TERM" 0 "$SUPRC"
}

# A reload that changes a dependency restarts it; its dependent goes down
# first and comes back after it.
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
	spoll 10 state_is top running
	base=$(jfield base pid)
	top=$(jfield top pid)
	simple base "base-new-$$"
	bctl reload >/dev/null 2>&1
	expect_eq "reload-dep: brig reload exits 0" 0 "$?"
	spoll 10 eval '[ "$(jfield base pid)" != "$base" ] && state_is base running'
	scheck "reload-dep: the changed dependency restarts" \
		eval '[ "$(jfield base pid)" != "$base" ] && state_is base running'
	spoll 10 state_is top running
	scheck "reload-dep: its dependent runs afterwards" state_is top running
	if [ "$(jfield top pid)" != "$top" ]; then
		scheck "reload-dep: the dependent stopped before its dependency" \
			before "brig: top: killed by SIGTERM" "brig: base: killed by SIGTERM"
	else
		ok "reload-dep: the dependent was left running"
	fi
	sup_stop
}

# cgroup_has_tag DIR TAG: some process in DIR's subtree has TAG in its argv.
cgroup_has_tag() {
	for p in $(cg_procs "$1"); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$2" && return 0
	done
	return 1
}

run_tests t_reload t_reload_dependency
