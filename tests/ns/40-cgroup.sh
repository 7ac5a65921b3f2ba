#!/bin/sh
# brig run: the jail's cgroup v2 subtree (membership, creation, removal) and
# what a jail that fails to start leaves behind: nothing. The host's cgroup2
# has no controllers here, so limits are tested in tests/qemu.
# Tests are functions that run_tests calls by name.
# shellcheck disable=SC2317
. tests/lib.sh

# cgroup_has_tag DIR TAG: some process in DIR's subtree has TAG in its argv.
cgroup_has_tag() {
	for p in $(cg_procs "$1"); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$2" && return 0
	done
	return 1
}

# has_jail_init DIR: a process of DIR's subtree is pid 1 of its namespace.
has_jail_init() {
	for p in $(cg_procs "$1"); do
		[ "$(awk '/^NSpid:/ { print $NF }' "/proc/$p/status" 2>/dev/null)" = 1 ] && return 0
	done
	return 1
}

# all_foreign DIR: every process of DIR's subtree is in another pid namespace.
all_foreign() {
	me=$(readlink /proc/self/ns/pid)
	# shellcheck disable=SC2046  # pids: split on purpose
	set -- $(cg_procs "$1")
	[ $# -gt 0 ] || return 1
	for p in "$@"; do
		[ "$(readlink "/proc/$p/ns/pid")" != "$me" ] || return 1
	done
}

t_membership() {
	tag=cgm-$$
	jail cgm <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "cat /proc/self/cgroup; exec /bin/probe sig $tag"
	EOF
	brun --bg cgm
	if ! await 10 has_line "$OUT" ready; then
		kill -TERM "$BGPID" 2>/dev/null
		wait_bg
		not_ok "cgm: the service starts" "$(last_run)"
		return
	fi
	check "cgm: the jail's cgroup <root>/cgm exists while it runs" test -d "$CGROOT/cgm"
	check "cgm: the service is in it (host view)" cgroup_has_tag "$CGROOT/cgm" "$tag"
	check "cgm: the jail's init (pid 1 inside) is in it" has_jail_init "$CGROOT/cgm"
	check "cgm: it holds only the jail's processes" all_foreign "$CGROOT/cgm"
	init=$(head -n 1 "$CGROOT/cgm/cgroup.procs" 2>/dev/null)
	line=$(grep '^0::' "$OUT")
	case "$line" in
	0::/*brig-test-*) not_ok "cgm: the cgroup namespace hides the host's path" "$line" ;;
	0::/*) ok "cgm: the cgroup namespace hides the host's path ($line)" ;;
	*) not_ok "cgm: the cgroup namespace hides the host's path" "no 0:: line" "$(last_run)" ;;
	esac
	kill -TERM "$BGPID"
	wait_bg
	expect_rc "cgm: TERM ends it with 143" 143
	check "cgm: its cgroup is removed once brig run exits" test ! -e "$CGROOT/cgm"
	check "cgm: the jail's init is gone" test -n "$init" -a ! -e "/proc/${init:-0}/stat"
}

t_path_without_cgroupns() {
	rel=${CGROOT#"$CG2"}
	jail cgpath <<-EOF
	[jail]
	root = $ROOTFS
	namespaces = pid mount uts ipc
	exec = /bin/cat /proc/self/cgroup
	EOF
	brun cgpath
	expect_rc "cgpath: the jail runs" 0
	line=$(grep '^0::' "$OUT")
	case "$line" in
	"0::$rel/cgpath" | "0::$rel/cgpath/"*)
		ok "cgpath: /proc/self/cgroup names <root>/cgpath ($line)" ;;
	*) not_ok "cgpath: /proc/self/cgroup names <root>/cgpath" \
		"expected 0::$rel/cgpath" "$(last_run)" ;;
	esac
	check "cgpath: the cgroup is removed after the run" test ! -e "$CGROOT/cgpath"
}

t_root_is_created() {
	jail cgnew <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 0
	EOF
	saved=$CGROOT
	CGROOT=$saved/fresh-root
	brun cgnew
	CGROOT=$saved
	expect_rc "cgnew: a missing --cgroup-root is created" 0
	check "cgnew: the jail's cgroup under it is removed" test ! -e "$CGROOT/fresh-root/cgnew"
	rmdir "$CGROOT/fresh-root" 2>/dev/null
}

# half_failed NAME RC LINE DESC: run jail NAME, which must fail with RC, and
# compare the mounts and cgroups before and after; brig runs in a tracking
# cgroup, so any process it leaves behind is found under $CGROOT.
half_failed() {
	mkdir -p "$CGROOT/_track"
	m0=$(mount_table)
	c0=$(find "$CGROOT" | sort)
	brun --tracked "$1"
	expect_rc "$1: $4 exits $2" "$2"
	if [ -n "$3" ]; then
		check "$1: the error names $1.ini:$3" grep -qF "$T/$1.ini:$3:" "$ERR"
	fi
	check "$1: the service never ran" test ! -s "$OUT"
	expect_eq "$1: no mount is left behind" "$m0" "$(mount_table)"
	expect_eq "$1: no cgroup is left behind" "$c0" "$(find "$CGROOT" | sort)"
	left=$(cg_procs "$CGROOT")
	if [ -z "$left" ]; then
		ok "$1: no process of the jail (or of brig) survives"
	else
		not_ok "$1: no process of the jail (or of brig) survives" \
			"$(for p in $left; do echo "$p: $(tr '\0' ' ' <"/proc/$p/cmdline")"; done)"
		echo 1 >"$CGROOT/cgroup.kill"
	fi
	rmdir "$CGROOT/_track" 2>/dev/null
}

t_setup_fails_halfway() {
	mkdir -p "$T/present"
	jail halfbind <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe write /data/ran

	[mounts]
	tmpfs = /data
	bind = $T/present:/mnt:ro
	bind = $T/missing-source:/data/x
	EOF
	half_failed halfbind 125 8 "a bind with a missing source (the last mount)"

	jail halfuser <<-EOF
	[jail]
	root = $ROOTFS
	user = no-such-user
	exec = /bin/probe write /tmp/ran
	EOF
	half_failed halfuser 125 3 "a user missing from the jail's passwd"

	jail halfexec <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/no-such-command
	EOF
	half_failed halfexec 127 "" "a missing command"
}

# /sys/fs/cgroup is the jail's own cgroup (a read-only bind of it), with
# or without a cgroup namespace: its processes, nothing of the host's.
t_own_view() {
	for ns in "pid mount uts ipc cgroup" "pid mount uts ipc"; do
		jail cgview <<-EOF
		[jail]
		root = $ROOTFS
		namespaces = $ns
		exec = /bin/sh -c "cat /sys/fs/cgroup/cgroup.procs >/tmp/p; tr '\\n' ' ' </tmp/p; echo; ls /sys/fs/cgroup | grep -c brig-test; exit 0"
		EOF
		brun cgview
		# pid 1 (the jail init), the shell, cat: the jail's pids, all of them.
		expect_eq "cgview ($ns): /sys/fs/cgroup/cgroup.procs holds the jail's processes" \
			"1 2 3 " "$(sed -n 1p "$OUT")"
		expect_eq "cgview ($ns): ... and no cgroup of the host" 0 "$(sed -n 2p "$OUT")"
	done
}

run_tests t_membership t_path_without_cgroupns t_root_is_created t_setup_fails_halfway t_own_view
