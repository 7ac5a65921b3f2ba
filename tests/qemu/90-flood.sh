#!/bin/sh
# A jail flooding its output on the serial console (issue 13 item 4): its
# echo is held to its budget (100 lines a second, the rest counted in a
# line of brig's), so another jail's started/failed lines and brig's own
# shutdown lines all reach the console. "flood" runs busybox `yes` for the
# whole boot; "late" starts 2 s in (after the oneshot "gate") and fails;
# "ender" (granted `control = full`) asks for the poweroff through the
# control socket 6 s in. No script checks in the guest: the console is the
# whole check.
# shellcheck source=tests/qemu/lib.sh
. tests/qemu/lib.sh

qemu_setup

cfg=$T/cfg
mkdir -p "$cfg/jails"
cat >"$cfg/brig.ini" <<'EOF'
[init]
hostname = brig-flood
shutdown_timeout = 5s
EOF
cat >"$cfg/jails/flood.ini" <<'EOF'
[jail]
exec = /bin/yes flood-line-of-the-flooding-jail
EOF
cat >"$cfg/jails/gate.ini" <<'EOF'
[jail]
type = oneshot
exec = /bin/sleep 2
EOF
cat >"$cfg/jails/late.ini" <<'EOF'
[jail]
after = gate
exec = /bin/sh -c 'echo late: giving up; exit 1'
[restart]
policy = on-failure
delay = 100ms
burst = 1
interval = 1m
EOF
cat >"$cfg/jails/ender.ini" <<'EOF'
[jail]
type = oneshot
exec = /bin/sh -c 'sleep 6; echo ender: poweroff; brig poweroff; echo ender: poweroff returned $?'
[security]
control = full
[restart]
policy = never
EOF

if qemu_image flood "$cfg"; then
	qemu_boot flood
	n=$(grep -c 'flood: flood-line-of-the-flooding-jail' "$T/flood.console")
	if [ "$n" -ge 100 ]; then
		ok "control: the flood reaches the console ($n lines echoed)"
	else
		console_fail "control: the flood reaches the console (only $n lines)" "$T/flood.console"
	fi
	expect_console flood "brig: jail flood: " "the lines past the budget are counted in a line of brig's"
	expect_order flood "another jail's lines get through the flood" \
		"brig: gate: done" "brig: late: started" "late: late: giving up" "brig: late: failed"
	expect_order flood "brig's own shutdown lines get through the flood" \
		"ender: ender: poweroff" "brig: stopping every jail" "brig: every jail stopped" \
		"brig: shutdown (poweroff)"
	console_note flood 'brig: (jail flood|late|shutdown|stopping|every)'
	expect_exit flood "qemu exits after the poweroff"
fi

tap_done
