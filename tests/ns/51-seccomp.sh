#!/bin/sh
# Seccomp suite: from inside a jail, every call brig's default filter
# denies is refused by the filter itself. Each attempt runs in a jail that
# holds every capability the call needs, so only the filter stands in the
# way, and has a NEGATIVE CONTROL: the same attempt in the same jail with
# `seccomp = none` gets past the filter (OK, or a refusal of the kernel's
# other than EPERM where this kernel lacks the feature). Then the keys
# (action, allowlist, allow, deny), brig exec, and real daemons with
# default settings under the default filter.
# shellcheck disable=SC2317
. tests/lib.sh

# sc_in JAIL WHAT ARG...: `probe sc WHAT ARG...` in JAIL; its result in R.
sc_in() {
	j=$1
	shift
	brun "$j" -- /bin/probe sc "$@"
	R=$(sed -n "s/^sc $1 //p" "$OUT" | head -n 1)
}

# pair DESC JAIL WHAT ARG... expects R under the filter (EPERM unless
# $WANT says otherwise) and OK (or $CONTROL) in JAIL-open, without one.
pair() {
	desc=$1
	j=$2
	shift 2
	sc_in "$j" "$@"
	expect_eq "$desc: refused by the filter" "${WANT:-EPERM}" "$R"
	sc_in "$j-open" "$@"
	CONTROL=${CONTROL:-OK}
	case "$CONTROL" in
	not-EPERM)
		if [ -n "$R" ] && [ "$R" != EPERM ]; then
			ok "$desc: control: without the filter the kernel answers otherwise ($R)"
		else
			not_ok "$desc: control: without the filter the kernel answers otherwise" \
				"got: '$R'" "$(last_run)"
		fi
		;;
	OK) expect_eq "$desc: control: without the filter it succeeds" OK "$R" ;;
	*) expect_eq "$desc: control: without the filter the kernel answers" "$CONTROL" "$R" ;;
	esac
	WANT=
	CONTROL=
}

# jail_pair NAME SECURITY-LINES: NAME with the default filter and
# NAME-open with seccomp = none; stdin holds the [mounts] lines.
jail_pair() {
	mounts=$(cat)
	for v in "" "-open"; do
		{
			printf '[jail]\nroot = %s\nexec = /bin/probe exit 99\n\n' "$ROOTFS"
			printf '[mounts]\n%s\n\n[security]\n%s\n' "$mounts" "$2"
			[ -z "$v" ] || echo "seccomp = none"
		} >"$T/$1$v.ini"
	done
}

prepare() {
	mkdir -p "$T/robind"
	echo data >"$T/robind/file"
	jail_pair plain "" </dev/null
	jail_pair cap "capabilities = cap_sys_admin cap_bpf cap_perfmon cap_sys_ptrace \
cap_sys_boot cap_sys_module cap_dac_read_search" <<-EOF
	bind = $T/robind:/mnt:ro
	EOF
}

t_kernel_surface() {
	pair "io_uring_setup" plain io_uring
	pair "userfaultfd" plain userfaultfd
	pair "bpf (with cap_bpf)" cap bpf
	pair "perf_event_open (with cap_perfmon)" cap perf
	pair "open_by_handle_at (with cap_dac_read_search)" cap handle
	CONTROL=not-EPERM pair "kexec_load (with cap_sys_boot)" cap kexec
	CONTROL=not-EPERM pair "init_module, finit_module (with cap_sys_module)" cap module
	pair "keyctl" plain keyctl
	pair "add_key" plain add_key
}

t_namespaces() {
	pair "unshare(CLONE_NEWUSER)" plain unshare user
	pair "unshare(CLONE_NEWNET) (with cap_sys_admin)" cap unshare net
	pair "clone(CLONE_NEWUSER)" plain clone user
	pair "clone(CLONE_NEWNS) (with cap_sys_admin)" cap clone mount
	sc_in plain unshare files
	expect_eq "unshare(CLONE_FILES), no namespace: allowed" OK "$R"
	WANT=ENOSYS pair "clone3 answers ENOSYS, so libcs fall back to clone" plain clone3
}

# With cap_sys_admin, every way to make the read-only bind writable.
t_mounts() {
	pair "mount(MS_REMOUNT) of a read-only bind" cap remount /mnt
	pair "mount_setattr clearing MOUNT_ATTR_RDONLY" cap setattr /mnt
	pair "open_tree(OPEN_TREE_CLONE)" cap opentree /mnt
	CONTROL=EBADF pair "move_mount" cap movemount /mnt
	pair "fsopen" cap fsopen /tmp
	pair "fspick" cap fspick /tmp
	pair "umount2" cap umount /mnt
	brun cap -- /bin/probe write /mnt/file changed
	expect_line "after all that, the read-only bind is still read-only" "write EROFS"
	check "... and the host file is unchanged" grep -qx data "$T/robind/file"
	brun cap-open -- /bin/sh -c '/bin/probe sc remount /mnt && /bin/probe write /mnt/new x'
	expect_line "control: without the filter, cap_sys_admin makes it writable" "write ok"
	rm -f "$T/robind/new"
}

t_ptrace_init() {
	pair "ptrace of the jail init (with cap_sys_ptrace)" cap ptrace 1
}

t_x32_personality() {
	if [ "$(uname -m)" != x86_64 ]; then
		skip "x32 calls answer ENOSYS" "not x86_64"
	else
		sc_in plain x32
		expect_eq "an x32 call answers ENOSYS" ENOSYS "$R"
		"$PROBE" sc x32 >"$T/host.out" 2>&1
		if grep -qx "sc x32 OK" "$T/host.out"; then
			sc_in plain-open x32
			expect_eq "x32: control: without the filter it succeeds" OK "$R"
		else
			skip "x32: control" "this kernel has no x32 ABI (the host's probe: $(cat "$T/host.out"))"
		fi
	fi
	pair "personality(READ_IMPLIES_EXEC)" plain personality 0x400000
	sc_in plain personality 0xffffffff
	expect_eq "personality(0xffffffff), the query, is allowed" OK "$R"
	sc_in plain personality 0
	expect_eq "personality(PER_LINUX) is allowed" OK "$R"
}

t_filters_in_place() {
	sc_in plain filters self
	expect_eq "the service carries one filter" 1 "$R"
	# The jail init installs its filter once the service has exec'd: the
	# service waits for it (bounded) before reading.
	brun plain -- /bin/sh -c 'n=0; while [ $n -lt 500 ] &&
		! /bin/probe sc filters 1 | grep -qx "sc filters 1"; do n=$((n + 1)); sleep 0.01; done
		/bin/probe sc filters 1'
	R=$(sed -n "s/^sc filters //p" "$OUT" | head -n 1)
	expect_eq "the jail init carries one of its own" 1 "$R"
	sc_in plain-open filters self
	expect_eq "control: seccomp = none, the service carries none" 0 "$R"
}

t_action_kill() {
	jail killer <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sc unshare user

	[security]
	seccomp.action = kill
	EOF
	brun killer
	expect_rc "seccomp.action = kill: the service dies of SIGSYS (128 + 31)" 159
	check "brig run reports it as seccomp's" grep -q 'killed by SIGSYS (seccomp)' "$ERR"
	check "the call never returned" eval "! grep -q '^sc unshare' '$OUT'"
	sed 's/^seccomp.action = kill$/seccomp.action = eperm/' "$T/killer.ini" >"$T/eperm.ini"
	brun eperm
	expect_line "control: with eperm the same call fails and the service goes on" \
		"sc unshare EPERM"
}

last_exit_is() {
	[ "$(jfield "$1" last_exit)" = "$2" ]
}

t_kill_reported_by_supervisor() {
	sup_init
	sjail doomed <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sc unshare user

	[restart]
	policy = never

	[security]
	seccomp.action = kill
	EOF
	sup_start "supervise for the kill report" || return
	check "the console says: killed by SIGSYS (seccomp)" \
		await 10 log_has "brig: doomed: killed by SIGSYS (seccomp)"
	check "brig status: last_exit: killed by SIGSYS (seccomp)" \
		last_exit_is doomed "killed by SIGSYS (seccomp)"
	sup_stop
}

t_allowlist() {
	allow="arch_prctl set_tid_address writev exit_group"
	for v in min plus; do
		{
			printf '[jail]\nroot = %s\nexec = /bin/probe exit 7\n\n' "$ROOTFS"
			printf '[security]\nseccomp = allowlist\nseccomp.allow = %s\n' "$allow"
			[ $v = min ] || echo "seccomp.allow = getppid"
		} >"$T/al-$v.ini"
	done
	brun al-min
	expect_rc "allowlist: a static binary runs with only what it needs" 7
	sc_in al-min getppid
	expect_eq "allowlist: a call it does not list fails" EPERM "$R"
	sc_in al-plus getppid
	expect_eq "allowlist: control: listed, it succeeds" OK "$R"
	sed 's/^seccomp.allow = arch_prctl /seccomp.allow = /' "$T/al-min.ini" >"$T/al-less.ini"
	brun al-less
	if [ "$RC" != 7 ] && [ "$RC" != 125 ]; then
		ok "allowlist: without arch_prctl the binary cannot start (exit $RC)"
	else
		not_ok "allowlist: without arch_prctl the binary cannot start" "$(last_run)"
	fi
}

t_allow_deny() {
	for spec in "deny:seccomp.deny = getppid" "net:seccomp.deny = @network-io" \
		"keys:seccomp.allow = @keyring" "userns:seccomp.allow = unshare"; do
		name=${spec%%:*}
		printf '[jail]\nroot = %s\nexec = /bin/probe exit 99\n\n[security]\n%s\n' \
			"$ROOTFS" "${spec#*:}" >"$T/ad-$name.ini"
	done
	sc_in ad-deny getppid
	expect_eq "seccomp.deny = getppid: denied" EPERM "$R"
	sc_in plain getppid
	expect_eq "control: by default getppid is allowed" OK "$R"
	sc_in ad-net socket
	expect_eq "seccomp.deny = @network-io: socket is denied" EPERM "$R"
	sc_in plain socket
	expect_eq "control: by default socket is allowed" OK "$R"
	sc_in ad-keys keyctl
	expect_eq "seccomp.allow = @keyring: keyctl is allowed" OK "$R"
	sc_in ad-keys add_key
	expect_eq "seccomp.allow = @keyring: add_key is allowed" OK "$R"
	sc_in ad-userns unshare user
	expect_eq "seccomp.allow = unshare: a user namespace may be made" OK "$R"
	sc_in ad-userns unshare net
	expect_eq "... but not a network namespace without cap_sys_admin (the kernel's EPERM)" \
		EPERM "$R"
}

t_exec() {
	sup_init
	for v in "" "-open"; do
		{
			printf '[jail]\nroot = %s\nexec = /bin/probe sleep\n' "$ROOTFS"
			[ -z "$v" ] || printf '\n[security]\nseccomp = none\n'
		} >"$CONF/jails/ex$v.ini"
	done
	sup_start "supervise for brig exec" || return
	check "the jails run" await 10 eval 'state_is ex running && state_is ex-open running'
	bctl exec ex -- /bin/probe sc unshare user >"$T/exec.out" 2>&1
	expect_eq "brig exec: the command gets the jail's filter" "sc unshare EPERM" \
		"$(cat "$T/exec.out")"
	bctl exec ex-open -- /bin/probe sc unshare user >"$T/exec.out" 2>&1
	expect_eq "brig exec: control: seccomp = none, it succeeds" "sc unshare OK" \
		"$(cat "$T/exec.out")"
	sup_stop
}

# ---- real daemons, default settings (the host's root), loopback only ----

# A TCP port nothing listens on, near $1.
free_port() {
	p=$1
	while ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; do
		p=$((p + 1))
	done
	echo "$p"
}

# serves PORT REQUEST EXPECT: the reply to REQUEST holds EXPECT.
serves() {
	printf '%b' "$2" | timeout 5 busybox nc 127.0.0.1 "$1" 2>/dev/null | grep -q -- "$3"
}

# daemon NAME CHECK...: run NAME's jail in the background, wait until
# CHECK succeeds (it serves), HUP it, run $HUP_CHECK, CHECK again, TERM it;
# $STOP_RC is the exit status of a clean stop [0].
daemon() {
	name=$1
	shift
	if ! command -v "$DAEMON_BIN" >/dev/null 2>&1; then
		skip "$name under the default filter" "$DAEMON_BIN is not installed (tests/deps.sh)"
		return
	fi
	brun --bg "$name"
	if await 20 "$@"; then
		ok "$name serves under the default filter"
	else
		not_ok "$name serves under the default filter" "$(last_run)"
	fi
	filtered=$(for p in $(cg_procs "$CGROOT/$name"); do
		sed -n 's/^Seccomp:\t//p' "/proc/$p/status"
	done | sort -u)
	expect_eq "$name: each of its processes runs under a filter (Seccomp: 2)" 2 "$filtered"
	kill -HUP "$BGPID"
	${HUP_CHECK:-true}
	if await 10 "$@"; then
		ok "$name serves after a HUP"
	else
		not_ok "$name serves after a HUP" "$(last_run)"
	fi
	kill -TERM "$BGPID"
	wait_bg
	expect_rc "$name stops cleanly on TERM" "${STOP_RC:-0}"
	check "$name: no seccomp kill" eval "! grep -q 'SIGSYS' '$ERR' '$OUT'"
	HUP_CHECK=
	STOP_RC=
}

t_busybox_httpd() {
	port=$(free_port 28180)
	mkdir -p "$T/www"
	echo "hello from busybox" >"$T/www/index.html"
	jail httpd <<-EOF
	[jail]
	exec = /bin/busybox httpd -f -vv -p 127.0.0.1:$port -h /srv

	[mounts]
	bind = $T/www:/srv
	EOF
	# busybox httpd keeps the default action for TERM: 128 + 15.
	DAEMON_BIN=/bin/busybox STOP_RC=143 daemon httpd \
		serves "$port" 'GET / HTTP/1.0\r\n\r\n' "hello from busybox"
}

nginx_workers() {
	pgrep -u www-data -f 'nginx: worker' | sort | tr '\n' ' '
}

t_nginx() {
	port=$(free_port 28280)
	mkdir -p "$T/www"
	echo "hello from nginx" >"$T/www/index.html"
	cat >"$T/nginx.conf" <<-EOF
	daemon off;
	worker_processes 2;
	user www-data;
	pid /tmp/nginx.pid;
	error_log stderr notice;
	events { worker_connections 64; }
	http {
		access_log off;
		client_body_temp_path /tmp/body;
		proxy_temp_path /tmp/proxy;
		fastcgi_temp_path /tmp/fastcgi;
		uwsgi_temp_path /tmp/uwsgi;
		scgi_temp_path /tmp/scgi;
		server { listen 127.0.0.1:$port; root /srv; }
	}
	EOF
	# The master drops to www-data for its workers: that takes the
	# capabilities for changing ids, which brig drops by default.
	jail nginx <<-EOF
	[jail]
	exec = /usr/sbin/nginx

	[mounts]
	bind = $T/nginx.conf:/etc/nginx/nginx.conf
	bind = $T/www:/srv

	[security]
	capabilities = cap_setuid cap_setgid cap_chown
	EOF
	HUP_CHECK=nginx_hup DAEMON_BIN=/usr/sbin/nginx daemon nginx \
		serves "$port" 'GET / HTTP/1.0\r\n\r\n' "hello from nginx"
}

# started N: the master has logged at least N worker starts.
started() {
	[ "$(grep -c 'start worker process' "$ERR")" -ge "$1" ]
}

nginx_hup() {
	# Two workers at start, two more once the HUP is handled.
	if await 10 started 4; then
		ok "nginx: HUP starts new workers (the master re-read its config)"
	else
		not_ok "nginx: HUP starts new workers" "$(last_run)"
	fi
	check "nginx: its workers run as www-data" \
		test "$(nginx_workers | wc -w)" -ge 2
}

t_redis() {
	port=$(free_port 28380)
	jail redis <<-EOF
	[jail]
	exec = /usr/bin/redis-server --port $port --bind 127.0.0.1 --save "" --appendonly no --dir /tmp --protected-mode no
	EOF
	DAEMON_BIN=/usr/bin/redis-server daemon redis \
		serves "$port" 'SET brig ok\r\nGET brig\r\nQUIT\r\n' '^ok'
}

t_mosquitto() {
	port=$(free_port 28480)
	cat >"$T/mosquitto.conf" <<-EOF
	listener $port 127.0.0.1
	allow_anonymous true
	persistence false
	log_dest stderr
	user mosquitto
	EOF
	jail mosquitto <<-EOF
	[jail]
	exec = /usr/sbin/mosquitto -c /etc/mosquitto/mosquitto.conf

	[mounts]
	bind = $T/mosquitto.conf:/etc/mosquitto/mosquitto.conf

	[security]
	capabilities = cap_setuid cap_setgid
	EOF
	MQTT_PORT=$port
	DAEMON_BIN=/usr/sbin/mosquitto daemon mosquitto mqtt_roundtrip
}

# An MQTT round trip: a retained message published, then read back.
mqtt_roundtrip() {
	timeout 5 mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -t brig/t -m hello -r 2>/dev/null &&
		timeout 5 mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -t brig/t -C 1 -W 4 2>/dev/null |
		grep -qx hello
}

SUITE_SETUP=prepare
run_tests t_kernel_surface t_namespaces t_mounts t_ptrace_init t_x32_personality \
	t_filters_in_place t_action_kill t_kill_reported_by_supervisor t_allowlist t_allow_deny \
	t_exec t_busybox_httpd t_nginx t_redis t_mosquitto
