#!/bin/sh
# The supervisor loop's longest turn during a large reload, and (in QEMU)
# the longest gap between two watchdog keepalives. Figures only: it prints
# them and exits 0 whatever they are (non-zero only when it cannot measure).
#
#  1. Host, `brig supervise`: a config dir with one jail, then 200 more
#     files and a reload. While it starts them, a client asks `brig status`
#     every 10 ms; a request waits for the turn the loop is in, so the
#     longest wait bounds the longest turn from below. Also: the time until
#     all 201 jails run.
#  2. QEMU (skipped without it, or with LOOP_QEMU=0): brig as PID 1 with
#     `watchdog = /dev/kmsg` and `watchdog_interval = 100ms`: a keepalive is
#     a write of "k" where the ioctl does not apply, and in /dev/kmsg each
#     one is a record with the kernel's timestamp. The console script adds
#     200 jails and reloads, waits until all run, and prints the longest
#     gap between two keepalives from the reload on (goal: late by at most
#     half the interval), then powers off.
#
# BRIG=PATH measures another binary (e.g. an older build) the same way.
# Raw data: BUILD/bench/loop/. Needs root and a cgroup2 mount.
# Usage: tests/bench/loop.sh [BUILD_DIR]
set -eu
build=${1:-build}
build=$(cd "$build" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
brig=${BRIG:-$build/brig}
out=$build/bench/loop
rootfs=$build/rootfs
n=${LOOP_JAILS:-200}

say() { printf '%s\n' "$*"; }
die() { printf 'loop-bench: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root"
[ -x "$brig" ] || die "no $brig (make)"
[ -x "$rootfs/bin/probe" ] || make -C "$top" BUILD="$build" rootfs >/dev/null
mkdir -p "$out"
cg2=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break
	if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
[ -n "$cg2" ] || die "no cgroup2 mount"
tmp=$(mktemp -d /tmp/brig-loop.XXXXXX)
cgroot=$cg2/brig-loop-$$
sup=

cleanup() {
	[ -z "$sup" ] || kill -TERM "$sup" 2>/dev/null
	[ -z "$sup" ] || wait "$sup" 2>/dev/null
	[ ! -d "$cgroot" ] || find "$cgroot" -depth -type d -exec rmdir {} + 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

jail() {
	printf '[jail]\nroot = %s\nlog = quiet\nexec = /bin/probe sleep %s\n' "$rootfs" "$1" \
		>"$tmp/conf/jails/$1.ini"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- 1. host ----
mkdir -p "$tmp/conf/jails" "$tmp/state"
jail j000
"$brig" supervise --config-dir "$tmp/conf" --socket "$tmp/sock" --cgroup-root "$cgroot" \
	--state-dir "$tmp/state" >"$out/console-host.log" 2>&1 &
sup=$!
i=0
while ! "$brig" --socket "$tmp/sock" status >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 500 ] || die "the supervisor does not answer"
	sleep 0.02
done
i=1
while [ $i -le "$n" ]; do
	jail "$(printf 'j%03d' $i)"
	i=$((i + 1))
done
t0=$(now_ms)
kill -HUP "$sup"
worst=0 all=
: >"$out/status-waits.txt"
while :; do
	a=$(now_ms)
	"$brig" --socket "$tmp/sock" status >"$tmp/st" 2>&1 || true
	b=$(now_ms)
	echo "$((a - t0)) $((b - a))" >>"$out/status-waits.txt"
	[ $((b - a)) -le "$worst" ] || worst=$((b - a))
	running=$(grep -c ' running ' "$tmp/st" || true)
	if [ "$running" -ge $((n + 1)) ]; then
		all=$((b - t0))
		break
	fi
	[ $((b - t0)) -lt 120000 ] || break
	sleep 0.01
done
say "host, brig supervise, $n jails added by a reload:"
say "  longest wait for brig status (a loop turn at least): $worst ms"
say "  all $((n + 1)) jails running after: ${all:-more than 120000} ms"
kill -TERM "$sup"
wait "$sup" 2>/dev/null || true
sup=

# ---- 2. QEMU: the watchdog's keepalives, timestamped by the kernel ----
if [ "${LOOP_QEMU:-1}" = 0 ] || ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	say "qemu: skipped"
	exit 0
fi
sh "$top/initramfs/kernel.sh" "$build" >/dev/null || { say "qemu: no kernel"; exit 0; }
q=$tmp/q
mkdir -p "$q/cfg/jails" "$q/extra/etc/more"
printf '[init]\nwatchdog = /dev/kmsg\nwatchdog_interval = 100ms\nconsole = /bin/sh /etc/loop.sh\n' \
	>"$q/cfg/brig.ini"
printf '[jail]\nexec = /bin/sleep 100000\n' >"$q/cfg/jails/j000.ini"
i=1
while [ $i -le "$n" ]; do
	printf '[jail]\nexec = /bin/sleep 100000\n' >"$q/extra/etc/more/$(printf 'j%03d' $i).ini"
	i=$((i + 1))
done
cat >"$q/extra/etc/loop.sh" <<EOF
#!/bin/sh
sleep 2
t0=\$(cut -d' ' -f1 /proc/uptime)
cp /etc/more/*.ini /etc/brig/jails/
kill -HUP 1
n=0
while [ "\$(brig status | grep -c ' running ')" -lt $((n + 1)) ] && [ \$n -lt 600 ]; do
	n=\$((n + 1)); sleep 0.2
done
t1=\$(cut -d' ' -f1 /proc/uptime)
dmesg | awk -v t0="\$t0" -v t1="\$t1" '/\] k\$/ { t = substr(\$0, 2, index(\$0, "]") - 2) + 0
	if (t >= t0 && t <= t1) { if (p && t - p > w) w = t - p; p = t; k++ } }
	END { printf "=== reload of $n jails: %d ms; %d keepalives, longest gap %d ms\n",
	      (t1 - t0) * 1000, k, w * 1000 }'
sleep 1
poweroff
sleep 60
EOF
# The image takes BUILD/brig: another binary gets a build dir of its own.
qb=$build
if [ "$brig" != "$build/brig" ]; then
	qb=$tmp/build
	mkdir -p "$qb"
	ln -s "$build/kernel" "$qb/kernel"
	cp "$brig" "$qb/brig"
fi
sh "$top/initramfs/build.sh" "$qb" "$q/cfg" "$q/extra" "$q/img.cpio.gz" >"$out/initramfs.log" 2>&1 ||
	die "initramfs: see $out/initramfs.log"
INITRD="$q/img.cpio.gz" timeout 600 sh "$top/initramfs/qemu.sh" "$qb" </dev/null \
	>"$out/console-qemu.log" 2>&1 || true
line=$(grep "=== reload of" "$out/console-qemu.log" | tr -d '\r')
say "qemu, brig init, watchdog_interval 100 ms:"
say "  ${line:-no result: see $out/console-qemu.log}"
