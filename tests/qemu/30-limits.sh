#!/bin/sh
# cgroup limits of jails on a real kernel, in init mode, one boot. A
# checker jail (a oneshot after the others, with /run/brig bound in for
# the client and the host's /proc at /host/proc) watches:
#   - memory.max = 16M, memory.swap.max = 0: the kernel OOM-kills a memory
#     hog inside its jail. "hog" is killed itself (once: a marker in a
#     volume makes its second run sleep), the policy restarts it, and
#     `brig status hog` counts the kill in oom_kills and restarts. In
#     "hog2" only a child of the service is killed and the service lives
#     on, so its oom_kills is read from the same cgroup the kill hit;
#   - pids.max = 20 holds a fork bomb: pids.current reaches 20 and never
#     goes above, the jail's service lives on,
#     pids.events counts refused forks, `brig stop` still ends it;
#   - cpu.max = 20% holds a busy loop near a fifth of one CPU (cpu.stat
#     usage_usec over about 4 s of the guest's clock, 10% to 35% accepted),
#     next to an unlimited loop as the negative control (above 50%);
#   - `brig stats --no-stream`, run from the console (outside every jail,
#     as a user would), shows the cpu.max = 20% loop near 20%, the
#     unlimited one above 50% and first, and a jail holding 8 MiB of
#     memory at 8 MiB or more of its memory.max = 32M;
#   - through all of it the supervisor answers and a bystander jail keeps
#     running without a restart.
# The checker ends the boot with `brig poweroff`. It names only the
# bystander in `after`: stopping a jail stops the jails that name it first,
# and the checker stops the bomb.
# shellcheck source=tests/qemu/lib.sh
. tests/qemu/lib.sh

qemu_setup

cfg=$T/cfg
extra=$T/extra
mkdir -p "$cfg/jails" "$extra/host/proc" "$extra/host/cgroup" "$extra/state"
guest_lib "$extra"
jail() { cat >"$cfg/jails/$1.ini"; }

cat >"$cfg/brig.ini" <<'EOF'
[init]
hostname = brig-limits
shutdown_timeout = 5s
console = /bin/sh /etc/brig-test/stats.sh
EOF
cat >"$extra/etc/brig-test/stats.sh" <<'EOF'
. /etc/brig-test/lib.sh
[ -e /tmp/stats-ran ] && exec sleep 100000
: >/tmp/stats-ran
for j in spin spinfree memhold; do wait_state $j running 30; done
n=0
while [ $n -lt 100 ] && ! brig logs memhold | grep -q holding; do sleep 0.2; n=$((n + 1)); done
brig stats --no-stream spin spinfree memhold >/tmp/stats.out 2>&1
sed 's/^/stats: /' /tmp/stats.out
col() { awk -v j="$1" -v c="$2" '$1 == j { print $c }' /tmp/stats.out; }
pct() { col "$1" 3 | sed 's/\..*//; s/%//'; }
num() { case $1 in '' | *[!0-9]*) echo -1 ;; *) echo "$1" ;; esac; }
sp=$(num "$(pct spin)")
fp=$(num "$(pct spinfree)")
check stats-cpu-max test "$sp" -ge 10 -a "$sp" -le 35
check stats-cpu-free test "$fp" -gt 50
check stats-sorted test "$(sed -n 2p /tmp/stats.out | awk '{ print $1 }')" = spinfree
mem=$(col memhold 4)
case $mem in
[89].[0-9]M | [89]M | [1-3][0-9].[0-9]M | [1-3][0-9]M) echo "=== stats-memory ok" ;;
*) echo "=== stats-memory fail: memhold MEM '$mem'" ;;
esac
check stats-memory-max test "$(col memhold 5)" = 32M
check stats-pids test "$(num "$(col memhold 6)")" -ge 1
: >/run/brig/stats-done
exec sleep 100000
EOF

jail bystander <<'EOF'
[jail]
exec = /bin/sh -c 'trap "echo bystander got TERM; exit 0" TERM; while :; do sleep 0.2; done'
EOF
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
jail hog2 <<'EOF'
[jail]
exec = /bin/sh -c 'sh -c "x=a; while :; do x=\$x\$x; done"; echo "hog2: child ended $?"; exec sleep 100000'
[cgroup]
memory.max = 16M
memory.swap.max = 0
EOF
jail bomb <<'EOF'
[jail]
exec = /bin/sh -c 'echo bomb: forking; (b() { while :; do b & sleep 0.1; done; }; b) & exec sleep 100000'
log = quiet
[cgroup]
pids.max = 20
cpu.max = 30%
[restart]
stop_timeout = 1s
EOF
jail spin <<'EOF'
[jail]
exec = /bin/sh -c 'while :; do :; done'
[cgroup]
cpu.max = 20%
EOF
jail spinfree <<'EOF'
[jail]
exec = /bin/sh -c 'while :; do :; done'
EOF

jail memhold <<'EOF'
[jail]
exec = /bin/sh -c 'x=$(dd if=/dev/zero bs=1048576 count=8 2>/dev/null | tr "\\0" a); echo "memhold: holding ${#x} bytes"; while :; do sleep 1; done'
[cgroup]
memory.max = 32M
EOF
jail checker <<'EOF'
[jail]
type = oneshot
after = bystander
exec = /bin/sh /etc/brig-test/check.sh
[mounts]
bind = /run/brig:/run/brig:rw
bind = /proc:/host/proc
bind = /sys/fs/cgroup:/host/cgroup
[restart]
policy = never
EOF
cat >"$extra/etc/brig-test/check.sh" <<'EOF'
. /etc/brig-test/lib.sh
cg=/host/cgroup/brig  # a jail's own /sys/fs/cgroup is its own cgroup
num() { case $1 in '' | *[!0-9]*) echo -1 ;; *) echo "$1" ;; esac; }

for j in hog hog2 bomb spin spinfree; do wait_state $j running 20; done

# ---- memory ----
n=0
while [ $n -lt 150 ] && [ "$(num "$(field hog restarts)")" -lt 1 ]; do sleep 0.2; n=$((n + 1)); done
wait_state hog running 20
n=0
while [ $n -lt 100 ] && ! [ -e /tmp/never ] && [ "$(field hog2 oom_kills)" != 1 ] &&
	! grep -q '^oom_kill [1-9]' $cg/hog2/memory.events 2>/dev/null; do sleep 0.2; n=$((n + 1)); done
brig status hog | sed 's/^/status hog: /'
brig status hog2 | sed 's/^/status hog2: /'
echo "hog2 memory.events: $(tr '\n' ' ' <$cg/hog2/memory.events)"
r=$(num "$(field hog restarts)")
if [ "$r" -ge 1 ]; then echo "=== oom-restarted ok"; else fail oom-restarted "restarts: $(field hog restarts)"; fi
check oom-last-exit test "$(field hog last_exit)" = "killed SIGKILL"
o=$(num "$(field hog oom_kills)")
if [ "$o" -ge 1 ]; then echo "=== oom-kills-counted ok"; else fail oom-kills-counted "hog oom_kills: $(field hog oom_kills), restarts $r"; fi
check oom-kernel-counted grep -q '^oom_kill 1' $cg/hog2/memory.events
o=$(num "$(field hog2 oom_kills)")
if [ "$o" -ge 1 ]; then echo "=== oom-kills-live ok"; else fail oom-kills-live "hog2 oom_kills: $(field hog2 oom_kills) while memory.events has $(grep oom_kill $cg/hog2/memory.events)"; fi
check oom-hog2-lives test "$(field hog2 state):$(field hog2 restarts)" = running:0

# ---- pids ----
# The bomb's processes die when a fork of theirs fails; its service (a
# sleep) stays, so the jail keeps its one cgroup.
max=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	p=$(cat $cg/bomb/pids.current)
	[ "$p" -gt "$max" ] && max=$p
	sleep 0.2
done
echo "bomb: pids.current peak $max, pids.events: $(cat $cg/bomb/pids.events), status pids.current $(field bomb pids.current)"
check pids-held test "$max" -le 20 -a "$max" -ge 15
check pids-refused sh -c "grep -q '^max [1-9]' $cg/bomb/pids.events"
check pids-status test "$(num "$(field bomb pids.current)")" -le 20
check pids-service-lives test "$(field bomb restarts)" = 0
brig stop bomb
check pids-stop wait_state bomb stopped 10
check pids-cgroup-gone test ! -e $cg/bomb

# ---- cpu ----
u0=$(sed -n 's/^usage_usec //p' $cg/spin/cpu.stat)
f0=$(sed -n 's/^usage_usec //p' $cg/spinfree/cpu.stat)
t0=$(uptime_ms)
sleep 4
u1=$(sed -n 's/^usage_usec //p' $cg/spin/cpu.stat)
f1=$(sed -n 's/^usage_usec //p' $cg/spinfree/cpu.stat)
t1=$(uptime_ms)
pct=$(((u1 - u0) / ((t1 - t0) * 10)))
fpct=$(((f1 - f0) / ((t1 - t0) * 10)))
echo "cpu: spin ${pct}% (cpu.max $(cat $cg/spin/cpu.max)), spinfree ${fpct}% of one CPU over $((t1 - t0)) ms"
check cpu-max-held test "$pct" -ge 10 -a "$pct" -le 35
check cpu-unlimited-control test "$fpct" -gt 50

# ---- the checker's own view: its cgroup, nothing else ----
check own-cgroup-limits sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max'
check own-cgroup-only sh -c "test ! -e /sys/fs/cgroup/hog && test ! -e /sys/fs/cgroup/../hog && test -d $cg/hog"
check own-cgroup-ro sh -c '! echo 1 >/sys/fs/cgroup/pids.max'

# ---- everyone else ----
check bystander-fine test "$(field bystander state):$(field bystander restarts)" = running:0
check supervisor-answers sh -c 'brig status | grep -q bystander'
echo "pid1: $(grep VmRSS /host/proc/1/status)"
n=0
while [ $n -lt 150 ] && [ ! -e /run/brig/stats-done ]; do sleep 0.2; n=$((n + 1)); done
echo "=== limits done"
brig poweroff
sleep 30
EOF

if qemu_image limits "$cfg" "$extra"; then
	qemu_boot limits
	expect_console limits "brig: hog: killed by SIGKILL" "the hog is killed inside its jail"
	expect_console limits "brig: hog: restarting in" "the policy restarts the hog"
	expect_console limits "hog: second run, calm" "the hog's second run starts"
	expect_check limits oom-restarted "brig status: the OOM-killed jail was restarted"
	expect_check limits oom-last-exit "brig status: last_exit killed SIGKILL"
	expect_check limits oom-kernel-counted "the kernel counts an OOM kill in the jail's memory.events"
	expect_check limits oom-kills-live "brig status: oom_kills of a live cgroup"
	expect_check limits oom-kills-counted "brig status: oom_kills counts the kill across the restart"
	expect_check limits oom-hog2-lives "a service whose child was OOM-killed goes on"
	expect_check limits pids-held "pids.max = 20 holds a fork bomb"
	expect_check limits pids-refused "the bomb's forks are refused (pids.events)"
	expect_check limits pids-status "brig status pids.current within the limit"
	expect_check limits pids-service-lives "the bomb's service is not restarted"
	expect_check limits pids-stop "brig stop ends a fork bomb"
	expect_check limits pids-cgroup-gone "the stopped bomb's cgroup is removed"
	expect_check limits cpu-max-held "cpu.max = 20% holds a busy loop near 20%"
	expect_check limits cpu-unlimited-control "an unlimited busy loop takes more (negative control)"
	expect_check limits own-cgroup-limits "a jail reads its memory.max, pids.max, cpu.max at /sys/fs/cgroup"
	expect_check limits own-cgroup-only "... and sees no other jail's cgroup there"
	expect_check limits own-cgroup-ro "... read-only"
	expect_check limits stats-cpu-max "brig stats: the cpu.max = 20% loop near 20%"
	expect_check limits stats-cpu-free "brig stats: the unlimited loop above 50%"
	expect_check limits stats-sorted "brig stats: sorted by CPU"
	expect_check limits stats-memory "brig stats: the memory holder's 8 MiB"
	expect_check limits stats-memory-max "brig stats: its memory.max"
	expect_check limits stats-pids "brig stats: its pids.current"
	expect_check limits bystander-fine "a bystander jail runs on, no restart"
	expect_check limits supervisor-answers "the supervisor answers through all of it"
	console_note limits '(checker: (status hog|hog2 memory|bomb:|cpu:|pid1:)|^stats: )'
	expect_console limits "bystander got TERM" "the bystander gets its TERM at poweroff"
	expect_console limits "reboot: Power down" "the kernel powers off"
	expect_exit limits "qemu exits after poweroff"
fi

tap_done
