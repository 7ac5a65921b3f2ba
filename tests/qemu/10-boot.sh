#!/bin/sh
# Init mode (brig(8), INIT MODE) on a real kernel: brig as /init of an initramfs.
# No jail is configured, so brig starts the emergency shell, and the shell
# runs the checks below and shuts the machine down.
#   boot "poweroff": early mounts, cgroup2 controllers for brig's subtree,
#     a pivotable root (rootfs refuses pivot_root with EINVAL), hostname,
#     modules with their dependencies, the watchdog (qemu's i6300esb),
#     /dev/kmsg lines, orphan reaping,
#     then /sbin/poweroff (brig as a client: SIGUSR2 to PID 1).
#   boot "reboot": the config dir from brig.config= on the kernel command
#     line; a shell that exits is started again; `kill -TERM 1` reboots;
#     a process that ignores TERM (and the HUP of its session leader
#     ending) gets KILL after shutdown_timeout.
# shellcheck source=tests/qemu/lib.sh
. tests/qemu/lib.sh

qemu_setup

# ---- boot 1: poweroff ----
mkdir -p "$T/cfg1" "$T/extra1/etc"
cat >"$T/cfg1/brig.ini" <<'EOF'
[init]
hostname = brig-test
modules = overlay veth bridge i6300esb
watchdog = /dev/watchdog
watchdog_interval = 1s
emergency_shell = /bin/sh /etc/brig-test.sh
shutdown_timeout = 5s
EOF
cat >"$T/extra1/etc/brig-test.sh" <<'EOF'
#!/bin/sh
check() { name=$1; shift; if "$@" >/dev/null 2>&1; then echo "=== $name ok"; else echo "=== $name fail: $*"; fi; }
check pid1 test "$(readlink /proc/1/exe)" = /init
check mounts sh -c 'set -e; mounted() { awk -v p="$1" -v t="$2" "\$2 == p && \$3 == t { f = 1 } END { exit !f }" /proc/mounts; }
	mounted /proc proc; mounted /sys sysfs; mounted /dev devtmpfs; mounted /dev/pts devpts
	mounted /dev/shm tmpfs; mounted /run tmpfs; mounted /tmp tmpfs; mounted /sys/fs/cgroup cgroup2'
check cgroup sh -c 'for c in cpu memory pids io; do
	grep -qw $c /sys/fs/cgroup/cgroup.subtree_control || exit 1
	grep -qw $c /sys/fs/cgroup/brig/cgroup.subtree_control || exit 1; done
	grep -qx 0::/ /proc/1/cgroup'
check pivot unshare -m sh -c 'mount --make-rprivate / && mkdir -p /tmp/nr &&
	mount -t tmpfs nr /tmp/nr && mkdir /tmp/nr/old && cd /tmp/nr && pivot_root . old'
check hostname test "$(hostname)" = brig-test
check modules sh -c 'grep -q "^overlay " /proc/modules && grep -q "^veth " /proc/modules &&
	grep -q "^bridge " /proc/modules && grep -q "^stp " /proc/modules'
check loopback sh -c 'ip link show lo | grep -q UP'
check kmsg sh -c 'dmesg | grep -q "brig: starting emergency shell"'
check console test -t 0
# Orphans: their parent exits at once, so they are PID 1's to reap.
sh -c 'sleep 0.2 & sleep 0.2 & exit 0'
sleep 1
check reap sh -c '! grep -l "^State:.*Z" /proc/[0-9]*/status'
poweroff
sleep 30
echo "=== poweroff fail: still running"
EOF

if qemu_image poweroff "$T/cfg1" "$T/extra1"; then
	QEMU_ARGS="-device i6300esb" qemu_boot poweroff
	# The probe's first pivot_root fails with EINVAL on rootfs (the
	# negative control); the second, after the rebind, succeeds.
	expect_console poweroff "brig: root is pivotable (initramfs rebound onto itself)" \
		"rootfs refuses pivot_root, the rebound root takes it"
	expect_console poweroff "brig: mounted /proc /sys /dev /dev/pts /dev/shm /run /tmp /sys/fs/cgroup" \
		"early mounts logged"
	expect_console poweroff "brig: module bridge: loaded" "module with dependencies loaded"
	expect_console poweroff "brig: watchdog /dev/watchdog: keepalive every 1000 ms" \
		"watchdog opened after its module loaded"
	for c in pid1 mounts cgroup pivot hostname modules loopback kmsg console reap; do
		expect_check poweroff $c "poweroff boot: $c"
	done
	expect_console poweroff "brig: shutdown (poweroff)" "poweroff runs the shutdown"
	expect_console poweroff "brig: unmounted" "shutdown unmounts"
	expect_console poweroff "reboot: Power down" "the kernel powers off"
	expect_exit poweroff "qemu exits after poweroff"
fi

# ---- boot 2: reboot by signal, config dir from the command line ----
mkdir -p "$T/cfg2" "$T/extra2/etc/alt"
cat >"$T/extra2/etc/alt/brig.ini" <<'EOF'
[init]
hostname = alt-config
emergency_shell = /bin/sh /etc/brig-test.sh
shutdown_timeout = 1s
EOF
cat >"$T/extra2/etc/brig-test.sh" <<'EOF'
#!/bin/sh
if [ ! -e /run/second ]; then
	: >/run/second
	echo "=== first-shell ok"
	exit 0
fi
echo "=== second-shell ok"
if [ "$(hostname)" = alt-config ]; then echo "=== cmdline-config ok"; else echo "=== cmdline-config fail"; fi
sh -c 'trap "" TERM HUP; while :; do sleep 1; done' &
sleep 0.5
kill -TERM 1
sleep 30
echo "=== reboot fail: still running"
EOF

if qemu_image reboot "$T/cfg2" "$T/extra2"; then
	qemu_boot reboot "brig.config=/etc/alt"
	expect_check reboot first-shell "emergency shell runs"
	expect_check reboot second-shell "an ended emergency shell is started again"
	expect_check reboot cmdline-config "brig.config= picks the config dir"
	expect_console reboot "brig: shutdown (reboot)" "SIGTERM to PID 1 reboots"
	expect_console reboot "processes left at the shutdown's deadline: KILL" "KILL after shutdown_timeout"
	expect_console reboot "reboot: Restarting system" "the kernel restarts"
	expect_exit reboot "qemu exits after reboot (-no-reboot)"
fi

tap_done
