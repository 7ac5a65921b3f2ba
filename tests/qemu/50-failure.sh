#!/bin/sh
# failure_action = reboot (brig.ini(5) [restart], brig(8)): a jail that gives up
# reboots the appliance, in order. "critical" exits 1 at every start with
# burst = 1; once it is failed, brig shuts down (the other jail sees its
# TERM) and reboots, and qemu (-no-reboot) exits. No test script runs in
# the guest: the console lines are the whole check.
# shellcheck source=tests/qemu/lib.sh
. tests/qemu/lib.sh

qemu_setup

cfg=$T/cfg
mkdir -p "$cfg/jails"
cat >"$cfg/brig.ini" <<'EOF'
[init]
hostname = brig-failure
shutdown_timeout = 5s
EOF
cat >"$cfg/jails/steady.ini" <<'EOF'
[jail]
exec = /bin/sh -c 'trap "echo steady got TERM; exit 0" TERM; while :; do sleep 0.2; done'
EOF
cat >"$cfg/jails/critical.ini" <<'EOF'
[jail]
after = steady
exec = /bin/sh -c 'echo critical: giving up; exit 1'
[restart]
policy = on-failure
delay = 100ms
burst = 1
interval = 1m
failure_action = reboot
EOF

if qemu_image failure "$cfg"; then
	qemu_boot failure
	expect_order failure "critical starts once steady is ready (after = steady)" \
		"brig: steady: ready" "brig: critical: started"
	expect_console failure "brig: critical: exited 1" "the exit is reported"
	# brig's error lines reach the serial console through printk, the
	# others through the tty, which printk can overtake: each order below
	# stays within one of them (the kernel's last line comes much later).
	expect_order failure "the jail gives up, then the appliance reboots in order" \
		"critical: critical: giving up" "brig: stopping every jail" "steady got TERM" \
		"brig: every jail stopped" "brig: shutdown (reboot)" "reboot: Restarting system"
	expect_order failure "the failure is reported before the jails stop" \
		"brig: critical: failed" "brig: every jail stopped"
	console_note failure 'brig: (critical|shutdown)'
	expect_exit failure "qemu exits after the reboot (-no-reboot)"
fi

tap_done
