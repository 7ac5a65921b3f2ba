#!/bin/sh
# Shutdown of a running appliance by signal to PID 1 (brig(8), INIT MODE).
# A jail's own PID 1 is its jail init, so the signals come from the host's
# PID namespace: the image boots with no jail file, brig starts the
# emergency shell, and the shell writes three jail files, sends SIGHUP (the
# emergency loop re-reads the config dir and goes on to supervise), waits
# for the jails through the control socket, then signals PID 1 with the
# signal named by brigtest.signal= on the kernel command line:
#   USR2  poweroff: "reboot: Power down"
#   TERM  reboot: "reboot: Restarting system" (qemu -no-reboot exits)
#   INT   reboot, as Ctrl-Alt-Del sends it (brig turns the kernel's instant
#         reboot off)
# Each boot: the jails stop in reverse dependency order and each prints its
# TERM; one that ignores TERM is killed after its stop_timeout; every jail
# is stopped before the kernel's last line; qemu exits.
# (SIGUSR1, halt, leaves qemu running, so it has no boot here.)
# shellcheck source=tests/qemu/lib.sh
. tests/qemu/lib.sh

qemu_setup

cfg=$T/cfg
extra=$T/extra
mkdir -p "$cfg" "$extra/etc/brig-test/jails"
guest_lib "$extra"

cat >"$cfg/brig.ini" <<'EOF'
[init]
hostname = brig-shutdown
shutdown_timeout = 5s
emergency_shell = /bin/sh /etc/brig-test/shell.sh
EOF
cat >"$extra/etc/brig-test/jails/db.ini" <<'EOF'
[jail]
exec = /bin/sh -c 'trap "echo db got TERM; exit 0" TERM; while :; do sleep 0.2; done'
EOF
cat >"$extra/etc/brig-test/jails/app.ini" <<'EOF'
[jail]
after = db
exec = /bin/sh -c 'trap "echo app got TERM; exit 0" TERM; while :; do sleep 0.2; done'
EOF
cat >"$extra/etc/brig-test/jails/stubborn.ini" <<'EOF'
[jail]
exec = /bin/sh -c 'trap "" TERM; while :; do sleep 0.2; done'
[restart]
stop_timeout = 1s
EOF
cat >"$extra/etc/brig-test/shell.sh" <<'EOF'
. /etc/brig-test/lib.sh
sig=$(sed -n 's/.*brigtest\.signal=\([A-Z0-9]*\).*/\1/p' /proc/cmdline)
echo "=== emergency-shell ok"
mkdir -p /etc/brig/jails
cp /etc/brig-test/jails/*.ini /etc/brig/jails/
kill -HUP 1
n=0
until [ -S /run/brig/control.sock ] && [ "$(field app state)" = running ] &&
	[ "$(field stubborn state)" = running ]; do
	n=$((n + 1))
	[ $n -lt 150 ] || break
	sleep 0.2
done
check jails-loaded test "$(field db state):$(field app state):$(field stubborn state)" = running:running:running
echo "=== signal $sig to PID 1"
kill -"$sig" 1
sleep 30
echo "=== shutdown fail: still running"
EOF

if qemu_image shutdown "$cfg" "$extra"; then
	for s in USR2:poweroff:"reboot: Power down" TERM:reboot:"reboot: Restarting system" \
		INT:reboot:"reboot: Restarting system"; do
		sig=${s%%:*} rest=${s#*:}
		what=${rest%%:*} last=${rest#*:}
		b=$what-$sig
		cp "$T/shutdown.cpio.gz" "$T/$b.cpio.gz"
		qemu_boot "$b" "brigtest.signal=$sig"
		expect_check "$b" emergency-shell "$sig: the emergency shell runs (no jail file)"
		expect_check "$b" jails-loaded "$sig: SIGHUP loads the jails the shell wrote"
		expect_console "$b" "brig: shutdown ($what)" "$sig to PID 1: shutdown ($what)"
		expect_order "$b" "$sig: jails stop in reverse dependency order" \
			"=== signal $sig to PID 1" "app got TERM" "db got TERM"
		expect_order "$b" "$sig: a jail ignoring TERM is killed after its stop_timeout" \
			"brig: stubborn: still running 1000 ms after SIGTERM, killing" \
			"brig: stubborn: stopped (killed by SIGKILL after stop_timeout)"
		expect_order "$b" "$sig: every jail stopped, then the kernel's $what" \
			"brig: every jail stopped" "$last"
		expect_exit "$b" "$sig: qemu exits"
		console_note "$b" "^brig: (shutdown|stopping|every|processes|unmounted)"
	done
fi

tap_done
