#!/bin/sh
# Escape suite: from inside a default jail, as uid 0 with no capabilities,
# every way out must fail with the kernel's refusal (an errno), and every
# attempt has a NEGATIVE CONTROL: the same probe where the protection is
# absent (on the host, in a plain chroot, or in a jail given the capability)
# must succeed, so a pass is never vacuous.
# Tests are functions that run_tests calls by name.
# shellcheck disable=SC2317
. tests/lib.sh

# Every attempt runs `probe escape WHAT ...` and reads its "escape WHAT X".
esc_result() {
	sed -n "s/^escape $1 //p" "$OUT" | head -n 1
}

# escape_in JAIL WHAT ARG...: run the probe attempt in jail JAIL; the
# result word in R. (No command substitution: brun's RC/OUT must survive
# for the failure report.)
escape_in() {
	j=$1
	shift
	brun "$j" -- "${JPROBE:-/bin/probe}" escape "$@"
	R=$(esc_result "$1")
}

# escape_host WHAT ARG...: the same attempt straight on the host.
escape_host() {
	OUT=$T/host.out
	ERR=$T/host.err
	LAST=
	"$PROBE" escape "$@" >"$OUT" 2>"$ERR"
	R=$(esc_result "$1")
}

prepare() {
	# A host-only file, named by its path from the host's root.
	echo marker >"$T/marker"
	MARK=${T#/}/marker
	sleep 1000 >/dev/null 2>&1 &
	SLEEPER=$!
	BGPIDS="$BGPIDS $SLEEPER"
	mkdir -p "$T/robind"
	jail esc <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 99

	[mounts]
	bind = $T/robind:/mnt:ro
	EOF
	jail escadm <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 99

	[mounts]
	bind = $T/robind:/mnt:ro

	[security]
	capabilities = cap_sys_admin cap_sys_chroot cap_mknod cap_sys_module
	# The controls show what the capabilities alone would allow.
	seccomp = none
	EOF
}

t_signal_host_process() {
	escape_in esc kill "$SLEEPER" TERM
	expect_eq "kill: a host process cannot be signalled from the jail (ESRCH)" \
		ESRCH "$R"
	check "kill: the host process is still alive" alive "$SLEEPER"
	escape_host kill "$SLEEPER" 0
	expect_eq "kill: control: the same probe on the host reaches it" \
		ESCAPED "$R"
	brun esc -- /bin/probe procs
	case " $(field procs) " in
	"  ") not_ok "kill: the host pid is not in the jail's /proc" "$(last_run)" ;;
	*" $SLEEPER "*) not_ok "kill: the host pid is not in the jail's /proc" "$(last_run)" ;;
	*) ok "kill: the host pid is not in the jail's /proc" ;;
	esac
}

t_dotdot() {
	escape_in esc dotdot "$MARK"
	expect_eq "dotdot: climbing .. from / stays in the jail (ENOENT)" \
		ENOENT "$R"
	escape_host dotdot "$MARK"
	expect_eq "dotdot: control: on the host the marker is found that way" \
		ESCAPED "$R"
}

t_proc1_root() {
	escape_in esc procroot 1 "$MARK"
	expect_one_of "procroot: /proc/1/root (the jail init's root) leads nowhere outside" \
		"$R" ENOENT EACCES
	escape_host procroot "$SLEEPER" "$MARK"
	expect_eq "procroot: control: on the host /proc/PID/root reaches the marker" \
		ESCAPED "$R"
}

t_no_inherited_fds() {
	# brig run is started with fd 3 on the host's / and fd 4 on the marker;
	# neither may reach the service.
	LAST=esc
	OUT=$T/esc.out
	ERR=$T/esc.err
	timeout 30 "$BRIG" run --cgroup-root "$CGROOT" "$T/esc.ini" -- /bin/probe fds \
		>"$OUT" 2>"$ERR" </dev/null 3</ 4<"$T/marker"
	RC=$?
	expect_line "fds: only 0, 1 and 2 are open in the service" "fds 0 1 2"
	timeout 30 "$BRIG" run --cgroup-root "$CGROOT" "$T/esc.ini" -- /bin/probe escape fds "$MARK" \
		>"$OUT" 2>"$ERR" </dev/null 3</ 4<"$T/marker"
	RC=$?
	expect_eq "fds: no inherited fd leads out (EBADF: none open)" EBADF "$(esc_result fds)"
	OUT=$T/host.out
	"$PROBE" escape fds "$MARK" >"$OUT" 2>/dev/null 3</
	expect_eq "fds: control: on the host an open fd on / leads to the marker" \
		ESCAPED "$(esc_result fds)"
}

t_chroot() {
	escape_in esc chroot "$MARK"
	expect_eq "chroot: the chroot-and-climb trick is refused (EPERM)" \
		EPERM "$R"
	escape_in escadm chroot "$MARK"
	expect_eq "chroot: with cap_sys_chroot it runs but stays in the jail (ENOENT)" \
		ENOENT "$R"
	# Control: against a plain chroot(8) of a copy of the rootfs, the very
	# same trick gets out.
	[ -d "$T/chrootfs" ] || cp -a "$ROOTFS" "$T/chrootfs"
	OUT=$T/host.out
	LAST=
	chroot "$T/chrootfs" /bin/probe escape chroot "$MARK" >"$OUT" 2>&1
	expect_eq "chroot: control: the trick escapes a plain chroot" ESCAPED "$(esc_result chroot)"
}

t_remount() {
	escape_in esc remount /mnt
	expect_eq "remount: a ro bind cannot be remounted rw (EPERM)" \
		EPERM "$R"
	escape_in esc remount /
	expect_eq "remount: the root cannot be remounted rw (EPERM)" \
		EPERM "$R"
	escape_in escadm remount /mnt
	expect_eq "remount: control: with cap_sys_admin the remount succeeds" \
		ESCAPED "$R"
	check "remount: the host dir behind the bind is untouched" test -z "$(ls -A "$T/robind")"
}

t_mount() {
	escape_in esc mount /tmp
	expect_eq "mount: mounting a tmpfs is refused (EPERM)" \
		EPERM "$R"
	escape_in escadm mount /tmp
	expect_eq "mount: control: with cap_sys_admin it succeeds" \
		ESCAPED "$R"
}

t_module() {
	escape_host module
	if [ "$R" = ENOSYS ]; then
		skip "module: loading a module is refused" "kernel has no module support (ENOSYS on the host)"
		skip "module: control: with cap_sys_module the permission check passes" \
			"kernel has no module support"
		return
	fi
	escape_in esc module
	expect_eq "module: init_module and finit_module are refused (EPERM)" \
		EPERM "$R"
	escape_in escadm module
	if [ -n "$R" ] && [ "$R" != EPERM ]; then
		ok "module: control: with cap_sys_module the permission check passes ($R)"
	else
		not_ok "module: control: with cap_sys_module the permission check passes" "$(last_run)"
	fi
}

t_mknod() {
	escape_in esc mknod /tmp/null2
	expect_eq "mknod: creating a device node is refused (EPERM)" \
		EPERM "$R"
	escape_in escadm mknod /tmp/null2
	expect_eq "mknod: control: with cap_mknod it succeeds" \
		ESCAPED "$R"
}

t_capset() {
	# 21 is CAP_SYS_ADMIN.
	escape_in esc capset 21
	expect_eq "capset: a dropped capability cannot be raised (EPERM)" \
		EPERM "$R"
	escape_in escadm capset 21
	expect_eq "capset: control: a kept one can be raised again" \
		ESCAPED "$R"
}

t_setns() {
	escape_in esc setns "$SLEEPER"
	expect_eq "setns: the host's namespaces are not reachable via /proc (ENOENT)" \
		ENOENT "$R"
	escape_in esc setns 1
	expect_one_of "setns: the jail init's namespace files cannot be used" \
		"$R" EACCES EPERM
	escape_in esc setns self
	expect_eq "setns: setns itself is refused (EPERM)" EPERM "$R"
	escape_in escadm setns self
	expect_eq "setns: control: with cap_sys_admin and cap_sys_chroot setns succeeds" \
		ESCAPED "$R"
	escape_host setns "$SLEEPER"
	expect_eq "setns: control: on the host the same probe enters them" \
		ESCAPED "$R"
}

t_cgroup_files() {
	# The host's tree as root, so the cgroup2 mount is in view.
	# The probe is bound in at its own path: a checkout under /tmp would be
	# hidden by the jail's private /tmp, where brig creates the target.
	jail cgw <<-EOF
	[jail]
	exec = $PROBE exit 99
	[mounts]
	bind = $(dirname "$PROBE"):$(dirname "$PROBE")
	EOF
	# Out of the jail's cgroup (to the parent, to the host's root), and
	# the jail's own limits.
	for f in "$CGROOT/cgroup.procs 0" "$CG2/cgroup.procs 0" \
		"$CGROOT/cgw/cgroup.max.descendants 5" "$CGROOT/cgw/cgroup.max.depth 1"; do
		# shellcheck disable=SC2086  # path and value: split on purpose
		set -- $f
		JPROBE=$PROBE
		escape_in cgw cgroup "$1" "$2"
		JPROBE=
		expect_one_of "cgroup: writing ${1#"$CG2"/} from the jail fails" \
			"$R" EROFS EPERM EACCES ENOENT
	done
	mkdir -p "$CGROOT/ctl"
	escape_host cgroup "$CGROOT/ctl/cgroup.max.descendants" 5
	expect_eq "cgroup: control: the same write works on the host" \
		ESCAPED "$R"
	rmdir "$CGROOT/ctl"
}

SUITE_SETUP=prepare
run_tests t_signal_host_process t_dotdot t_proc1_root t_no_inherited_fds t_chroot \
	t_remount t_mount t_module t_mknod t_capset t_setns t_cgroup_files
