#!/bin/sh
# brig run: the optional namespaces. net gives a loopback-only network, user
# maps ids through uid_map/gid_map; pid and mount cannot be removed.
# Tests are functions that run_tests calls by name.
# shellcheck disable=SC2317
. tests/lib.sh

t_net_loopback_only() {
	jail netns <<-EOF
	[jail]
	root = $ROOTFS
	namespaces = pid mount uts ipc cgroup net
	exec = /bin/probe net
	EOF
	brun netns
	expect_rc "net: the jail runs" 0
	expect_eq "net: the only interface is lo, and it is up" "if lo up" "$(cat "$OUT")"
}

t_net_host_by_default() {
	jail nethost <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe net
	EOF
	brun nethost
	host=$("$PROBE" net)
	expect_eq "net: without net the jail sees the host's interfaces" "$host" "$(cat "$OUT")"
}

uid_map_of() {
	grep -v '^cap\|^uid \|^gid \|^groups' "$1" | awk '{ print $1, $2, $3 }'
}

t_user_namespace() {
	jail userns <<-EOF
	[jail]
	root = $ROOTFS
	namespaces = pid mount uts ipc cgroup user
	exec = /bin/sh -c "cat /proc/self/uid_map; /bin/probe ids"
	EOF
	brun userns
	expect_rc "userns: the jail runs" 0
	expect_eq "userns: the default uid_map is 0 100000 65536" \
		"0 100000 65536" "$(uid_map_of "$OUT")"
	expect_line "userns: the service is uid 0 inside" "uid 0 0 0"
}

t_user_namespace_map() {
	jail usermap <<-EOF
	[jail]
	root = $ROOTFS
	namespaces = pid mount uts ipc cgroup user
	exec = /bin/sh -c "cat /proc/self/uid_map /proc/self/gid_map; /bin/probe ids"
	user = 1000:1000

	[security]
	uid_map = 0 200000 2000
	gid_map = 0 300000 2000
	EOF
	brun usermap
	expect_rc "usermap: the jail runs" 0
	expect_eq "usermap: uid_map and gid_map are the configured ones" \
		"0 200000 2000|0 300000 2000|" "$(uid_map_of "$OUT" | tr '\n' '|')"
	expect_line "usermap: user = 1000 inside" "uid 1000 1000 1000"
	tag=usermap-$$
	jail usermap2 <<-EOF
	[jail]
	root = $ROOTFS
	namespaces = pid mount uts ipc cgroup user
	user = 1000:1000
	exec = /bin/probe sig $tag

	[security]
	uid_map = 0 200000 2000
	gid_map = 0 300000 2000
	EOF
	brun --bg usermap2
	if await 10 has_line "$OUT" ready; then
		hostuid=
		for p in $(cg_procs "$CGROOT/usermap2"); do
			if tr '\0' ' ' <"/proc/$p/cmdline" | grep -qF "$tag"; then
				hostuid=$(awk '/^Uid:/ { print $2 }' "/proc/$p/status")
			fi
		done
		expect_eq "usermap: uid 1000 inside is uid 201000 on the host" 201000 "$hostuid"
		kill -TERM "$BGPID"
	else
		not_ok "usermap: the service starts" "$(last_run)"
	fi
	wait_bg
}

t_pid_mount_required() {
	jail nopid <<-EOF
	[jail]
	root = $ROOTFS
	namespaces = mount uts ipc
	exec = /bin/probe exit 0
	EOF
	brun nopid
	expect_rc "nopid: namespaces without pid is a config error (125)" 125
	check "nopid: the error names nopid.ini:3" grep -qF "$T/nopid.ini:3:" "$ERR"
	jail nomnt <<-EOF
	[jail]
	root = $ROOTFS
	namespaces = pid uts ipc
	exec = /bin/probe exit 0
	EOF
	brun nomnt
	expect_rc "nomnt: namespaces without mount is a config error (125)" 125
}

t_ipc_uts_private() {
	jail ipcns <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "for n in ipc uts cgroup mnt; do readlink /proc/self/ns/\$n; done"
	EOF
	brun ipcns
	expect_rc "ipcns: the jail runs" 0
	expect_eq "ipcns: four namespace links were read" 4 "$(grep -c ':\[' "$OUT")"
	for ns in ipc uts cgroup mnt; do
		host=$(readlink "/proc/self/ns/$ns")
		check "ipcns: the $ns namespace is not the host's" sh -c "! grep -qxF '$host' '$OUT'"
	done
}

run_tests t_net_loopback_only t_net_host_by_default t_user_namespace t_user_namespace_map \
	t_pid_mount_required t_ipc_uts_private
