#!/bin/sh
# Escape suite: from inside a default jail, as uid 0 with no capabilities,
# every way out must fail with the kernel's refusal (an errno), and every
# attempt has a NEGATIVE CONTROL: the same probe where the protection is
# absent (on the host, in a plain chroot, in a jail given the capability, or
# with the mechanism brig closes shown working) must succeed, so a pass is
# never vacuous. A control never changes the host: a sysctl is opened for
# writing and given back the value it holds, sysrq-trigger is only opened.
# The attempts on what a jail reaches of the supervisor (terminals, fds,
# memory, keyrings, the notify socket, bind sources) are at the end.
# Tests are functions that run_tests calls by name.
# shellcheck disable=SC2317
. tests/lib.sh

# Every attempt runs `probe escape WHAT ...` and reads its "escape WHAT X".
esc_result() {
	sed -n "s/^.*escape $1 \([A-Z0-9]*\).*/\1/p" "$OUT" | head -n 1
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
	# The keyring attempt without the filter, which refuses keyctl anyway.
	jail esckey <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 99

	[security]
	seccomp = none
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

# ---- /proc: host-wide settings and what the kernel shows of itself ----

# A sysctl the jail must not change, each on its own: the host can write it
# (write back its value), a default jail cannot even open it for writing.
t_sysctl_writes() {
	for sc in kernel/core_pattern kernel/modprobe kernel/randomize_va_space \
		vm/overcommit_memory dev/tty/legacy_tiocsti kernel/perf_event_paranoid \
		fs/protected_symlinks; do
		if [ ! -e "/proc/sys/$sc" ]; then
			skip "sysctl $sc: the jail cannot write it" "not in this kernel"
			continue
		fi
		escape_host sysctl "/proc/sys/$sc"
		if [ "$R" != ESCAPED ]; then
			not_ok "sysctl $sc: control: the host writes its value back" "$(cat "$OUT" "$ERR")"
			continue
		fi
		escape_in esc sysctl "/proc/sys/$sc"
		expect_eq "sysctl $sc: the jail cannot open it for writing (EROFS; host: written)" \
			EROFS "$R"
	done
}

# With a network namespace of its own, the jail's /proc/sys/net is its own
# and stays writable: the negative control of the same attempt in a jail
# on the host's network.
t_sysctl_net() {
	jail netown <<-EOF
	[jail]
	root = $ROOTFS
	namespaces = pid mount uts ipc cgroup net
	exec = /bin/probe exit 99
	[security]
	capabilities = cap_net_admin
	EOF
	escape_in netown sysctl /proc/sys/net/ipv4/ip_forward
	expect_eq "sysctl net: control: a jail's own /proc/sys/net takes a write" ESCAPED "$R"
	escape_in esc sysctl /proc/sys/net/ipv4/ip_forward
	expect_eq "sysctl net: on the host's network it is read-only (EROFS)" EROFS "$R"
}

t_sysrq() {
	if [ ! -e /proc/sysrq-trigger ]; then
		skip "sysrq: the jail cannot open /proc/sysrq-trigger" "not in this kernel (tests/qemu)"
		return
	fi
	escape_host openw /proc/sysrq-trigger
	expect_eq "sysrq: control: the host opens it for writing" ESCAPED "$R"
	escape_in esc openw /proc/sysrq-trigger
	expect_eq "sysrq: the jail cannot open it for writing (EROFS)" EROFS "$R"
}

# What the host reads in these files, the jail reads as nothing.
t_masked() {
	for mf in kallsyms timer_list keys key-users kcore sched_debug latency_stats \
		timer_stats kpageflags; do
		escape_host read "/proc/$mf"
		if [ "$R" != ESCAPED ]; then
			skip "masked /proc/$mf: the jail reads nothing" "empty or absent on the host ($R)"
			continue
		fi
		escape_in esc read "/proc/$mf"
		expect_eq "masked /proc/$mf: the jail reads nothing (host: contents)" EMPTY "$R"
	done
	for d in acpi scsi; do
		if [ -z "$(ls -A "/proc/$d" 2>/dev/null)" ]; then
			skip "masked /proc/$d: the jail sees an empty dir" "empty or absent on the host"
			continue
		fi
		brun esc -- /bin/ls -A "/proc/$d"
		expect_eq "masked /proc/$d: the jail sees an empty dir (host: entries)" "" "$(cat "$OUT")"
	done
}

# ---- the host's tree with root unset ----

# A jail on the host's root: the probe is bound in at its own path (a
# checkout under /tmp would be hidden by the jail's private /tmp).
host_jail() {
	jail "$1" <<-EOF
	[jail]
	exec = $PROBE exit 99
	[mounts]
	bind = $(dirname "$PROBE"):$(dirname "$PROBE")
	$2
	EOF
}

t_host_submounts() {
	host_jail hroot ""
	first=$(ls -A /run | head -n 1)
	for path in "/run/$first" /sys/kernel /sys/fs/cgroup/unified "/proc/$SLEEPER" /dev/vda; do
		escape_host exists "$path"
		if [ "$R" != ESCAPED ]; then
			skip "host root: $path stays out of the jail" "not on this host"
			continue
		fi
		JPROBE=$PROBE
		escape_in hroot exists "$path"
		JPROBE=
		expect_eq "host root: $path stays out of the jail (ENOENT; host: there)" ENOENT "$R"
	done
}

t_proc_no() {
	host_jail hnoproc "proc = no"
	# The host's /proc, as a recursive bind of / would have brought it.
	escape_host exists /proc/self/status
	expect_eq "proc = no: control: the host has /proc/self" ESCAPED "$R"
	JPROBE=$PROBE
	escape_in hnoproc exists /proc/self/status
	JPROBE=
	expect_eq "proc = no: no /proc at all, never the host's (ENOENT)" ENOENT "$R"
}

# Another jail's cgroup: neither through the jail's own /sys/fs/cgroup nor
# through the host's cgroup2 mount.
t_cgroup_others() {
	jail other <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep other-$$
	EOF
	brun --bg other
	if ! await 10 has_line "$OUT" ready; then
		not_ok "cgroups: the other jail starts" "$(last_run)"
		kill -TERM "$BGPID"
		wait_bg
		return
	fi
	escape_host exists "$CGROOT/other/cgroup.procs"
	expect_eq "cgroups: control: the other jail's cgroup is on the host" ESCAPED "$R"
	host_jail hcg ""
	JPROBE=$PROBE
	escape_in hcg exists "$CGROOT/other/cgroup.procs"
	expect_eq "cgroups: not through the host's cgroup2 mount (ENOENT)" ENOENT "$R"
	escape_in hcg exists /sys/fs/cgroup/../other
	expect_eq "cgroups: not above the jail's own /sys/fs/cgroup (ENOENT)" ENOENT "$R"
	escape_in hcg cgroup /sys/fs/cgroup/cgroup.procs 0
	JPROBE=
	expect_eq "cgroups: the jail's own is read-only (EROFS)" EROFS "$R"
	kill -TERM "$BGPID"
	wait_bg
}

# ---- terminals ----

# tty_cmd CMD...: a shell line that runs CMD with the terminal it is on
# (device and devpts instance, as stat prints them) as its last argument.
tty_cmd() {
	echo "exec $* \$(stat -L -c %d:%t:%T /dev/stdin)"
}

t_tiocsti_run() {
	OUT=$T/pty.out
	LAST=
	"$PROBE" pty -- setpriv --bounding-set=-all --inh-caps=-all "$PROBE" escape tiocsti 0 \
		>"$OUT" 2>&1
	expect_eq "tiocsti: control: uid 0 without capabilities pushes into its own terminal" \
		ESCAPED "$(esc_result tiocsti)"
	"$PROBE" pty -- "$BRIG" run --cgroup-root "$CGROOT" "$T/esc.ini" -- \
		/bin/probe escape tiocsti 0 >"$OUT" 2>&1
	expect_eq "tiocsti: brig run's service holds the terminal but cannot push (EPERM)" \
		EPERM "$(esc_result tiocsti)"
	"$PROBE" pty -- "$BRIG" run --cgroup-root "$CGROOT" "$T/esc.ini" -- \
		/bin/probe escape devtty >"$OUT" 2>&1
	expect_eq "tiocsti: /dev/tty leads nowhere: no controlling terminal (ENXIO)" \
		ENXIO "$(esc_result devtty)"
	"$PROBE" pty -- "$PROBE" escape devtty >"$OUT" 2>&1
	expect_eq "tiocsti: control: in a session with it, /dev/tty opens" \
		ESCAPED "$(esc_result devtty)"
}

# The session keyring: a key the caller added is not in the jail's.
# (With the seccomp filter this jail needs seccomp = none: keyctl is on the
# deny list, and this tests the keyring itself.)
t_keyring() {
	OUT=$T/key.out
	LAST=
	"$PROBE" keysession "brig-key-$$" -- "$PROBE" escape keyring "brig-key-$$" >"$OUT" 2>&1
	expect_eq "keyring: control: the caller's session finds its key" \
		ESCAPED "$(esc_result keyring)"
	LAST=esckey
	"$PROBE" keysession "brig-key-$$" -- "$BRIG" run --cgroup-root "$CGROOT" "$T/esckey.ini" -- \
		/bin/probe escape keyring "brig-key-$$" >"$OUT" 2>&1 </dev/null
	expect_eq "keyring: the service's session keyring is a fresh one (ENOKEY)" \
		ENOKEY "$(esc_result keyring)"
}

# ---- what the supervisor hands a jail: brig exec, memory, notify, volumes ----

# A supervisor with jail xj (sleeping), for the exec attempts.
exec_sup() {
	sup_init
	sjail xj <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep xj-$$
	EOF
	sup_start "$1: the supervisor starts" || return 1
	await 10 state_is xj running
}

t_exec_terminal() {
	exec_sup "exec tty" || return
	OUT=$T/pty.out
	LAST=
	"$PROBE" pty -- sh -c "$(tty_cmd "$BRIG" --socket "$SOCK" exec xj -- /bin/probe escape ttyfd)" \
		>"$OUT" 2>&1
	check "exec tty: the command runs on a terminal of its own" grep -q "escape ttyfd" "$OUT"
	expect_eq "exec tty: no process of the jail holds the caller's terminal (ENOENT)" \
		ENOENT "$(esc_result ttyfd)"
	"$PROBE" pty -- sh -c "$(tty_cmd "$BRIG" run --cgroup-root "$CGROOT" "$T/esc.ini" -- \
		/bin/probe escape ttyfd)" >"$OUT" 2>&1
	expect_eq "exec tty: control: brig run's service holds it, and the probe finds it" \
		ESCAPED "$(esc_result ttyfd)"
	sup_stop
}

# brig exec started with fd 3 on / and fd 4 on the marker: neither reaches
# the command, nor any process of the jail through /proc/PID/fd.
t_exec_fds() {
	exec_sup "exec fds" || return
	OUT=$T/xfd.out
	LAST=
	bctl exec xj -- /bin/probe fds >"$OUT" 2>&1 </dev/null 3</ 4<"$T/marker"
	expect_line "exec fds: only 0, 1 and 2 are open in the command" "fds 0 1 2"
	bctl exec xj -- /bin/probe escape fds "$MARK" >"$OUT" 2>&1 </dev/null 3</ 4<"$T/marker"
	expect_eq "exec fds: no inherited fd leads out (EBADF: none open)" EBADF "$(esc_result fds)"
	OUT=$T/victim.out
	bctl exec xj -- /bin/probe sleep victim-$$ >"$OUT" 2>&1 </dev/null 3</ 4<"$T/marker" &
	victim=$!
	BGPIDS="$BGPIDS $victim"
	await 10 has_line "$OUT" ready
	OUT=$T/xfd.out
	bctl exec xj -- /bin/probe escape procfds "$MARK" >"$OUT" 2>&1 </dev/null
	expect_eq "exec fds: no process of the jail offers a way out in /proc/PID/fd (ENOENT)" \
		ENOENT "$(esc_result procfds)"
	kill -TERM "$victim" 2>/dev/null
	wait "$victim"
	sleep 1000 3</ >/dev/null 2>&1 &
	held=$!
	BGPIDS="$BGPIDS $held"
	# The shell opens fd 3 after the fork: wait for it, or the probe may
	# look before it is there (ENOENT, one run in many under load).
	await 10 test -e "/proc/$held/fd/3"
	"$PROBE" escape procfds "$MARK" "$held" >"$OUT" 2>&1
	expect_eq "exec fds: control: a process holding / is a way out through /proc" \
		ESCAPED "$(esc_result procfds)"
	kill -KILL "$held"
	sup_stop
}

# The jail init is a fresh image: what the supervisor holds (another jail's
# secret) is not in it, even for a jail that may ptrace it.
t_init_memory() {
	secret=brig-secret-$$-$(date +%N)
	sup_init
	sjail holder <<-EOF
	[jail]
	root = $ROOTFS
	env = SECRET=$secret
	exec = /bin/probe sleep holder
	EOF
	sjail spy <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "/bin/probe escape mem 1 $secret; /bin/probe escape mem 1 jail-init; exec /bin/probe sleep spy"
	[security]
	capabilities = cap_sys_ptrace
	EOF
	sup_start "memory: the supervisor starts" || return
	await 10 state_is spy running
	await 10 eval '[ "$(bctl logs spy | grep -c "^escape mem")" -ge 2 ]'
	OUT=$T/spy.out
	LAST=
	bctl logs spy >"$OUT" 2>&1
	first=$(sed -n 's/^escape mem //p' "$OUT" | head -n 1)
	second=$(sed -n 's/^escape mem //p' "$OUT" | sed -n 2p)
	expect_eq "memory: control: the spy reads the jail init's memory (finds its argv)" \
		ESCAPED "$second"
	expect_eq "memory: another jail's secret is not in the jail init's memory" \
		NOTFOUND "$first"
	"$PROBE" escape mem "$SUPPID" "$secret" >"$OUT" 2>&1
	expect_eq "memory: control: the supervisor's memory holds it" ESCAPED "$(esc_result mem)"
	sup_stop
}

# ready = notify for a service that is not root, and nobody else.
t_notify() {
	sup_init
	sjail ntf <<-EOF
	[jail]
	root = $ROOTFS
	user = nobody
	ready = notify
	exec = /bin/sh -c "/bin/probe notify READY=1; exec /bin/probe sleep ntf"
	EOF
	sup_start "notify: the supervisor starts" || return
	await 10 state_is ntf running
	check "notify: a service running as nobody gets READY=1 through" state_is ntf running
	OUT=$T/ntf.out
	LAST=
	NOTIFY_SOCKET=$CONF/state/notify/ntf setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$PROBE" notify READY=1 >"$OUT" 2>&1
	expect_eq "notify: nobody on the host cannot reach the jail's socket (EACCES)" \
		"notify EACCES" "$(cat "$OUT")"
	sup_stop
	# Control: the mechanism. A socket made with the usual umask (0755)
	# refuses nobody; one made 0666 takes its datagram.
	for mode in 0755 0666; do
		"$PROBE" bindsock "$T/sock$mode" "$mode" >"$T/bound$mode" 2>&1 &
		BGPIDS="$BGPIDS $!"
		await 10 has_line "$T/bound$mode" bound
		NOTIFY_SOCKET=$T/sock$mode setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$PROBE" notify READY=1 >"$T/sent$mode" 2>&1
	done
	NOTIFY_SOCKET=$T/sock0755 "$PROBE" notify done >/dev/null 2>&1  # its one datagram
	expect_eq "notify: control: nobody gets EACCES from a 0755 socket" \
		"notify EACCES" "$(cat "$T/sent0755")"
	expect_eq "notify: control: ... and through a 0666 one" "notify ok" "$(cat "$T/sent0666")"
}

# A setuid file a jail plants in a volume is no use: not in the jail
# (nosuid) and not on the host (volumes/ is 0700).
t_volume_setuid() {
	jail plant <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "cp /bin/probe /data/suid && chmod 4755 /data/suid && echo planted"
	[mounts]
	volume = suidvol:/data
	EOF
	jail runsuid <<-EOF
	[jail]
	root = $ROOTFS
	user = svc
	exec = /data/suid ids
	[mounts]
	volume = suidvol:/data
	EOF
	brun plant
	expect_line "volume setuid: the jail plants a setuid-root file" planted
	brun runsuid
	expect_line "volume setuid: in the jail it runs without euid 0 (nosuid)" "uid 1000 1000 1000"
	sf=$BRIG_STATE_DIR/volumes/suidvol/suid
	OUT=$T/suid.out
	LAST=
	# Through a shell: setpriv itself still holds its capabilities at exec.
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "exec '$sf' ids" >"$OUT" 2>&1
	expect_eq "volume setuid: nobody on the host cannot reach it (volumes/ is 0700)" \
		700 "$(stat -c %a "$BRIG_STATE_DIR/volumes")"
	check "volume setuid: ... its exec is refused" sh -c "! grep -q '^uid' '$OUT'"
	ln "$sf" "$T/suidlink"
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "exec '$T/suidlink' ids" \
		>"$OUT" 2>&1
	rm -f "$T/suidlink"
	expect_line "volume setuid: control: reached another way, it gives nobody euid 0" \
		"uid 65534 0 0"
}

# A jail writes a symlink into a volume it shares; another binds a path
# through it and must not get the host's /etc.
t_bind_symlink() {
	jail swap <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "mkdir -p /data/d && ln -s /etc /data/conf && ln -s /etc /data/d/sub && echo swapped"
	[mounts]
	volume = shared:/data
	EOF
	brun swap
	expect_line "bind swap: jail A plants conf -> /etc in the shared volume" swapped
	vol=$BRIG_STATE_DIR/volumes/shared
	expect_eq "bind swap: control: a resolver that follows links lands on /etc" \
		/etc "$(readlink -f "$vol/conf")"
	for src in "$vol/conf" "$vol/d/sub/passwd"; do
		jail bswap <<-EOF
		[jail]
		root = $ROOTFS
		exec = /bin/probe read /conf/passwd
		[mounts]
		bind = $src:/conf:rw
		EOF
		brun bswap
		expect_rc "bind swap: jail B binding ${src#"$vol"/} does not start (125)" 125
		check "bind swap: ... the error names the source and the line" \
			grep -qF "$T/bswap.ini:5: error: jail bswap: mount source $src:" "$ERR"
		check "bind swap: ... and nothing of /etc was read" sh -c "! grep -q '^read' '$OUT'"
	done
}

SUITE_SETUP=prepare
run_tests t_signal_host_process t_dotdot t_proc1_root t_no_inherited_fds t_chroot \
	t_remount t_mount t_module t_mknod t_capset t_setns t_cgroup_files \
	t_sysctl_writes t_sysctl_net t_sysrq t_masked t_host_submounts t_proc_no t_cgroup_others \
	t_tiocsti_run t_keyring t_exec_terminal t_exec_fds t_init_memory t_notify \
	t_volume_setuid t_bind_symlink
