#!/bin/sh
# The control commands against a running `brig supervise`: status (table,
# one jail, --json), start/stop/restart, kill, logs (-n, -f, a small ring),
# pause/resume, exec into a jail; an output flood that must not slow the
# supervisor; abuse of the control socket (garbage, an oversized request, a
# slow client, 1,000 concurrent clients, a non-root client).
# Tests are functions that run_tests calls by name.
# SC2016, SC2034: eval and await take single-quoted code, using variables
# set here, to run later, on purpose.
# shellcheck disable=SC2317,SC2016,SC2034
. tests/lib.sh

xdir() {
	X=$T/x-$1
	mkdir -p "$X"
}

json_ok() {
	/usr/bin/python3 -c 'import json, sys; json.load(sys.stdin)' <"$1"
}

# status_answers: `brig status` exits 0 and prints its header.
status_answers() {
	timeout 10 "$BRIG" --socket "$SOCK" status >"$T/sa.out" 2>&1 &&
		head -n 1 "$T/sa.out" | grep -q '^NAME '
}

t_status() {
	sup_init
	sjail st <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep st-$$
	EOF
	sjail st2 <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'exit 3'
	[restart]
	policy = on-failure
	delay = 30s
	EOF
	sup_start "status: the supervisor starts" || return
	await 10 state_is st running
	await 10 state_is st2 backoff
	bctl status >"$T/st.table" 2>&1
	expect_eq "status: the table exits 0" 0 "$?"
	expect_eq "status: the table's header" "NAME STATE PID RESTARTS SINCE MEM CPU LAST_EXIT INFO" \
		"$(head -n 1 "$T/st.table" | awk '{ $1 = $1; print }')"
	expect_eq "status: one row a jail" "st st2" \
		"$(sed 1d "$T/st.table" | awk '{ print $1 }' | sort | tr '\n' ' ' | sed 's/ $//')"
	bctl status st >"$T/st.one" 2>&1
	expect_eq "status NAME: exits 0" 0 "$?"
	missing=
	for k in name state pid restarts last_exit since cgroup memory.current \
		pids.current oom_kills; do
		grep -q "^$k: " "$T/st.one" || missing="$missing $k"
	done
	expect_eq "status NAME: every key brig(8) lists is there" "" "$missing"
	expect_eq "status NAME: name" st "$(jfield st name)"
	expect_eq "status NAME: state" running "$(jfield st state)"
	expect_eq "status NAME: cgroup is <root>/NAME" "$CGROOT/st" "$(jfield st cgroup)"
	pid=$(jfield st pid)
	check "status NAME: pid is the host pid of the jail init (pid 1 inside)" \
		eval "grep '^NSpid:' /proc/$pid/status | grep -q '[[:space:]]1\$'"
	check "status NAME: ... which is in the jail's cgroup" \
		eval "cg_procs '$CGROOT/st' | grep -qx '$pid'"
	check "status NAME: since is a duration with its unit" \
		eval "jfield st since | grep -qxE '([0-9]+[dhm])*[0-9]+s'"
	check "status NAME: no empty value line (status:, reason:)" \
		eval "! grep -q ': *\$' '$T/st.one'"
	check "status: the table's SINCE has its unit" \
		eval "awk 'NR > 1 && \$5 !~ /^([0-9]+[dhm])*[0-9]+s\$/ { exit 1 }' '$T/st.table'"
	check "status: no memory controller here: MEM is -" \
		eval "awk 'NR > 1 && \$6 != \"-\" { exit 1 }' '$T/st.table'"
	check "status: CPU is the jail's CPU time (cpu.stat)" \
		eval "awk '\$2 == \"running\" && \$7 !~ /^[0-9.]+s\$/ { exit 1 }' '$T/st.table'"
	bctl start st >"$T/st.again" 2>&1
	rc=$?
	expect_eq "start of a running jail: its outcome, exit 0" "st: running 0" \
		"$(cat "$T/st.again") $rc"
	# No memory or pids controller on this host: "-" (or a number elsewhere).
	bctl status st >"$T/st.one" 2>&1
	for k in memory.current pids.current oom_kills; do
		v=$(sed -n "s/^$k: //p" "$T/st.one")
		case $v in
		- | [0-9] | [0-9]*[0-9]) ok "status NAME: $k is a number or - ($v)" ;;
		*) not_ok "status NAME: $k is a number or -" "got '$v'" "$(cat "$T/st.one")" ;;
		esac
	done
	expect_eq "status NAME: last_exit of a jail that exited 3" "exited 3" "$(jfield st2 last_exit)"
	expect_eq "status NAME: restarts after one restart" 1 "$(jfield st2 restarts)"
	expect_eq "status NAME: last_exit of a jail never exited" "-" "$(jfield st last_exit)"
	bctl status --json >"$T/st.json" 2>&1
	check "status --json: parses as JSON" json_ok "$T/st.json"
	expect_eq "status --json: an array of every jail" "st st2" \
		"$(/usr/bin/python3 -c 'import json, sys; print(" ".join(sorted(j["name"] for j in json.load(sys.stdin))))' <"$T/st.json" 2>&1)"
	bctl status --json st >"$T/st1.json" 2>&1
	check "status --json NAME: parses as JSON" json_ok "$T/st1.json"
	expect_eq "status --json NAME: one object, the same pid" "st $pid running" \
		"$(/usr/bin/python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["name"], j["pid"], j["state"])' <"$T/st1.json" 2>&1)"
	bctl status nosuch >"$T/st.none" 2>&1
	rc=$?
	check "status NAME: an unknown jail is an error (exit $rc)" [ "$rc" != 0 ]
	check "status NAME: ... saying so" grep -q nosuch "$T/st.none"
	bctl frobnicate >"$T/st.bad" 2>&1
	rc=$?
	check "an unknown control command is an error (exit $rc)" [ "$rc" != 0 ]
	sup_stop
}

t_lifecycle() {
	sup_init
	sjail lc <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep lc-$$
	EOF
	sup_start "lifecycle: the supervisor starts" || return
	await 10 state_is lc running
	p1=$(jfield lc pid)
	bctl restart lc >/dev/null 2>&1
	expect_eq "restart: exits 0" 0 "$?"
	await 10 eval '[ "$(jfield lc pid)" != "$p1" ] && state_is lc running'
	p2=$(jfield lc pid)
	check "restart: a new jail init ($p1 -> $p2), running" \
		eval '[ -n "$p2" ] && [ "$p2" != "$p1" ] && state_is lc running'
	check "restart: the old one is gone" eval "! alive $p1"
	bctl stop lc >/dev/null 2>&1
	expect_eq "stop: exits 0" 0 "$?"
	await 10 state_is lc stopped
	check "stop: stopped" state_is lc stopped
	check "stop: its processes are gone" eval '[ -z "$(cg_procs "$CGROOT/lc")" ] && ! alive $p2'
	check "stop: policy always does not restart a stopped jail" \
		eval "! grep -q '^brig: lc: restarting' '$SUPLOG'"
	bctl start lc >/dev/null 2>&1
	expect_eq "start: exits 0" 0 "$?"
	await 10 state_is lc running
	p3=$(jfield lc pid)
	check "start: running again with a new pid ($p3)" \
		eval '[ -n "$p3" ] && [ "$p3" != "$p2" ] && state_is lc running'
	bctl start nosuch >/dev/null 2>&1
	rc=$?
	check "start: an unknown jail is an error (exit $rc)" [ "$rc" != 0 ]
	sup_stop
}

# brig restart of a dependency: the dependent goes down first and, being
# neither stopped by the user nor changed, comes back once the dependency
# is ready again.
t_restart_dependency() {
	sup_init
	sjail rdb <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep rdb-$$
	EOF
	sjail rweb <<-EOF
	[jail]
	root = $ROOTFS
	after = rdb
	exec = /bin/probe sleep rweb-$$
	EOF
	sup_start "restart-dep: the supervisor starts" || return
	await 10 state_is rweb running
	db=$(jfield rdb pid)
	bctl restart rdb >/dev/null 2>&1
	expect_eq "restart-dep: brig restart exits 0" 0 "$?"
	await 10 eval '[ "$(jfield rdb pid)" != "$db" ] && state_is rdb running'
	check "restart-dep: the dependency runs again with a new pid" \
		eval '[ "$(jfield rdb pid)" != "$db" ] && state_is rdb running'
	await 10 state_is rweb running
	check "restart-dep: the dependent runs again too" state_is rweb running
	check "restart-dep: the dependent went down first" \
		before "brig: rweb: stopped (killed by SIGTERM)" "brig: rdb: stopped (killed by SIGTERM)"
	sup_stop
}

t_kill() {
	sup_init
	sjail kl <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'trap "echo got-usr1" USR1; trap "echo got-usr2" USR2; echo armed; while :; do sleep 0.1; done'
	EOF
	sup_start "kill: the supervisor starts" || return
	await 10 log_has "kl: armed"
	pid=$(jfield kl pid)
	bctl kill kl USR1 >/dev/null 2>&1
	expect_eq "kill NAME USR1: exits 0" 0 "$?"
	await 10 log_has "kl: got-usr1"
	check "kill NAME USR1: the service's trap ran" log_has "kl: got-usr1"
	bctl kill kl 12 >/dev/null 2>&1
	await 10 log_has "kl: got-usr2"
	check "kill NAME 12: a signal number works (USR2)" log_has "kl: got-usr2"
	expect_eq "kill: the service is still the same and running" "$pid running" \
		"$(jfield kl pid) $(jfield kl state)"
	bctl kill kl NOSUCHSIG >/dev/null 2>&1
	rc=$?
	check "kill: an unknown signal name is an error (exit $rc)" [ "$rc" != 0 ]
	bctl kill kl >/dev/null 2>&1
	await 10 log_has "brig: kl: killed by SIGTERM"
	check "kill NAME: TERM by default" log_has "brig: kl: killed by SIGTERM"
	await 10 eval '[ "$(jfield kl restarts)" = 1 ] && state_is kl running'
	check "kill NAME: an unrequested death restarts it (policy always)" \
		eval '[ "$(jfield kl restarts)" = 1 ] && state_is kl running'
	sup_stop
}

t_logs() {
	sup_init
	xdir logs
	sjail lg <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'echo to-stderr >&2; for i in 1 2 3 4 5; do echo line\$i; done; while [ ! -e /tmp/x/go ]; do sleep 0.05; done; echo followed; exec sleep 1000'
	[mounts]
	bind = $X:/tmp/x:rw
	EOF
	sup_start "logs: the supervisor starts" || return
	await 10 log_has "lg: line5"
	check "logs: output is echoed on the console, prefixed" log_has "lg: line1"
	check "logs: stderr too" log_has "lg: to-stderr"
	bctl logs lg >"$T/lg.all" 2>&1
	expect_eq "logs NAME: exits 0" 0 "$?"
	expect_eq "logs NAME: every line so far, in order" \
		"to-stderr line1 line2 line3 line4 line5" "$(tr '\n' ' ' <"$T/lg.all" | sed 's/ $//')"
	bctl logs -n 2 lg >"$T/lg.two" 2>&1
	expect_eq "logs -n 2 NAME: the newest two lines" "line4 line5" \
		"$(tr '\n' ' ' <"$T/lg.two" | sed 's/ $//')"
	timeout 30 "$BRIG" --socket "$SOCK" logs -f lg >"$T/lg.follow" 2>&1 &
	fpid=$!
	BGPIDS="$BGPIDS $fpid"
	await 10 has_line "$T/lg.follow" line5
	check "logs -f: starts with the lines so far" has_line "$T/lg.follow" line5
	check "logs -f: keeps following" alive "$fpid"
	touch "$X/go"
	await 10 has_line "$T/lg.follow" followed
	check "logs -f: sees a line written after it started" has_line "$T/lg.follow" followed
	kill -TERM "$fpid" 2>/dev/null
	await 10 eval "! alive $fpid"
	check "logs -f: the follower ends on TERM" eval "! alive $fpid"
	wait "$fpid" 2>/dev/null
	check "logs -f: the supervisor still answers" status_answers
	sup_stop
}

# 1,000 lines of 10 bytes through a 1 KiB ring: only the newest are kept.
t_log_ring() {
	sup_init
	sjail ring <<-EOF
	[jail]
	root = $ROOTFS
	log_size = 1K
	exec = /bin/sh -c 'i=1000; while [ \$i -lt 2000 ]; do echo line-\$i; i=\$((i + 1)); done; exec sleep 1000'
	EOF
	sup_start "ring: the supervisor starts" || return
	await 10 log_has "ring: line-1999"
	bctl logs ring >"$T/ring.out" 2>&1
	expect_eq "ring: logs exits 0" 0 "$?"
	expect_eq "ring: the newest line is last" line-1999 "$(tail -n 1 "$T/ring.out")"
	check "ring: the oldest lines are gone" eval "! grep -q '^line-1000\$' '$T/ring.out'"
	size=$(wc -c <"$T/ring.out")
	check "ring: at most log_size (1024) bytes ($size)" [ "$size" -le 1024 ]
	check "ring: but most of it used (>= 512 bytes)" [ "$size" -ge 512 ]
	check "ring: the kept lines are the newest, contiguous" \
		eval "sed -n 's/^line-//p' '$T/ring.out' | awk 'NR > 1 && \$1 != prev + 1 { exit 1 } { prev = \$1 }'"
	# The contract is silent; `docker logs` and `logread` never print half a line.
	expect_eq "ring: no torn line at the start of the ring" "" \
		"$(grep -v '^line-1[0-9][0-9][0-9]$' "$T/ring.out")"
	sup_stop
}

# ticks: how many lines the counting service has appended so far.
ticks() {
	{ wc -l <"$X/count"; } 2>/dev/null || echo 0
}

t_pause_resume() {
	sup_init
	xdir pause
	sjail pz <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'while :; do echo tick >>/tmp/x/count; sleep 0.05; done'
	[mounts]
	bind = $X:/tmp/x:rw
	EOF
	sup_start "pause: the supervisor starts" || return
	await 10 eval '[ "$(ticks)" -ge 3 ]'
	pid=$(jfield pz pid)
	bctl pause pz >"$T/pz.out" 2>&1
	expect_eq "pause: exits 0" 0 "$?"
	check "pause: cgroup.events says frozen 1 when it returns" \
		grep -qx 'frozen 1' "$CGROOT/pz/cgroup.events"
	expect_eq "pause: state paused" paused "$(jfield pz state)"
	c1=$(ticks)
	# Time must pass to show that nothing happens in it.
	sleep 0.5
	c2=$(ticks)
	expect_eq "pause: the counter does not advance while paused" "$c1" "$c2"
	bctl resume pz >"$T/pz.out" 2>&1
	expect_eq "resume: exits 0" 0 "$?"
	await 10 eval '[ "$(ticks)" -gt "$c2" ]'
	check "resume: the counter advances again" eval '[ "$(ticks)" -gt "$c2" ]'
	expect_eq "resume: state running, the same jail" "running $pid" \
		"$(jfield pz state) $(jfield pz pid)"
	check "resume: cgroup.events says frozen 0" \
		grep -qx 'frozen 0' "$CGROOT/pz/cgroup.events"
	# A paused jail still stops.
	bctl pause pz >/dev/null 2>&1
	bctl stop pz >/dev/null 2>&1
	await 10 state_is pz stopped
	check "pause: a paused jail stops on brig stop" state_is pz stopped
	sup_stop
}

# cgroup_has_tag DIR TAG: some process in DIR's subtree has TAG in its argv.
cgroup_has_tag() {
	for p in $(cg_procs "$1"); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$2" && return 0
	done
	return 1
}

t_exec() {
	sup_init
	sjail ex <<-EOF
	[jail]
	root = $ROOTFS
	user = 65534:65534
	exec = /bin/probe sleep ex-$$
	[security]
	capabilities = cap_net_bind_service
	EOF
	sup_start "exec: the supervisor starts" || return
	await 10 state_is ex running
	svc=$(svc_pid ex)
	bctl exec ex /bin/probe pid >"$T/ex.pid" 2>&1
	expect_eq "exec: exits 0" 0 "$?"
	p=$(sed -n 's/^pid //p' "$T/ex.pid")
	check "exec: a small pid: the jail's PID namespace (pid $p)" \
		eval '[ -n "$p" ] && [ "$p" -lt 10 ]'
	bctl exec ex /bin/probe procs >"$T/ex.procs" 2>&1
	expect_eq "exec: sees the jail's init, the service and itself only" 3 \
		"$(sed -n 's/^procs //p' "$T/ex.procs" | wc -w)"
	bctl exec ex /bin/sh -c "test -x /bin/probe && test ! -e $T && echo jail-root" \
		>"$T/ex.root" 2>&1
	expect_eq "exec: the jail's root (the rootfs, not the host)" jail-root "$(cat "$T/ex.root")"
	bctl exec ex /bin/probe ids >"$T/ex.ids" 2>&1
	expect_eq "exec: the jail's user" "uid 65534 65534 65534" "$(grep '^uid ' "$T/ex.ids")"
	bctl exec ex /bin/probe caps >"$T/ex.caps" 2>&1
	expect_eq "exec: the service itself has NoNewPrivs 1 (default)" 1 \
		"$(awk '/^NoNewPrivs:/ { print $2 }' "/proc/$svc/status" 2>/dev/null)"
	want=$(awk '/^CapEff:/ { print $2 }' "/proc/$svc/status" 2>/dev/null)
	expect_eq "exec: the service's CapEff is the configured cap_net_bind_service" \
		0000000000000400 "$want"
	expect_eq "exec: CapEff equals the service's" "$want" \
		"$(awk '/^CapEff/ { print $2 }' "$T/ex.caps")"
	expect_eq "exec: CapBnd equals the service's" \
		"$(awk '/^CapBnd:/ { print $2 }' "/proc/$svc/status" 2>/dev/null)" \
		"$(awk '/^CapBnd/ { print $2 }' "$T/ex.caps")"
	expect_eq "exec: no_new_privs" 1 "$(awk '/^NoNewPrivs/ { print $2 }' "$T/ex.caps")"
	bctl exec ex /bin/probe sleep extag-$$ >/dev/null 2>&1 &
	epid=$!
	BGPIDS="$BGPIDS $epid"
	await 10 cgroup_has_tag "$CGROOT/ex" "extag-$$"
	check "exec: the command runs in the jail's cgroup" cgroup_has_tag "$CGROOT/ex" "extag-$$"
	for p in $(cg_procs "$CGROOT/ex"); do
		if tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF "extag-$$"; then
			expect_eq "exec: ... in the jail's mount namespace" \
				"$(readlink "/proc/$svc/ns/mnt")" "$(readlink "/proc/$p/ns/mnt")"
			kill -KILL "$p"
		fi
	done
	await 10 eval "! alive $epid"
	wait "$epid"
	expect_eq "exec: a command killed by KILL gives 137" 137 "$?"
	bctl exec ex /bin/sh -c 'exit 7' >/dev/null 2>&1
	expect_eq "exec: the exit status comes back (7)" 7 "$?"
	echo piped-in | bctl exec ex /bin/cat >"$T/ex.cat" 2>&1
	expect_eq "exec: stdin and stdout are attached" piped-in "$(cat "$T/ex.cat")"
	bctl exec ex -- /bin/sh -c 'echo to-err >&2' 2>"$T/ex.err" >/dev/null
	expect_eq "exec: stderr is attached; -- is accepted" to-err "$(cat "$T/ex.err")"
	bctl exec ex /no/such/cmd >/dev/null 2>&1
	expect_eq "exec: a missing command gives 127" 127 "$?"
	bctl exec nosuch /bin/true >/dev/null 2>&1
	rc=$?
	check "exec: into an unknown jail is an error (exit $rc)" [ "$rc" != 0 ]
	bctl stop ex >/dev/null 2>&1
	await 10 state_is ex stopped
	bctl exec ex /bin/true >/dev/null 2>&1
	rc=$?
	check "exec: into a stopped jail is an error (exit $rc)" [ "$rc" != 0 ]
	sup_stop
}

# 200 MB of output from one jail (log = quiet) while another restarts every
# 100 ms: the restarts keep their pace and status keeps answering.
t_flood() {
	sup_init
	sjail flood <<-EOF
	[jail]
	root = $ROOTFS
	log = quiet
	exec = /bin/sh -c 'yes flood | head -c 200000000'
	[restart]
	policy = never
	EOF
	sjail bounce <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'exit 1'
	[restart]
	delay = 100ms
	max_delay = 100ms
	burst = 32
	interval = 1s
	EOF
	sup_start "flood: the supervisor starts" || return
	t0=$(now_ms)
	worst=0
	n=0
	b0=$(grep -c '^brig: bounce: started' "$SUPLOG")
	while ! grep -q '^brig: flood: exited' "$SUPLOG" && [ $(($(now_ms) - t0)) -lt 60000 ]; do
		t2=$(now_ms)
		timeout 10 "$BRIG" --socket "$SOCK" status >/dev/null 2>&1 || worst=99999
		ms=$(($(now_ms) - t2))
		[ "$ms" -le "$worst" ] || worst=$ms
		n=$((n + 1))
		sleep 0.05
	done
	t1=$(now_ms)
	b1=$(grep -c '^brig: bounce: started' "$SUPLOG")
	span=$((t1 - t0))
	check "flood: 200 MB of output ends with exit 0 ($span ms)" log_has "brig: flood: exited 0"
	check "flood: status answered $n times, each within 2 s (worst $worst ms)" \
		[ "$worst" -lt 2000 ]
	# One start per (100 ms + a start); a third of that pace is the bound.
	want=$((span / 300))
	check "flood: the other jail kept restarting ($((b1 - b0)) starts in $span ms, >= $want)" \
		[ $((b1 - b0)) -ge "$want" ]
	check "flood: log = quiet keeps it off the console" \
		eval "! grep -q '^flood: ' '$SUPLOG'"
	# 200000000 = 33333333 * 6 + 2: the output ends in "fl" without a newline.
	bctl logs -n 3 flood >"$T/flood.out" 2>&1
	expect_eq "flood: the ring has the newest lines" "flood flood fl" \
		"$(tr '\n' ' ' <"$T/flood.out" | sed 's/ $//')"
	sup_stop
	expect_eq "flood: the supervisor exits 0 on TERM" 0 "$SUPRC"
}

# abuse.py MODE SOCKET: one abusive client; prints what happened.
write_abuse_py() {
	cat >"$T/abuse.py" <<-'EOF'
	import os, socket, sys, threading, time
	mode, path = sys.argv[1], sys.argv[2]
	errors = []
	def status(results, go):
	    go.wait()
	    try:
	        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	        # Blocking, as brig's client: a non-blocking connect to a full
	        # listen backlog fails with EAGAIN at once instead of waiting.
	        c.connect(path)
	        c.settimeout(50)
	        c.sendall(b"status\0\0")
	        data = b""
	        while True:
	            b = c.recv(65536)
	            if not b:
	                break
	            data += b
	        c.close()
	        # Frames: type, 4-byte little-endian length, data; 'x' ends it.
	        out, pos, code = b"", 0, None
	        while pos + 5 <= len(data):
	            n = int.from_bytes(data[pos + 1:pos + 5], "little")
	            body = data[pos + 5:pos + 5 + n]
	            if data[pos:pos + 1] == b"o":
	                out += body
	            elif data[pos:pos + 1] == b"x":
	                code = body[0] if body else None
	            pos += 5 + n
	        results.append(code == 0 and out.startswith(b"NAME "))
	    except OSError as e:
	        results.append(False)
	        errors.append(repr(e))
	if mode == "frames":
	    # Reads the reply without sending anything; checks its framing.
	    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	    c.connect(path)
	    c.settimeout(20)
	    data = b""
	    try:
	        while True:
	            b = c.recv(65536)
	            if not b:
	                break
	            data += b
	    except OSError:
	        pass
	    pos, out = 0, []
	    while pos < len(data):
	        if pos + 5 > len(data):
	            out.append("truncated header")
	            break
	        kind = data[pos:pos + 1].decode("latin-1")
	        n = int.from_bytes(data[pos + 1:pos + 5], "little")
	        body = data[pos + 5:pos + 5 + n]
	        if len(body) != n or kind not in "oexj":
	            out.append("malformed frame %r at byte %d" % (data[pos:pos + 12], pos))
	            break
	        out.append("%s:%s" % (kind, body.decode("latin-1").strip() if kind != "x" else body[0]))
	        pos += 5 + n
	    print(" | ".join(out))
	    sys.exit(0)
	if mode == "many":
	    results, go = [], threading.Event()
	    ts = [threading.Thread(target=status, args=(results, go)) for _ in range(1000)]
	    for t in ts:
	        t.start()
	    go.set()
	    for t in ts:
	        t.join()
	    print("answered %d of %d" % (sum(results), len(ts)))
	    for e in sorted(set(errors)):
	        print("error: %s (%d times)" % (e, errors.count(e)))
	    sys.exit(0)
	s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	s.settimeout(20)
	s.connect(path)
	t0 = time.monotonic()
	if mode == "random":
	    s.sendall(os.urandom(4096))
	elif mode == "big":
	    try:
	        s.sendall(b"status" + b"x" * (1 << 20))
	    except (BrokenPipeError, ConnectionResetError):
	        pass
	elif mode == "loris":
	    s.sendall(b"sta")
	    print("sent", flush=True)
	try:
	    while s.recv(65536):
	        pass
	    print("closed after %.1f s" % (time.monotonic() - t0))
	except ConnectionResetError:
	    print("closed after %.1f s" % (time.monotonic() - t0))
	except socket.timeout:
	    print("still open after 20 s")
	EOF
}

abuse() {
	/usr/bin/python3 "$T/abuse.py" "$1" "$SOCK" >"$T/abuse.$1" 2>&1
}

t_socket_abuse() {
	sup_init
	sjail calm <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep calm-$$
	EOF
	sup_start "abuse: the supervisor starts" || return
	await 10 state_is calm running
	pid=$(jfield calm pid)
	write_abuse_py
	abuse random
	check "abuse: 4 KiB of random bytes: the connection is closed" \
		grep -q '^closed' "$T/abuse.random"
	check "abuse: ... and status still answers" status_answers
	abuse big
	check "abuse: a 1 MB request: the connection is closed" grep -q '^closed' "$T/abuse.big"
	check "abuse: ... and status still answers" status_answers
	/usr/bin/python3 "$T/abuse.py" loris "$SOCK" >"$T/abuse.loris" 2>&1 &
	lpid=$!
	BGPIDS="$BGPIDS $lpid"
	await 10 grep -q sent "$T/abuse.loris"
	t0=$(now_ms)
	status_answers
	rc=$?
	ms=$(($(now_ms) - t0))
	check "abuse: a slow client holding a partial request: status answers within 2 s ($ms ms)" \
		eval "[ $rc = 0 ] && [ $ms -lt 2000 ]"
	await 30 eval "! alive $lpid"
	wait "$lpid"
	check "abuse: the slow client is dropped ($(tail -n 1 "$T/abuse.loris"))" \
		grep -q '^closed' "$T/abuse.loris"
	# 1,000 clients at once (threads: 1,000 processes take longer to fork
	# here than brig takes to answer); each must get its answer, exit 0.
	t0=$(now_ms)
	/usr/bin/python3 "$T/abuse.py" many "$SOCK" >"$T/abuse.many" 2>&1
	ms=$(($(now_ms) - t0))
	expect_eq "abuse: 1,000 concurrent clients all get a table and exit 0 (in $ms ms)" \
		"answered 1000 of 1000" "$(cat "$T/abuse.many")"
	check "abuse: ... within 60 s" [ "$ms" -lt 60000 ]
	# And 50 real clients at once.
	mkdir -p "$T/many"
	pids=
	i=0
	while [ "$i" -lt 50 ]; do
		(timeout 60 "$BRIG" --socket "$SOCK" status >/dev/null 2>&1
		echo $? >"$T/many/$i") &
		pids="$pids $!"
		i=$((i + 1))
	done
	for p in $pids; do
		wait "$p"
	done
	expect_eq "abuse: 50 concurrent brig status all exit 0" "50 0" \
		"$(cat "$T/many"/* | grep -c .) $(cat "$T/many"/* | grep -cvx 0)"
	check "abuse: ... and status still answers" status_answers
	# Non-root: refused by the socket's mode or by the supervisor itself;
	# opening the socket's mode shows the supervisor refuses too.
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	$nobody timeout 10 "$BRIG" --socket "$SOCK" status >"$T/nr.out" 2>&1
	rc=$?
	check "abuse: a non-root client is refused (exit $rc)" [ "$rc" != 0 ]
	chmod 0777 "$SOCK"
	$nobody timeout 10 "$BRIG" --socket "$SOCK" stop calm >"$T/nr.out" 2>&1
	rc=$?
	check "abuse: ... also when it can open the socket (exit $rc)" [ "$rc" != 0 ]
	if grep -q 'permission denied' "$T/nr.out"; then
		ok "abuse: ... with a message"
	else
		not_ok "abuse: ... with a message" "expected 'permission denied'; got:" \
			"$(cat "$T/nr.out")"
	fi
	$nobody /usr/bin/python3 "$T/abuse.py" frames "$SOCK" >"$T/nr.frames" 2>&1
	expect_eq "abuse: the refusal is well-framed: one message, then exit 1" \
		"e:brig: permission denied (root only) | x:1" "$(cat "$T/nr.frames")"
	expect_eq "abuse: ... and its stop was not obeyed" "running $pid" \
		"$(jfield calm state) $(jfield calm pid)"
	expect_eq "abuse: after it all, the jail is untouched" "running $pid" \
		"$(jfield calm state) $(jfield calm pid)"
	check "abuse: the supervisor is alive" alive "$SUPPID"
	sup_stop
	expect_eq "abuse: the supervisor exits 0 on TERM" 0 "$SUPRC"
}

run_tests t_status t_lifecycle t_restart_dependency t_kill t_logs t_log_ring t_pause_resume t_exec \
	t_flood t_socket_abuse
