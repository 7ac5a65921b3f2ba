#!/bin/sh
# Boot benchmark of the appliance under qemu (TCG): figures only, never a
# test; it prints a table and exits 0 whatever the numbers are.
#   - boot time to "every jail ready" for 1, 16 and 64 trivial jails
#     (`sleep`, ready at exec), on the guest's own clock (/proc/uptime):
#     a oneshot "zz-bench" jail, started after every jail is ready (through
#     oneshot "x" jails of at most 32 `after` names each), prints it; the
#     figure includes zz-bench's own start. "brig" is the kernel's
#     timestamp of brig's first /dev/kmsg line (just after its early
#     mounts), so ready - brig is about brig's own part;
#   - the size of each initramfs and of build/brig;
#   - brig's memory as PID 1 (VmRSS, VmHWM of /proc/1/status) with the demo
#     config dir (configs/) running, and with 64 jails.
# The zz-bench jail sees the host's /proc at /host/proc, binds /run/brig in
# and ends each boot with `brig poweroff`.
# Usage: tests/bench/boot.sh [BUILD_DIR]   (root; QEMU_TIMEOUT per boot)
BUILD=${1:-${BUILD:-build}}
export BUILD
# shellcheck source=tests/qemu/lib.sh
. tests/qemu/lib.sh

qemu_setup
out=$BUILD/bench
mkdir -p "$out"

# bench_jail CFG AFTER...: the measuring oneshot, after the named jails.
bench_jail() {
	bj_cfg=$1
	shift
	cat >"$bj_cfg/jails/zz-bench.ini" <<EOF
[jail]
type = oneshot
after = $*
exec = /bin/sh /etc/brig-bench.sh
[mounts]
bind = /run/brig:/run/brig:rw
bind = /proc:/host/proc
[security]
capabilities = cap_syslog
[restart]
policy = never
EOF
}

# The guest's side: the clock now, the kernel's timestamp of brig's first
# /dev/kmsg line (the kernel's own start is 0), PID 1's memory.
bench_script() {
	mkdir -p "$1/host/proc"
	cat >"$1/etc/brig-bench.sh" <<'EOF'
r=$(cut -d" " -f1 /proc/uptime)
i=$(dmesg | grep -m1 "brig: " | sed "s/^\[ *\([0-9.]*\)\].*/\1/")
echo "BENCH ready $r init ${i:--} $(grep -E "^Vm(RSS|HWM)" /host/proc/1/status | tr -s "\t " " " | tr "\n" " ")"
brig poweroff
sleep 30
EOF
}

# trivial CFG N: N sleep jails j1..jN, and the x oneshots over them.
trivial() {
	mkdir -p "$1/jails"
	printf '[init]\nhostname = bench\nshutdown_timeout = 5s\n' >"$1/brig.ini"
	i=1 groups="" group=""
	while [ "$i" -le "$2" ]; do
		printf '[jail]\nexec = /bin/sleep 100000\n' >"$1/jails/j$i.ini"
		group="$group j$i"
		if [ $((i % 32)) = 0 ] || [ "$i" = "$2" ]; then
			x=x$((i / 32 + (i % 32 != 0)))
			printf '[jail]\ntype = oneshot\nafter =%s\nexec = /bin/true\n' "$group" \
				>"$1/jails/$x.ini"
			groups="$groups $x"
			group=
		fi
		i=$((i + 1))
	done
	bench_jail "$1" "$groups"
}

mkdir -p "$T/extra/etc" "$T/demo-extra/etc" "$T/demo-extra/usr/share/www"
bench_script "$T/extra"
bench_script "$T/demo-extra"
echo '<p>brig</p>' >"$T/demo-extra/usr/share/www/index.html"
results=$out/boot.txt
: >"$results"
for n in 1 16 64 demo; do
	cfg=$T/cfg-$n
	if [ "$n" = demo ]; then
		mkdir -p "$cfg"
		cp -R configs/. "$cfg/"
		bench_jail "$cfg" "web setup limits"
		qemu_image "$n" "$cfg" "$T/demo-extra" || continue
	else
		trivial "$cfg" "$n"
		qemu_image "$n" "$cfg" "$T/extra" || continue
	fi
	qemu_boot "$n"
	cp "$T/$n.console" "$out/boot-$n.console"
	line=$(grep -a 'BENCH ready' "$T/$n.console" | tr -d '\r' | sed 's/.*BENCH //')
	size=$(stat -c %s "$T/$n.cpio.gz")
	echo "$n $size $BOOT_RC $line" >>"$results"
done

echo "# boot under qemu TCG, 2 vCPUs, Debian's kernel; guest clock"
printf '%-6s %12s %9s %9s %10s %9s %9s\n' jails "initramfs B" "brig s" "ready s" "ready-brig" \
	"RSS kB" "HWM kB"
awk -v out="$out" '{
	r = i = rss = hwm = ""
	for (k = 4; k < NF; k++) {
		if ($k == "ready") r = $(k + 1)
		if ($k == "init") i = $(k + 1)
		if ($k == "VmRSS:") rss = $(k + 1)
		if ($k == "VmHWM:") hwm = $(k + 1)
	}
	if (r == "") {
		printf "%-6s %12s  (no figure: qemu status %s, console in %s/boot-%s.console)\n",
			$1, $2, $3, out, $1
		next
	}
	printf "%-6s %12d %9.2f %9.2f %10.2f %9s %9s\n", $1, $2, i, r, r - i, rss, hwm
}' "$results"
echo "build/brig: $(stat -c %s "$BUILD/brig") bytes"
echo "(consoles in $out/boot-*.console)"
exit 0
