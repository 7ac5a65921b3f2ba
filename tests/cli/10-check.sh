#!/bin/sh
# brig check, --help, version and make install, driven through the real binary.
# Needs no root. Prints TAP lines for tests/run.sh.
top=$(cd "$(dirname "$0")/../.." && pwd)
brig=$top/build/brig
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
tap_tmpdir
# expect_line DESC PATTERN: the last output holds a line matching PATTERN.
expect_line() {
	if grep -q -- "$2" "$tmp/out"; then ok "$1"; else not_ok "$1" "no line matching: $2" "$(cat "$tmp/out")"; fi
}

# A config dir with several broken files and one good one.
d=$tmp/conf
mkdir -p "$d/jails"
printf '[jail]\nexec = /bin/true\n' >"$d/jails/good.ini"
printf '[jail]\nexec = /bin/true\n\n[cgroup]\nmemroy.max = 16M\n' >"$d/jails/typo.ini"
printf '# first\n[jail]\nexec = bin/sh\ntype = daemon\n' >"$d/jails/two.ini"
printf '[jail]\nexec = /bin/true\nafter = nosuch\n' >"$d/jails/dangling.ini"
printf '[jail]\nexec = /bin/true\nafter = cyc-b\n' >"$d/jails/cyc-a.ini"
printf '[jail]\nexec = /bin/true\nafter = cyc-a\n' >"$d/jails/cyc-b.ini"
printf '[init]\nhostname = box\nshutdown_timeout = 5q\nwatchdog_interval = 2h\n' >"$d/brig.ini"
awk 'BEGIN { printf "[jail]\nexec = /bin/"; for (i = 0; i < 5000; i++) printf "x"; printf "\n" }' \
	>"$d/jails/longline.ini"
awk 'BEGIN { printf "[jail]\nexec = /bin/true\n"; for (i = 0; i < 7000; i++) printf "# padding line\n" }' \
	>"$d/jails/huge.ini"
printf '[jail]\nexec = /bin/true\n' >"$d/jails/bad name.ini"
printf '[jail]\nexec = /bin/true\nready_timeout = 48h\n[restart]\nstop_timeout = 1000000h\ndelay = 48h\n' \
	>"$d/jails/forever.ini"

"$brig" check "$d" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] && ok "check on a broken dir exits 1" || not_ok "check on a broken dir exits 1" "exit $rc"
expect_line "typo reported at its line with a suggestion" "typo.ini:5: error: .*did you mean 'memory.max'"
expect_line "first error of a file with two" "two.ini:3: error: exec: .*absolute"
expect_line "second error of a file with two" "two.ini:4: error: type: "
expect_line "missing dependency named at the after line" "dangling.ini:3: error: after: no jail named 'nosuch'"
expect_line "cycle reported" "cyc-.\.ini:3: error: after: dependency cycle"
expect_line "system file error at its line" "brig.ini:3: error: shutdown_timeout: "
expect_line "watchdog_interval has a maximum" "brig.ini:4: error: watchdog_interval: .* at most 10m"
expect_line "a 5000-byte line is an error at its line" "longline.ini:2: error: line longer than 4096"
expect_line "a file over 64 KiB is an error" "huge.ini.*error: file larger than 65536"
expect_line "a file name that is not a jail name" "bad name.ini: error: jail name"
expect_line "stop_timeout has a maximum" "forever.ini:5: error: stop_timeout: .* at most 10m"
expect_line "ready_timeout has a maximum" "forever.ini:3: error: ready_timeout: .* at most 1h"
expect_line "delay has a maximum" "forever.ini:6: error: delay: .* at most 1h"
if grep -q 'good.ini' "$tmp/out"; then not_ok "the good file is not reported" "$(grep good.ini "$tmp/out")"; else ok "the good file is not reported"; fi

# The seccomp keys: names and groups are checked against this build's table.
s=$tmp/sc
mkdir -p "$s"
printf '[jail]\nexec = /bin/true\n[security]\nseccomp.allow = read mout\n' >"$s/name.ini"
printf '[jail]\nexec = /bin/true\n[security]\nseccomp.deny = @netwrk-io\n' >"$s/group.ini"
printf '[jail]\nexec = /bin/true\n[security]\nseccomp = strict\nseccomp.action = errno\nseccomp.alow = read\n' >"$s/values.ini"
printf '[jail]\nexec = /bin/true\n[security]\nseccomp.deny =\n' >"$s/empty.ini"
"$brig" check "$s"/*.ini >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] && ok "seccomp: files with bad names: exit 1" || not_ok "seccomp: files with bad names: exit 1" "exit $rc"
expect_line "seccomp: an unknown syscall, at its line, with a suggestion" "name.ini:4: error: seccomp.allow: unknown syscall 'mout'; did you mean 'mount'?"
expect_line "seccomp: an unknown group, with a suggestion" "group.ini:4: error: seccomp.deny: unknown group '@netwrk-io'; did you mean '@network-io'?"
expect_line "seccomp: a bad mode" "values.ini:4: error: seccomp: 'strict' is not one of: default, allowlist, none"
expect_line "seccomp: a bad action" "values.ini:5: error: seccomp.action: 'errno' is not one of: eperm, kill"
expect_line "seccomp: a mistyped key gets a suggestion" "values.ini:6: error: unknown key 'seccomp.alow' in \[security\]; did you mean 'seccomp.allow'?"
expect_line "seccomp: an empty list" "empty.ini:4: error: seccomp.deny: empty list"
printf '[jail]\nexec = /bin/true\n[security]\nseccomp.allow = @mount\n' >"$s/mount.ini"
if [ "$(uname -m)" = x86_64 ]; then
	absent=vm86  # a syscall of i386 only
else
	absent=arch_prctl
fi
printf '[jail]\nexec = /bin/true\n[security]\nseccomp.deny = getppid %s\n' "$absent" >"$s/absent.ini"
"$brig" check "$s/mount.ini" "$s/absent.ini" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "seccomp: warnings alone exit 0" || not_ok "seccomp: warnings alone exit 0" "exit $rc" "$(cat "$tmp/out")"
expect_line "seccomp: allowing @mount warns that read-only binds can be remounted" "mount.ini:4: warning: seccomp.allow: with the mount calls allowed, a jail holding cap_sys_admin can remount its read-only binds writable"
expect_line "seccomp: a syscall this architecture lacks is a warning" "absent.ini:4: warning: seccomp.deny: syscall '$absent' does not exist on $(uname -m); ignored"

"$brig" check "$d/jails/good.ini" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "a clean file: exit 0" || not_ok "a clean file: exit 0" "exit $rc" "$(cat "$tmp/out")"
expect_line "a clean file: one summary line" "^$d/jails/good.ini: 1 jail, 0 errors, 0 warnings\$"

(cd "$top" && "$brig" check configs/) >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "configs/ passes brig check" || not_ok "configs/ passes brig check" "exit $rc" "$(cat "$tmp/out")"
expect_line "configs/: the summary names the jails it read" "^configs/: 5 jails, 0 errors, 0 warnings\$"
"$brig" check "$d" >"$tmp/out" 2>&1
expect_line "a broken dir: the summary counts its errors" "^$d: [0-9]* jails, [1-9][0-9]* errors, 0 warnings\$"

# A mount target missing from a root dir present here: a warning at check
# time (brig run would fail on it), none for targets under a tmpfs or in a
# writable root, nor for a target that exists.
r=$tmp/root
mkdir -p "$r/etc" "$r/srv" "$r/var"
printf '[jail]\nroot = %s\nexec = /bin/true\n[mounts]\nbind = /srv:/www\ntmpfs = /var\nbind = /srv:/var/www\nbind = /srv:/srv\n' "$r" >"$tmp/tgt.ini"
"$brig" check "$tmp/tgt.ini" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "targets: a warning alone exits 0" || not_ok "targets: a warning alone exits 0" "exit $rc" "$(cat "$tmp/out")"
expect_line "targets: a missing target is a warning naming the three ways out" "tgt.ini:5: warning: mount target /www does not exist in $r: create it there, mount a tmpfs on a parent, or set overlay = tmpfs"
if grep -qE 'tgt.ini:(6|7|8):' "$tmp/out"; then not_ok "targets: /var/www (under a tmpfs), /var and /srv (exist) are not reported" "$(cat "$tmp/out")"; else ok "targets: /var/www (under a tmpfs), /var and /srv (exist) are not reported"; fi

"$brig" check >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] && ok "check without a path is a usage error (2)" || not_ok "check without a path is a usage error (2)" "exit $rc"

"$brig" --help >"$tmp/out" 2>&1 && grep -q 'brig run' "$tmp/out" || grep -q 'run \[--cgroup-root' "$tmp/out"
[ $? -eq 0 ] && ok "--help lists run" || not_ok "--help lists run" "$(cat "$tmp/out")"
"$brig" version >"$tmp/out" 2>&1
expect_line "version prints a version" "^brig "
"$brig" frobnicate >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] && ok "an unknown command exits 2" || not_ok "an unknown command exits 2" "exit $rc"

make -s -C "$top" install DESTDIR="$tmp/inst" PREFIX=/usr >"$tmp/out" 2>&1
for l in brig init poweroff reboot halt; do
	if [ -x "$tmp/inst/usr/sbin/$l" ]; then ok "make install provides $l"; else not_ok "make install provides $l" "$(cat "$tmp/out")"; fi
done
[ "$(readlink "$tmp/inst/usr/sbin/reboot")" = brig ] && ok "reboot is a link to brig" || not_ok "reboot is a link to brig"
tap_done
