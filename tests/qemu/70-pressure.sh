#!/bin/sh
# PID 1 under pressure (issue 14), on a real boot. A console command (a
# script in the host's namespaces, with the control socket) plays the
# operator or the attacker; each boot must end by itself:
#   pause   stop --no-wait, pause, resume: the stop goes on; stopped and left
#           paused, then poweroff: the machine powers off. Also:
#           printk_devkmsg is on, and an error line shows once.
#   hup     a flood of SIGHUP to PID 1, then SIGTERM: the machine reboots.
#   bound   a 4-deep chain of jails that ignore TERM (stop_timeout 8s),
#           shutdown_timeout 2s: from SIGTERM to the kernel's restart in
#           about 2 s (printk.time gives the kernel's timestamps).
#   fork    fork fails while pids are exhausted: the console shell is
#           started again once they are back.
#   slow    the serial console throttled to about 1,200 bytes a second
#           (ttyS0 is a socket this script reads slowly), a jail failing
#           every 300 ms, another flooding its output: `brig status` still
#           answers at once, and the console says how many lines it lost.
# shellcheck source=tests/qemu/lib.sh
. tests/qemu/lib.sh

qemu_setup

stubborn() {
	printf '[jail]\n%sexec = /bin/sh -c %s\n[restart]\nstop_timeout = %s\n' "$2" \
		"'trap \"\" TERM; echo armed; while :; do sleep 0.2; done'" "$3" >"$1"
}

# ---- pause during stop, then poweroff ----
c=$T/pause
mkdir -p "$c/cfg/jails" "$c/extra/etc"
guest_lib "$c/extra"
printf '[init]\nconsole = /bin/sh /etc/pressure.sh\nshutdown_timeout = 3s\n' >"$c/cfg/brig.ini"
stubborn "$c/cfg/jails/stub.ini" "" 2s
printf '[jail]\nexec = /bin/true\nbogus_key = 1\n' >"$c/cfg/jails/broken.ini"
cat >"$c/extra/etc/pressure.sh" <<'EOF'
. /etc/brig-test/lib.sh
check stub-running wait_state stub running 30
brig stop stub --no-wait
brig pause stub
check paused-while-stopping test "$(field stub state)" = paused
brig resume stub
check resumed-stopping test "$(field stub state)" = stopping
check stop-goes-on wait_state stub stopped 10
brig start stub
wait_state stub running 30
brig stop stub --no-wait
brig pause stub
check paused-again test "$(field stub state)" = paused
check printk-devkmsg test "$(cat /proc/sys/kernel/printk_devkmsg)" = on
echo "=== poweroff requested"
poweroff
sleep 60
echo "=== poweroff fail: still running"
EOF
if qemu_image pause "$c/cfg" "$c/extra"; then
	qemu_boot pause
	for k in stub-running paused-while-stopping resumed-stopping stop-goes-on paused-again \
		printk-devkmsg; do
		expect_check pause "$k" "pause: $k"
	done
	expect_order pause "pause: poweroff with a jail paused while it stops ends in power-off" \
		"=== poweroff requested" "brig: every jail stopped" "reboot: Power down"
	n=$(grep -c "broken.ini:3: error: unknown key 'bogus_key'" "$T/pause.console")
	if [ "$n" = 1 ]; then
		ok "pause: an error line shows once on the console"
	else
		console_fail "pause: an error line shows once on the console (it shows $n times)" \
			"$T/pause.console"
	fi
	expect_exit pause "pause: qemu exits"
fi

# ---- a HUP flood, then TERM ----
c=$T/hup
mkdir -p "$c/cfg/jails" "$c/extra/etc"
guest_lib "$c/extra"
printf '[init]\nconsole = /bin/sh /etc/pressure.sh\nshutdown_timeout = 3s\n' >"$c/cfg/brig.ini"
i=0
while [ $i -lt 30 ]; do
	printf '[jail]\nautostart = no\nexec = /bin/sleep 1000\n' >"$c/cfg/jails/idle$i.ini"
	i=$((i + 1))
done
printf '[jail]\nexec = /bin/sh -c %s\n' "'trap \"echo busy got TERM; exit 0\" TERM; while :; do sleep 0.2; done'" \
	>"$c/cfg/jails/busy.ini"
cat >"$c/extra/etc/pressure.sh" <<'EOF'
. /etc/brig-test/lib.sh
check busy-running wait_state busy running 30
sh -c 'while :; do kill -HUP 1; done' &
sleep 3
echo "=== TERM to PID 1 during the flood"
kill -TERM 1
sleep 60
echo "=== term fail: still running"
EOF
if qemu_image hup "$c/cfg" "$c/extra"; then
	qemu_boot hup
	expect_check hup busy-running "hup: the jail runs"
	expect_console hup "brig: SIGHUP: reloading" "hup: the flood reloads"
	expect_order hup "hup: TERM during the flood reboots" \
		"=== TERM to PID 1 during the flood" "busy got TERM" "brig: every jail stopped" \
		"reboot: Restarting system"
	expect_exit hup "hup: qemu exits"
fi

# ---- the shutdown's bound ----
c=$T/bound
mkdir -p "$c/cfg/jails" "$c/extra/etc"
guest_lib "$c/extra"
printf '[init]\nconsole = /bin/sh /etc/pressure.sh\nshutdown_timeout = 2s\n' >"$c/cfg/brig.ini"
stubborn "$c/cfg/jails/c1.ini" "" 8s
stubborn "$c/cfg/jails/c2.ini" "after = c1
" 8s
stubborn "$c/cfg/jails/c3.ini" "after = c2
" 8s
stubborn "$c/cfg/jails/c4.ini" "after = c3
" 8s
cat >"$c/extra/etc/pressure.sh" <<'EOF'
. /etc/brig-test/lib.sh
check chain-running wait_state c4 running 60
echo "=== TERM at uptime $(cut -d' ' -f1 /proc/uptime)"
kill -TERM 1
sleep 60
echo "=== bound fail: still running"
EOF
if qemu_image bound "$c/cfg" "$c/extra"; then
	qemu_boot bound printk.time=1
	expect_check bound chain-running "bound: the 4-deep chain runs"
	t0=$(sed -n 's/.*=== TERM at uptime \([0-9.]*\).*/\1/p' "$T/bound.console" | head -n 1)
	t1=$(sed -n 's/^\[ *\([0-9.]*\)\] reboot: Restarting system.*/\1/p' "$T/bound.console" |
		head -n 1)
	ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { if (a == "" || b == "") print -1;
		else printf "%d\n", (b - a) * 1000 }')
	# 2 s, the 2 s PID 1 may wait for KILLed processes at most, and TCG.
	if [ "$ms" -ge 1500 ] && [ "$ms" -le 6000 ]; then
		ok "bound: TERM to the kernel's restart in $ms ms (shutdown_timeout 2s, 4 x 8s)"
	else
		console_fail "bound: TERM to the kernel's restart within shutdown_timeout (took $ms ms)" \
			"$T/bound.console"
	fi
	expect_console bound "brig: c1: stopped (killed by SIGKILL at shutdown_timeout)" \
		"bound: the chain's bottom is killed at the deadline"
	expect_exit bound "bound: qemu exits"
fi

# ---- the console shell after a failed fork ----
c=$T/fork
mkdir -p "$c/cfg/jails" "$c/extra/etc"
guest_lib "$c/extra"
printf '[init]\nconsole = /bin/sh /etc/pressure.sh\nshutdown_timeout = 3s\n' >"$c/cfg/brig.ini"
printf '[jail]\nexec = /bin/sleep 1000\n' >"$c/cfg/jails/idle.ini"
cat >"$c/extra/etc/pressure.sh" <<'EOF'
. /etc/brig-test/lib.sh
if [ ! -e /run/fork-ran ]; then
	: >/run/fork-ran
	cat /proc/sys/kernel/pid_max >/run/pid_max
	# Few pids left, then all of them taken for 6 s: the shell ends, and
	# PID 1's fork of the next one fails until they are back.
	echo "=== pids to be exhausted"
	sleep 1  # the terminal sends the line before the session's hangup
	echo 400 >/proc/sys/kernel/pid_max
	n=0
	while sleep 6 & do n=$((n + 1)); [ $n -lt 400 ] || break; done 2>/dev/null
	exit 0
fi
cat /run/pid_max >/proc/sys/kernel/pid_max
echo "=== console-back ok"
poweroff
sleep 60
EOF
if qemu_image fork "$c/cfg" "$c/extra"; then
	qemu_boot fork
	expect_console fork "=== pids to be exhausted" "fork: the pids run out"
	expect_console fork "brig: console /bin/sh did not start; again in" \
		"fork: PID 1's fork of the console fails, and it says when it tries again"
	expect_check fork console-back "fork: the console shell comes back"
	expect_exit fork "fork: qemu exits"
fi

# ---- a slow console ----
c=$T/slow
mkdir -p "$c/cfg/jails" "$c/extra/etc"
guest_lib "$c/extra"
printf '[init]\nconsole = /bin/sh /etc/pressure.sh\nshutdown_timeout = 3s\n' >"$c/cfg/brig.ini"
printf '[jail]\nexec = /bin/no-such-command\n[restart]\ndelay = 300ms\nmax_delay = 300ms\nburst = 32\ninterval = 1s\n' \
	>"$c/cfg/jails/flap.ini"
printf '[jail]\ntype = oneshot\nexec = /bin/sh -c %s\n' \
	"'i=0; while [ \$i -lt 3000 ]; do echo noisy line \$i; i=\$((i + 1)); done'" \
	>"$c/cfg/jails/noisy.ini"
cat >"$c/extra/etc/pressure.sh" <<'EOF'
. /etc/brig-test/lib.sh
sleep 3
worst=0
i=0
while [ $i -lt 20 ]; do
	a=$(uptime_ms)
	brig status >/dev/null 2>&1
	b=$(uptime_ms)
	[ $((b - a)) -le $worst ] || worst=$((b - a))
	sleep 0.2
	i=$((i + 1))
done
# Quiet now, so that the line gets through the slow console in time.
brig stop flap >/dev/null 2>&1
if [ $worst -lt 1000 ]; then
	echo "=== status-on-slow-console ok ($worst ms at worst)"
else
	echo "=== status-on-slow-console fail: $worst ms at worst"
fi
sleep 15
poweroff
sleep 60
EOF
if qemu_image slow "$c/cfg" "$c/extra"; then
	# ttyS0, the console, is a socket read 128 bytes every 0.1 s.
	python3 - "$T/slow.sock" "$T/slow.console" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
with open(sys.argv[2], "wb") as f:
    while True:
        b = c.recv(128)
        if not b:
            break
        f.write(b); f.flush()
        time.sleep(0.1)
PY
	reader=$!
	i=0
	while [ ! -S "$T/slow.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	BOOT_RC=0
	INITRD="$T/slow.cpio.gz" QEMU_ARGS="-chardev socket,id=con,path=$T/slow.sock \
		-serial chardev:con -monitor none" timeout "$QEMU_TIMEOUT" \
		sh "$TOP/initramfs/qemu.sh" "$BUILD" </dev/null >"$T/slow.qemu" 2>&1 || BOOT_RC=$?
	wait "$reader"
	expect_check slow status-on-slow-console "slow: brig status answers at once on a slow console"
	expect_console slow "brig: flap: restarting in 300 ms" "slow: the jail fails and restarts"
	expect_console slow "lines not shown (over 100 a second)" \
		"slow: a jail's flood is dropped, and the console says how much"
	expect_exit slow "slow: qemu exits"
fi

tap_done
