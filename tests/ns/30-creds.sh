#!/bin/sh
# brig run: what the service runs as. Capabilities and no_new_privs, user and
# groups, a clean environment, rlimits, umask, workdir, hostname.
# Tests are functions that run_tests calls by name.
# shellcheck disable=SC2317
. tests/lib.sh

# caps_are HEX: the probe's CapInh/Prm/Eff/Bnd/Amb all read HEX.
caps_are() {
	for s in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(field "$s")" = "$1" ] || return 1
	done
}

t_caps_kept_for_user() {
	jail capsvc <<-EOF
	[jail]
	root = $ROOTFS
	user = svc
	exec = /bin/probe caps

	[security]
	capabilities = cap_net_bind_service
	EOF
	brun capsvc
	expect_rc "capsvc: the jail runs" 0
	for s in CapBnd CapPrm CapEff CapAmb CapInh; do
		expect_line "capsvc: $s is exactly cap_net_bind_service" "$s 0000000000000400"
	done
	expect_line "capsvc: NoNewPrivs is 1" "NoNewPrivs 1"
}

t_caps_none_root() {
	jail capnone <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe caps
	EOF
	brun capnone
	expect_rc "capnone: the jail runs" 0
	check "capnone: root with the default (none) holds no capability in any set" \
		caps_are 0000000000000000
	expect_line "capnone: NoNewPrivs is 1 by default" "NoNewPrivs 1"
}

t_caps_several() {
	# cap_chown 0, cap_kill 5, cap_sys_admin 21: 1<<0 | 1<<5 | 1<<21
	jail capmany <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe caps

	[security]
	capabilities = cap_chown cap_kill cap_sys_admin
	EOF
	brun capmany
	expect_rc "capmany: the jail runs" 0
	expect_line "capmany: CapBnd holds exactly the three" "CapBnd 0000000000200021"
	expect_line "capmany: CapEff holds exactly the three" "CapEff 0000000000200021"
}

t_no_new_privs_off() {
	jail nnpoff <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe caps

	[security]
	no_new_privs = no
	EOF
	brun nnpoff
	expect_line "nnpoff: no_new_privs = no leaves NoNewPrivs 0" "NoNewPrivs 0"
}

t_user_by_name() {
	jail usvc <<-EOF
	[jail]
	root = $ROOTFS
	user = svc
	groups = extra
	exec = /bin/probe ids
	EOF
	brun usvc
	expect_rc "usvc: the jail runs" 0
	expect_line "usvc: user = svc gives uid 1000 (real, effective, saved)" "uid 1000 1000 1000"
	expect_line "usvc: and svc's gid 1000" "gid 1000 1000 1000"
	expect_line "usvc: groups = extra gives exactly 1001" "groups 1001"
}

t_user_by_number() {
	jail unum <<-EOF
	[jail]
	root = $ROOTFS
	user = 1234:1234
	exec = /bin/probe ids
	EOF
	brun unum
	expect_rc "unum: the jail runs" 0
	expect_line "unum: uid 1234" "uid 1234 1234 1234"
	expect_line "unum: gid 1234" "gid 1234 1234 1234"
	expect_line "unum: no supplementary groups" "groups"
}

t_user_default_root() {
	jail uroot <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe ids
	EOF
	brun uroot
	expect_line "uroot: the default user is uid 0" "uid 0 0 0"
	expect_line "uroot: gid 0" "gid 0 0 0"
	expect_line "uroot: no supplementary groups" "groups"
}

t_env_is_clean() {
	jail envc <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe env
	env = FOO=bar
	env = SPACED=a b  c
	EOF
	BRIG_LEAK_CHECK=host-value
	export BRIG_LEAK_CHECK
	brun envc
	unset BRIG_LEAK_CHECK
	expect_rc "env: the jail runs" 0
	got=$(sort "$OUT" | tr '\n' '|')
	expect_eq "env: exactly the configured variables plus PATH" \
		"FOO=bar|PATH=/usr/sbin:/usr/bin:/sbin:/bin|SPACED=a b  c|" "$got"
}

t_env_path_override() {
	jail envp <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe env
	env = PATH=/bin
	EOF
	brun envp
	got=$(sort "$OUT" | tr '\n' '|')
	expect_eq "env: a configured PATH replaces the default" "PATH=/bin|" "$got"
}

t_rlimits() {
	jail rlim <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "/bin/probe rlimit nofile; /bin/probe rlimit core; /bin/probe rlimit stack"

	[security]
	rlimit.nofile = 64:128
	rlimit.core = 0
	rlimit.stack = unlimited
	EOF
	brun rlim
	expect_rc "rlimit: the jail runs" 0
	expect_line "rlimit: nofile = 64:128" "nofile 64 128"
	# One value sets both, as systemd's LimitCORE= does.
	expect_line "rlimit: core = 0 sets soft and hard" "core 0 0"
	expect_line "rlimit: stack = unlimited" "stack unlimited unlimited"
}

t_umask() {
	jail umaskd <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe umask
	EOF
	jail umaskc <<-EOF
	[jail]
	root = $ROOTFS
	umask = 027
	exec = /bin/probe umask
	EOF
	# The caller's umask must not leak in.
	old=$(umask)
	umask 077
	brun umaskd
	expect_line "umask: the default is 0022 whatever the caller's" "umask 0022"
	brun umaskc
	expect_line "umask: umask = 027" "umask 0027"
	umask "$old"
}

t_workdir() {
	jail wdd <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe cwd
	EOF
	jail wdc <<-EOF
	[jail]
	root = $ROOTFS
	workdir = /etc
	exec = /bin/probe cwd
	EOF
	brun wdd
	expect_line "workdir: the default is /" "cwd /"
	cd /tmp || return
	brun wdc
	cd "$TOP" || return
	expect_line "workdir: workdir = /etc" "cwd /etc"
}

t_hostname() {
	jail hostd <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe hostname
	EOF
	jail hostc <<-EOF
	[jail]
	root = $ROOTFS
	hostname = configured-name
	exec = /bin/probe hostname
	EOF
	before=$(uname -n)
	brun hostd
	expect_line "hostname: the default is the jail name" "hostname hostd"
	brun hostc
	expect_line "hostname: hostname = configured-name" "hostname configured-name"
	expect_eq "hostname: the host's hostname is unchanged" "$before" "$(uname -n)"
}

run_tests t_caps_kept_for_user t_caps_none_root t_caps_several t_no_new_privs_off \
	t_user_by_name t_user_by_number t_user_default_root t_env_is_clean \
	t_env_path_override t_rlimits t_umask t_workdir t_hostname
