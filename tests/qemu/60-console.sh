#!/bin/sh
# [init] console: a shell kept on the console while jails run (README,
# "Init mode: decisions"). The console command is a script standing in for
# a person at the console: it sees the running jail through `brig status`
# and `brig exec` (the control socket of the host side), exits once and is
# started again, and the second time powers the appliance off with the
# `poweroff` link, which asks the supervisor through its socket.
# shellcheck source=tests/qemu/lib.sh
. tests/qemu/lib.sh

qemu_setup

cfg=$T/cfg
extra=$T/extra
mkdir -p "$cfg/jails" "$extra/etc"
guest_lib "$extra"
cat >"$cfg/brig.ini" <<'EOF'
[init]
console = /bin/sh /etc/console.sh
shutdown_timeout = 3s
EOF
cat >"$cfg/jails/svc.ini" <<'EOF'
[jail]
exec = /bin/sh -c 'trap "echo svc got TERM; exit 0" TERM; while :; do sleep 1; done'
EOF
cat >"$extra/etc/console.sh" <<'EOF'
#!/bin/sh
. /etc/brig-test/lib.sh
if [ ! -e /tmp/console-ran ]; then
	: >/tmp/console-ran
	check console-tty sh -c 'tty | grep -q "^/dev/tty"'
	check console-status wait_state svc running 20
	check console-exec sh -c 'test "$(brig exec svc /bin/hostname)" = svc'
	echo "=== console first-run done"
	sleep 1
	exit 0
fi
check console-again true
poweroff
sleep 30
EOF

if qemu_image console "$cfg" "$extra"; then
	qemu_boot console
	expect_console console "brig: starting console /bin/sh on" \
		"the console command starts on the console"
	expect_check console console-tty "it has the console as its terminal"
	expect_check console console-status "it sees the jail running (brig status through the socket)"
	expect_check console console-exec "brig exec works from it"
	expect_check console console-again "it is started again after it exits"
	expect_order console "poweroff from the console stops the jail, then the machine" \
		"=== console-again ok" "svc got TERM" "brig: every jail stopped" "brig: powering off"
	expect_exit console "qemu exits after the poweroff"
fi

tap_done
