#!/bin/sh
# The supervisor's boundary (issue 13 items 4 to 6, issue 8's control
# socket, issue 12's `brig logs`): a jail's console budget and a ready fd
# flood, what a jail's text can do to a terminal or a JSON parser, the
# control slots under `logs -f` followers, a request whose client went
# away, and which control commands a jail's process may send. Every
# attempt has a negative control.
# shellcheck disable=SC2317,SC2016,SC2034
. tests/lib.sh

ESC=$(printf '\033')
C1=$(printf '\233')

# A jail whose STATUS= and output carry ESC, raw 0x9B and U+009B.
sjail_noisy() {
	cat >"$CONF/jails/$1.ini" <<-EOF
	[jail]
	root = $ROOTFS
	ready = notify
	exec = /bin/sh -c 'printf "out\\033[2Jx\\233y\\302\\233z\\n"; /bin/probe notify "\$(printf "READY=1\\nSTATUS=s\\033[31mt\\233u\\302\\233v")"; exec /bin/probe sleep $1'
	EOF
}

t_sanitize() {
	sup_init
	sjail_noisy noisy
	mkdir -p "$CONF/x"
	printf '[jail]\nexec = /bin/true\n' >"$CONF/jails/bad${ESC}]0;owned${ESC}.ini"
	sup_start "sanitize: the supervisor starts" || return
	await 10 state_is noisy running
	bctl status >"$T/san.table" 2>&1
	bctl status noisy >"$T/san.one" 2>&1
	bctl status --json >"$T/san.json" 2>&1
	OUT=$T/san.table
	expect_eq "sanitize: status shows STATUS= escaped (table)" 1 \
		"$(grep -cF 's\x1b[31mt\x9bu\x9bv' "$T/san.table")"
	expect_eq "sanitize: ... and in status NAME" "status: s\\x1b[31mt\\x9bu\\x9bv" \
		"$(grep '^status: ' "$T/san.one")"
	expect_eq "sanitize: no ESC or 0x9B byte in status output" 0 \
		"$(cat "$T/san.table" "$T/san.one" | grep -c "[$ESC$C1]")"
	/usr/bin/python3 -c 'import json, sys
d = json.loads(sys.stdin.buffer.read().decode("utf-8", "strict"))
print(repr([j["status"] for j in d if j["name"] == "noisy"][0]))' <"$T/san.json" >"$T/san.py" 2>&1
	expect_eq "sanitize: status --json is strict UTF-8 JSON; 0x9B is \\u009b" \
		"'s\\x1b[31mt\\x9bu\\x9bv'" "$(cat "$T/san.py")"
	printf 'x\233y' | /usr/bin/python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8", "strict")' 2>/dev/null
	expect_eq "sanitize: control: a raw 0x9B is not UTF-8 to a strict parser" 1 "$?"
	await 10 log_has 'noisy: out\x1b[2Jx\x9by\x9bz'
	check "sanitize: the console echo is escaped" log_has 'noisy: out\x1b[2Jx\x9by\x9bz'
	check "sanitize: a jail file's name is escaped on the console" \
		grep -qF 'bad\x1b]0;owned\x1b.ini' "$SUPLOG"
	expect_eq "sanitize: no ESC or 0x9B byte reaches the console" 0 "$(grep -c "[$ESC$C1]" "$SUPLOG")"
	bctl logs noisy >"$T/san.pipe" 2>&1
	expect_eq "sanitize: control: brig logs into a pipe is byte-exact" 1 \
		"$(grep -c "out${ESC}\[2Jx${C1}y" "$T/san.pipe")"
	script -qec "$BRIG --socket $SOCK logs noisy" /dev/null >"$T/san.tty" 2>&1
	expect_eq "sanitize: brig logs on a terminal escapes" 1 \
		"$(grep -cF 'out\x1b[2Jx\x9by\x9bz' "$T/san.tty")"
	script -qec "$BRIG --socket $SOCK logs --raw noisy" /dev/null >"$T/san.raw" 2>&1
	expect_eq "sanitize: brig logs --raw on a terminal is byte-exact" 1 \
		"$(grep -c "out${ESC}\[2Jx${C1}y" "$T/san.raw")"
	sup_stop
}

t_logs_options() {
	sup_init
	sjail lo <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'echo one; echo two; echo three; exec /bin/probe sleep lo'
	EOF
	sup_start "logs: the supervisor starts" || return
	await 10 eval '[ "$(bctl logs lo 2>/dev/null | grep -c .)" -ge 4 ]'
	OUT=$T/lo.n; bctl logs lo -n 1 >"$OUT" 2>&1; RC=$?
	expect_eq "logs: options after the name (logs lo -n 1)" "ready" "$(cat "$OUT")"
	OUT=$T/lo.x; bctl logs -n x lo >"$OUT" 2>&1; RC=$?
	expect_rc "logs: -n x is a usage error (exit 2)" 2
	expect_eq "logs: ... that names the problem" 1 "$(grep -c "^brig: logs: bad word 'x' (brig logs " "$OUT")"
	OUT=$T/lo.f; bctl logs -f >"$OUT" 2>&1; RC=$?
	expect_rc "logs: -f without a name is a usage error (exit 2)" 2
	expect_eq "logs: ... saying the name is missing, not 'no jail named -f'" \
		"brig: logs: missing jail name (brig logs [-f] [-t] [-n LINES] [--raw] NAME)" \
		"$(head -n 1 "$OUT")"
	OUT=$T/lo.t; bctl logs -t lo >"$OUT" 2>&1; RC=$?
	expect_eq "logs -t: every line after its arrival time (ISO 8601 UTC, ms)" 4 \
		"$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z (one|two|three|ready)$' "$OUT")"
	t=$(sed -n 's/^\([^ ]*\)Z one$/\1/p' "$OUT")
	d=$(( $(date +%s) - $(date -u -d "$t" +%s 2>/dev/null || echo 0) ))
	expect_eq "logs -t: the time is the wall clock (within a minute)" yes \
		"$([ "$d" -ge 0 ] && [ "$d" -lt 60 ] && echo yes || echo "no: $t, $d s")"
	sup_stop
}

t_followers() {
	sup_init
	sjail_sleep fl fl
	sjail_sleep fl2 fl2
	sup_start "followers: the supervisor starts" || return
	await 10 state_is fl running
	pids=
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		bctl logs -f fl >"$T/f$i.out" 2>&1 &
		pids="$pids $!"
	done
	BGPIDS="$BGPIDS $pids"
	await 10 eval '[ "$(cat "$T"/f*.out | grep -c "followers already")" -ge 4 ]'
	expect_eq "followers: past the cap of 8, a follower is refused" 4 \
		"$(cat "$T"/f*.out | grep -c "^brig: logs -f: 8 followers already (the limit)$")"
	OUT=$T/fl.stop; bctl stop fl2 >"$OUT" 2>&1; RC=$?
	expect_rc "followers: with 8 following, brig stop gets through" 0
	OUT=$T/fl.status; bctl status >"$OUT" 2>&1; RC=$?
	expect_rc "followers: ... and brig status" 0
	OUT=$T/fl.logs; bctl logs fl >"$OUT" 2>&1; RC=$?
	expect_rc "followers: control: the cap is only for -f (logs without it answers)" 0
	for p in $pids; do kill "$p" 2>/dev/null; done
	sup_stop
}

t_client_gone() {
	sup_init
	sjail_stubborn gone 1s
	sup_start "client gone: the supervisor starts" || return
	await 10 log_has "gone: armed"
	timeout -s KILL 0.3 "$BRIG" --socket "$SOCK" stop gone >/dev/null 2>&1
	expect_eq "client gone: control: the client was killed before the reply" 137 "$?"
	check "client gone: the stop is still carried out" await 10 state_is gone stopped
	sup_stop
}

# A jail asking the supervisor: from its cgroup, whatever path it finds the
# socket by. The brig binary is bound in at /tmp/brig.
sjail_ctl() {
	name=$1 grant=$2 extra=$3
	cat >"$CONF/jails/$name.ini" <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c '/tmp/brig \$@ status >/dev/null 2>&1; echo status=\$?; /tmp/brig \$@ stop victim 2>&1; echo stop=\$?; /tmp/brig \$@ exec victim /bin/true 2>&1; echo exec=\$?; exec /bin/probe sleep $name' _ $extra
	[mounts]
	bind = $BRIG:/tmp/brig
	${4:-}
	[security]
	control = $grant
	EOF
}

ctl_result() {
	bctl logs "$1" 2>/dev/null | grep "^$2=" | head -n 1
}

t_control() {
	sup_init
	sjail_sleep victim victim
	# Through a bound socket dir, with nothing granted.
	sjail_ctl bound no "--socket /mnt/control.sock" "bind = $CONF:/mnt"
	# A host root: the host's socket path is right there.
	cat >"$CONF/jails/hostroot.ini" <<-EOF
	[jail]
	exec = /bin/sh -c '$BRIG --socket $SOCK status >/dev/null 2>&1; echo status=\$?; exec $PROBE sleep hostroot'
	EOF
	sjail_ctl ro status ""
	sup_start "control: the supervisor starts" || return
	for j in bound hostroot ro; do await 10 eval "ctl_result $j status | grep -q ."; done
	expect_eq "control: through a bound /run/brig, control = no: refused" "status=1" \
		"$(ctl_result bound status)"
	expect_eq "control: ... the reason given (stop and exec)" 2 \
		"$(bctl logs bound | grep -c '^brig: permission denied (\[security\] control = no)$')"
	expect_eq "control: through a host root, control = no: refused" "status=1" \
		"$(ctl_result hostroot status)"
	expect_eq "control: control = status: status answers" "status=0" "$(ctl_result ro status)"
	expect_eq "control: control = status: stop is refused" "stop=1" "$(ctl_result ro stop)"
	expect_eq "control: ... saying why" 1 \
		"$(bctl logs ro | grep -c '^brig: stop: not allowed from jail ro (control = status)$')"
	check "control: ... and the victim still runs" state_is victim running
	OUT=$T/ctl.host; bctl status >"$OUT" 2>&1; RC=$?
	expect_rc "control: control: from the host, status answers" 0
	# control = full, at the default path inside: stop gets through.
	sjail_ctl full full ""
	bctl reload >/dev/null 2>&1
	await 10 eval "ctl_result full exec | grep -q ."
	expect_eq "control: control = full finds /run/brig/control.sock; status answers" \
		"status=0" "$(ctl_result full status)"
	expect_eq "control: control = full: stop answers" "stop=0" "$(ctl_result full stop)"
	check "control: ... and the victim stopped" state_is victim stopped
	expect_eq "control: control = full: exec is refused with its reason" 1 \
		"$(bctl logs full | grep -c "^brig: exec: not allowed from jail full (no exec from a jail)$")"
	sup_stop
}

# A jail's echo: 100 lines a second, the rest counted; a ready fd flood
# without a newline is closed after 4 KiB.
t_output_budget() {
	sup_init
	sjail many <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'i=0; while [ \$i -lt 1000 ]; do echo many-\$i; i=\$((i + 1)); done; sleep 1.2; echo after; exec /bin/probe sleep many'
	EOF
	sjail few <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'i=0; while [ \$i -lt 50 ]; do echo few-\$i; i=\$((i + 1)); done; exec /bin/probe sleep few'
	EOF
	sjail rfd <<-EOF
	[jail]
	root = $ROOTFS
	ready = fd:3
	ready_timeout = 1h
	exec = /bin/sh -c 'yes x | tr -d "\\n" >&3'
	EOF
	sup_start "budget: the supervisor starts" || return
	await 10 state_is many running
	await 10 eval '[ "$(bctl logs many | grep -c "^many-")" = 1000 ]'
	await 10 log_has "many: after"
	expect_eq "budget: the ring keeps all 1000 lines" 1000 "$(bctl logs many | grep -c '^many-')"
	shown=$(grep -c '^many: many-' "$SUPLOG")
	expect_eq "budget: the console shows 100 a second of them (the loop may span two)" yes \
		"$([ "$shown" -ge 100 ] && [ "$shown" -le 200 ] && echo yes || echo "no: $shown")"
	n=$(sed -n 's/^brig: jail many: \([0-9]*\) lines not shown (over 100 a second)$/\1/p' \
		"$SUPLOG" | awk '{ n += $1 } END { print n + 0 }')
	expect_eq "budget: ... and lines of brig's count the rest" 1000 "$((shown + n))"
	expect_eq "budget: control: a jail within the budget shows every line" 50 \
		"$(grep -c '^few: few-' "$SUPLOG")"
	await 10 log_has "brig: jail rfd: ready fd: 4 KiB without a newline; closed"
	check "budget: a ready fd flood without a newline is closed after 4 KiB" \
		log_has "brig: jail rfd: ready fd: 4 KiB without a newline; closed"
	check "budget: ... and the jail is not taken as ready" state_is rfd starting backoff failed
	sup_stop
}

run_tests t_output_budget t_sanitize t_logs_options t_followers t_client_gone t_control
