# shellcheck shell=sh
# The boot suite that matters most, for a foreign target: sourced by
# tests/qemu/8x-ARCH.sh with BRIG_ARCH set. One boot of build/ARCH/brig as
# /init on Debian's kernel and machine for ARCH (initramfs/qemu.sh), with
# Debian's busybox-static of ARCH as the whole test root:
#   - every jail ready, in dependency order: setup (a oneshot) -> db ->
#     app -> web (ready = fd:3); web prints the guest's clock (seconds
#     since the kernel started) as it signals ready: "=== ready-at S";
#   - memory.max = 16M: the kernel OOM-kills a hog, the policy restarts it
#     and `brig status` counts the kill (oom_kills) and the restart;
#   - pids.max = 20 holds a fork bomb, its service lives on;
#   - a service that exits 3 is restarted by policy (on-failure), once:
#     restarts 1, last_exit "exited 3";
#   - `brig exec` runs a command in a jail (its hostname, its exit status);
#   - the guest is the target's machine (uname -m), so nothing ran on the
#     host's by mistake;
#   - `poweroff`: dependents stop first, every jail is stopped before the
#     kernel powers off, qemu exits.
# The checks run as the [init] console command, a script standing in for a
# person at the console (brig exec joins the jail's cgroup from outside).
# shellcheck source=tests/qemu/lib.sh
. tests/qemu/lib.sh

# uname -m in the guest: what Debian's kernel of BRIG_ARCH reports.
case $BRIG_ARCH in
aarch64) machine=aarch64 ;;
mipsel) machine=mips ;;
*) machine=$BRIG_ARCH ;;
esac

qemu_setup

cfg=$T/cfg
extra=$T/extra
mkdir -p "$cfg/jails" "$extra/state"
guest_lib "$extra"
jail() { cat >"$cfg/jails/$1.ini"; }

cat >"$cfg/brig.ini" <<EOF
[init]
hostname = brig-$BRIG_ARCH
shutdown_timeout = 5s
console = /bin/sh /etc/brig-test/check.sh
EOF

# ---- the dependency chain ----
jail setup <<'EOF'
[jail]
type = oneshot
exec = /bin/sh -c 'echo setup finished'
[restart]
policy = never
EOF
jail db <<'EOF'
[jail]
after = setup
exec = /bin/sh -c 'trap "echo db got TERM; exit 0" TERM; while :; do sleep 0.2; done'
EOF
jail app <<'EOF'
[jail]
after = db
exec = /bin/sh -c 'trap "echo app got TERM; exit 0" TERM; while :; do sleep 0.2; done'
EOF
jail web <<'EOF'
[jail]
after = app
ready = fd:3
exec = /bin/sh -c 'trap "echo web got TERM; exit 0" TERM; read -r up idle </proc/uptime; echo "=== ready-at $up"; echo >&3; while :; do sleep 0.2; done'
EOF

# ---- limits ----
jail hog <<'EOF'
[jail]
exec = /bin/sh -c 'if [ -e /state/oomed ]; then echo hog: second run, calm; exec sleep 100000; fi; : >/state/oomed; echo hog: eating; x=a; while :; do x="$x$x"; done'
[mounts]
volume = hogstate:/state
[cgroup]
memory.max = 16M
memory.swap.max = 0
[restart]
delay = 500ms
EOF
jail bomb <<'EOF'
[jail]
exec = /bin/sh -c 'echo bomb: forking; (b() { while :; do b & sleep 0.1; done; }; b) & exec sleep 100000'
log = quiet
[cgroup]
pids.max = 20
[restart]
stop_timeout = 1s
EOF

# ---- restart by policy ----
jail crash <<'EOF'
[jail]
exec = /bin/sh -c 'if [ -e /state/ran ]; then echo crash: second run; exec sleep 100000; fi; : >/state/ran; echo crash: failing; exit 3'
[mounts]
volume = crashstate:/state
[restart]
policy = on-failure
delay = 200ms
EOF

# ---- the checks, on the console ----
cat >"$extra/etc/brig-test/check.sh" <<EOF
machine=$machine
EOF
cat >>"$extra/etc/brig-test/check.sh" <<'EOF'
. /etc/brig-test/lib.sh
cg=/sys/fs/cgroup/brig
num() { case $1 in '' | *[!0-9]*) echo -1 ;; *) echo "$1" ;; esac; }

[ -e /tmp/checked ] && { echo "=== console fail: started again"; sleep 60; }
: >/tmp/checked
wait_state web running 120
s="$(field setup state):$(field db state):$(field app state):$(field web state)"
if [ "$s" = done:running:running:running ]; then echo "=== all-ready ok"; else fail all-ready "$s"; fi
check machine test "$(uname -m)" = "$machine"

# ---- memory ----
n=0
while [ $n -lt 300 ] && [ "$(num "$(field hog restarts)")" -lt 1 ]; do sleep 0.2; n=$((n + 1)); done
wait_state hog running 30
brig status hog | sed 's/^/status hog: /'
r=$(num "$(field hog restarts)")
if [ "$r" -ge 1 ]; then echo "=== oom-restarted ok"; else fail oom-restarted "restarts: $r"; fi
check oom-last-exit test "$(field hog last_exit)" = "killed SIGKILL"
o=$(num "$(field hog oom_kills)")
if [ "$o" -ge 1 ]; then echo "=== oom-kills-counted ok"; else fail oom-kills-counted "oom_kills: $o"; fi

# ---- pids ----
wait_state bomb running 30
max=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	p=$(cat $cg/bomb/pids.current)
	[ "$p" -gt "$max" ] && max=$p
	sleep 0.3
done
echo "bomb: pids.current peak $max, pids.events: $(cat $cg/bomb/pids.events)"
check pids-held test "$max" -le 20 -a "$max" -ge 15
check pids-refused sh -c "grep -q '^max [1-9]' $cg/bomb/pids.events"
check pids-service-lives test "$(field bomb state):$(field bomb restarts)" = running:0

# ---- restart by policy ----
n=0
while [ $n -lt 150 ] && [ "$(num "$(field crash restarts)")" -lt 1 ]; do sleep 0.2; n=$((n + 1)); done
wait_state crash running 30
check restart-policy test "$(field crash restarts):$(field crash last_exit)" = "1:exited 3"

# ---- brig exec ----
check exec-hostname test "$(brig exec db /bin/hostname)" = db
brig exec app /bin/sh -c 'exit 7'
check exec-status test $? = 7

# The client returns once the supervisor has the request; the shutdown
# then ends this script with every other process.
echo "=== poweroff started"
poweroff
sleep 60
EOF

if qemu_image "$BRIG_ARCH" "$cfg" "$extra"; then
	qemu_boot "$BRIG_ARCH"
	b=$BRIG_ARCH
	expect_console "$b" ": init on Linux" "$b: brig is PID 1 of the appliance"
	expect_order "$b" "$b: jails start in dependency order, each after its dependency is ready" \
		"brig: setup: started" "setup: setup finished" "brig: setup: done" \
		"brig: db: started" "brig: db: ready" "brig: app: started" "brig: app: ready" \
		"brig: web: started" "=== ready-at" "brig: web: ready"
	expect_check "$b" all-ready "$b: every jail ready (setup done), as brig status says"
	console_note "$b" '=== ready-at'
	expect_check "$b" machine "$b: the guest is the target's machine ($machine)"
	expect_console "$b" "brig: hog: killed by SIGKILL" "$b: memory.max: the hog is OOM-killed"
	expect_console "$b" "hog: second run, calm" "$b: the OOM-killed hog is restarted"
	expect_check "$b" oom-restarted "$b: brig status counts the restart"
	expect_check "$b" oom-last-exit "$b: brig status: last_exit killed SIGKILL"
	expect_check "$b" oom-kills-counted "$b: brig status counts the OOM kill (oom_kills)"
	expect_check "$b" pids-held "$b: pids.max = 20 holds a fork bomb"
	expect_check "$b" pids-refused "$b: the bomb's forks are refused (pids.events)"
	expect_check "$b" pids-service-lives "$b: the bomb's service lives on"
	expect_order "$b" "$b: a failed service is restarted by policy" \
		"crash: crash: failing" "brig: crash: exited 3" "brig: crash: restarting in" \
		"crash: crash: second run"
	expect_check "$b" restart-policy "$b: brig status: restarts 1, last_exit exited 3"
	expect_check "$b" exec-hostname "$b: brig exec runs in the jail"
	expect_check "$b" exec-status "$b: brig exec returns the command's status"
	console_note "$b" '^(status hog: (restarts|oom)|bomb:)'
	expect_console "$b" "=== poweroff started" "$b: the console ran poweroff"
	expect_no_console "$b" "=== console fail" "$b: the console script ran once"
	expect_order "$b" "$b: shutdown stops dependents first" \
		"brig: stopping every jail" "web got TERM" "app got TERM" "db got TERM"
	expect_order "$b" "$b: every jail stopped before the power goes off" \
		"brig: every jail stopped" "reboot: Power down"
	expect_exit "$b" "$b: qemu exits after poweroff"
fi

tap_done
