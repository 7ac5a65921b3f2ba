#!/bin/sh
# Init mode with jails (brig(8)), one boot. brig is /init; the jails below
# start from /etc/brig/jails, and a oneshot "checker" jail, started after
# the others, runs the checks, then `brig poweroff` through the control
# socket (it binds /run/brig in: its own PID 1 is its jail init, so a
# signal to "PID 1" would never reach brig).
#   - boot to every jail ready, in dependency order: setup (a oneshot) ->
#     db -> app -> web (ready = fd:3, a second after its start);
#   - a jail file with an error (broken.ini) is reported as FILE:LINE and
#     the boot goes on; so are eight more, past the kernel's rate limit of
#     /dev/kmsg;
#   - overlay = tmpfs (overlay.ko from [init] modules): the jail writes its
#     /etc, the host's /etc does not change; without overlay the root is
#     read-only (the negative control);
#   - cpuset.cpus and io.max written and read back (io.max on /dev/ram0,
#     brd.ko: major 1 is fixed, so the jail file can name 1:0 before boot,
#     which a virtio disk's dynamic major would not allow);
#   - services that double-fork leave no zombie anywhere in the system;
#   - what reboot/poweroff do inside a jail that has no control socket
#     (busybox's, toybox's and brig's own; notes, plus: the machine stays up);
#   - `brig poweroff` from a jail: an orderly shutdown in reverse dependency
#     order, every jail sees its TERM, a jail ignoring TERM is killed after
#     its stop_timeout, then the power goes off and qemu exits.
# shellcheck source=tests/qemu/lib.sh
. tests/qemu/lib.sh

qemu_setup

cfg=$T/cfg
extra=$T/extra
mkdir -p "$cfg/jails" "$extra/host/proc" "$extra/host/cgroup"
guest_lib "$extra"
jail() { cat >"$cfg/jails/$1.ini"; }

cat >"$cfg/brig.ini" <<'EOF'
[init]
hostname = brig-jails
modules = overlay brd
shutdown_timeout = 5s
EOF

# ---- a dependency chain; each service says when its TERM comes ----
jail setup <<'EOF'
[jail]
type = oneshot
exec = /bin/sh -c 'sleep 1; echo setup finished'
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
exec = /bin/sh -c 'trap "echo web got TERM; exit 0" TERM; sleep 1; echo web says ready; echo >&3; while :; do sleep 0.2; done'
EOF
# Ignores TERM: killed stop_timeout after it.
jail stubborn <<'EOF'
[jail]
exec = /bin/sh -c 'trap "" TERM; while :; do sleep 0.2; done'
[restart]
stop_timeout = 1s
EOF

# ---- a file with an error on line 5 ----
jail broken <<'EOF'
[jail]
exec = /bin/sleep 1000

[cgroup]
memroy.max = 1M
EOF

# Eight more, so the error lines outrun the kernel's rate limit on
# /dev/kmsg writes (printk.devkmsg=ratelimit: 10 lines in 5 s): each error
# must still reach the console.
for i in 1 2 3 4 5 6 7 8; do
	printf '[jail]\nexec = /bin/true\nbogus%s = 1\n' "$i" >"$cfg/jails/broken$i.ini"
done

# ---- overlay, and the read-only root as its negative control ----
jail ovl <<'EOF'
[jail]
type = oneshot
overlay = tmpfs
exec = /bin/sh -c 'echo from-ovl >/etc/ovl-marker && grep -qx from-ovl /etc/ovl-marker && echo "=== overlay-write ok" || echo "=== overlay-write fail"'
[restart]
policy = never
EOF
jail rofs <<'EOF'
[jail]
type = oneshot
exec = /bin/sh -c 'if echo x >/etc/ro-marker 2>/dev/null; then echo "=== ro-root fail: /etc written"; else echo "=== ro-root ok"; fi'
[restart]
policy = never
EOF

# ---- cpuset and io ----
jail iocpu <<'EOF'
[jail]
exec = /bin/sh -c 'echo "iocpu $(grep Cpus_allowed_list /proc/self/status | tr -d "\t")"; exec sleep 100000'
[cgroup]
cpuset.cpus = 1
io.max = 1:0 rbps=1048576 wbps=2097152
io.weight = 50
EOF

# ---- daemons that double-fork: a service, and a oneshot that leaves its
#      grandchildren behind when it exits ----
jail forker <<'EOF'
[jail]
exec = /bin/sh -c 'for i in 1 2 3 4; do (sleep 1 &); (sh -c "sleep 2 & exit 0" &); done; echo forker forked; while :; do sleep 0.5; done'
EOF
jail forker1 <<'EOF'
[jail]
type = oneshot
exec = /bin/sh -c 'for i in 1 2 3; do (sleep 2 &); (sh -c "sleep 3 & exit 0" &); done; exit 0'
[restart]
policy = never
EOF

# ---- poweroff inside a jail without the control socket ----
for v in busybox toybox brig; do
	jail "jp-$v" <<EOF
[jail]
type = oneshot
exec = /bin/sh -c 'trap "echo jp-$v: shell got USR2" USR2; /bin/$v poweroff; echo "jp-$v: poweroff returned \$?"; sleep 1; echo "jp-$v: still here"'
[restart]
policy = never
EOF
done

# ---- the checker ----
jail checker <<'EOF'
[jail]
type = oneshot
after = web stubborn ovl rofs iocpu forker forker1
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
for j in setup db app web stubborn; do
	s=$(field $j state)
	case $j:$s in setup:done | db:running | app:running | web:running | stubborn:running) ;;
	*) fail all-ready "$j is '$s'"; break ;;
	esac
	[ $j = stubborn ] && echo "=== all-ready ok"
done
check broken-left-out sh -c '! brig status broken >/dev/null 2>&1'
check overlay-host test ! -e /etc/ovl-marker
check cpuset-cpus test "$(cat $cg/iocpu/cpuset.cpus)" = 1
check cpuset-effective test "$(cat $cg/iocpu/cpuset.cpus.effective)" = 1
check io-max grep -qx '1:0 rbps=1048576 wbps=2097152 riops=max wiops=max' $cg/iocpu/io.max
check io-weight grep -qx 'default 50' $cg/iocpu/io.weight
# The jails that poweroff without the socket: let them end, then note how.
for v in busybox toybox brig; do
	n=0
	while [ $n -lt 25 ]; do
		case $(field jp-$v state) in starting | running | waiting) ;; *) break ;; esac
		sleep 0.2
		n=$((n + 1))
	done
	echo "note jp-$v: state $(field jp-$v state), last_exit $(field jp-$v last_exit)"
done
check jail-poweroff-contained test "$(brig status db | sed -n 's/^state: //p')" = running
# No zombie left anywhere, after the forkers' sleeps have ended.
sleep 3
z=$(awk '$3 == "Z" { print $1 "(" $2 ")" }' /host/proc/[0-9]*/stat 2>/dev/null | tr '\n' ' ')
if [ -z "$z" ]; then echo "=== no-zombies ok"; else fail no-zombies "$z"; fi
check zombie-scan-sees-host test -r /host/proc/1/stat
echo "=== poweroff-from-jail started"
# It answers once the shutdown is under way: this shell may still run
# before the TERM comes, so only a failure counts.
brig poweroff
rc=$?
[ "$rc" = 0 ] || echo "=== poweroff-from-jail fail: brig poweroff returned $rc"
sleep 30
EOF

if qemu_image jails "$cfg" "$extra"; then
	qemu_boot jails
	expect_order jails "jails start in dependency order, each after its dependency is ready" \
		"brig: setup: started" "setup: setup finished" "brig: setup: done" \
		"brig: db: started" "brig: db: ready" "brig: app: started" "brig: app: ready" \
		"brig: web: started" "web: web says ready" "brig: web: ready" "brig: checker: started"
	expect_check jails all-ready "every jail ready (setup done), as brig status says"
	expect_console jails "/etc/brig/jails/broken.ini:5: error: unknown key 'memroy.max'" \
		"a broken jail file is reported as FILE:LINE"
	n=0
	for i in 1 2 3 4 5 6 7 8; do
		grep -qF "/etc/brig/jails/broken$i.ini:3: error: unknown key 'bogus$i'" \
			"$T/jails.console" && n=$((n + 1))
	done
	if [ $n = 8 ]; then
		ok "nine broken files: every error line is on the console"
	else
		console_fail "nine broken files: every error line is on the console (only $n of 8 more)" \
			"$T/jails.console"
	fi
	expect_check jails broken-left-out "the broken jail is left out, the boot goes on"
	expect_check jails overlay-write "overlay = tmpfs: the jail writes its /etc"
	expect_check jails overlay-host "overlay = tmpfs: the host's /etc is unchanged"
	expect_check jails ro-root "without overlay the jail's root is read-only"
	expect_console jails "iocpu Cpus_allowed_list:1" "cpuset.cpus = 1 binds the jail to CPU 1"
	for c in cpuset-cpus cpuset-effective io-max io-weight; do
		expect_check jails $c "cgroup file read back: $c"
	done
	expect_check jails zombie-scan-sees-host "the zombie scan reads the host's /proc"
	expect_check jails no-zombies "double-forking services leave no zombie in the system"
	expect_check jails jail-poweroff-contained \
		"reboot/poweroff in a jail without the control socket leave the machine up"
	console_note jails 'note jp-|jp-(busybox|toybox|brig)'
	expect_console jails "=== poweroff-from-jail started" "the checker ran brig poweroff"
	expect_no_console jails "=== poweroff-from-jail fail" "brig poweroff from a jail does not fail"
	expect_console jails "brig: shutdown (poweroff)" "poweroff through the control socket"
	expect_order jails "shutdown stops dependents first" \
		"web got TERM" "app got TERM" "db got TERM"
	expect_console jails "brig: stubborn: stopped (killed by SIGKILL after stop_timeout)" \
		"a jail ignoring TERM is killed after its stop_timeout"
	expect_order jails "every jail stopped before the power goes off" \
		"brig: every jail stopped" "reboot: Power down"
	expect_exit jails "qemu exits after poweroff"
fi

tap_done
