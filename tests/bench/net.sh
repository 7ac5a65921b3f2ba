#!/bin/sh
# [net] benchmark (issue 10), figures only, never a test: it prints medians
# with their goals and exits 0 whatever they are.
#   1. `brig run` of a static true with [net] mode = host, none and veth
#      (hyperfine, medians). Goal: veth at most +1.5 ms over none.
#   2. Time from a service's crash (brig kill NAME KILL) to its port
#      answering again, for a veth jail and a none jail under one supervisor
#      (10 restarts each, median). Goal: veth no slower than none, since its
#      namespace, pair and addresses are kept, not made again.
# Everything runs inside a network namespace of its own (ip netns add) with
# a bridge there; the host's network is never touched.
# Needs root, hyperfine, a cgroup2 mount. BENCH_RUNS [100].
# Usage: tests/bench/net.sh [BUILD_DIR]
set -eu
build=${1:-build}
build=$(cd "$build" && pwd)
brig=$build/brig
rootfs=$build/rootfs
runs=${BENCH_RUNS:-100}
ns=brig-bench-net-$$
[ "$(id -u)" = 0 ] || { echo "net bench: needs root" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "net bench: needs hyperfine (tests/deps.sh)" >&2; exit 1; }
[ -f "$rootfs/.stamp" ] || sh "$(dirname "$0")/../rootfs.sh" "$build" >/dev/null
cg2=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break
	if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
cgroot=$cg2/brig-bench-net-$$
t=$(mktemp -d /tmp/brig-bench-net.XXXXXX)
sup=
cleanup() {
	[ -z "$sup" ] || { kill "$sup" 2>/dev/null; wait "$sup" 2>/dev/null || true; }
	ip netns del "$ns" 2>/dev/null || true
	find "$cgroot" -depth -type d -exec rmdir {} \; 2>/dev/null || true
	rm -rf "$t"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$cgroot" "$t/cfg/jails" "$t/state" "$t/www"
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add br0 type bridge
ip -n "$ns" addr add 10.66.0.1/24 dev br0
ip -n "$ns" link set br0 up
in_ns() { nsenter --net="/run/netns/$ns" "$@"; }
printf 'int main(void) { return 0; }\n' >"$t/true.c"
musl-gcc -static -Os -s -o "$t/true" "$t/true.c"
mkdir -p "$t/root/bin" "$t/root/proc" "$t/root/dev" "$t/root/tmp" "$t/root/sys"
cp "$t/true" "$t/root/bin/true"

# ---- 1. brig run: host, none, veth ----
for mode in host none veth; do
	{
		printf '[jail]\nroot = %s/root\nexec = /bin/true\n[net]\nmode = %s\n' "$t" "$mode"
		[ "$mode" != veth ] || printf 'bridge = br0\naddress = 10.66.0.9/24\n'
	} >"$t/$mode.ini"
done
in_ns hyperfine -N --warmup 10 --runs "$runs" --export-json "$t/run.json" \
	-n host "$brig run --cgroup-root $cgroot $t/host.ini" \
	-n none "$brig run --cgroup-root $cgroot $t/none.ini" \
	-n veth "$brig run --cgroup-root $cgroot $t/veth.ini" >/dev/null
medians=$(grep -o '"median": *[0-9.e-]*' "$t/run.json" | awk '{ printf "%.2f ", $2 * 1000 }')
# shellcheck disable=SC2086  # three words, on purpose
set -- $medians
echo "brig run, median ms: host $1, none $2, veth $3 (veth - none: $(echo "$3 $2" | awk '{ printf "%+.2f", $1 - $2 }') ms; goal <= +1.5)"

# ---- 2. reachable again after a crash ----
echo "hello" >"$t/www/index.html"
for j in v:veth n:none; do
	name=${j%%:*}
	{
		printf '[jail]\nroot = %s\nexec = /bin/busybox httpd -f -p 8080 -h /mnt\n' "$rootfs"
		printf '[mounts]\nbind = %s/www:/mnt\n[restart]\ndelay = 0\nburst = 32\n[net]\nmode = %s\n' "$t" "${j#*:}"
		[ "$name" != v ] || printf 'bridge = br0\naddress = 10.66.0.2/24\n'
	} >"$t/cfg/jails/$name.ini"
done
nsenter --net="/run/netns/$ns" "$brig" supervise --config-dir "$t/cfg" --socket "$t/sock" --state-dir "$t/state" \
	--cgroup-root "$cgroot" >"$t/sup.log" 2>&1 &
sup=$!
ctl() { "$brig" --socket "$t/sock" "$@"; }
up() {
	printf 'GET /index.html HTTP/1.0\r\n\r\n' |
		nsenter --net="$t/state/netns/$1" busybox nc 127.0.0.1 8080 2>/dev/null | grep -q hello
}
now() { date +%s%N; }
for name in v n; do
	n=0
	until up "$name"; do n=$((n + 1)); [ "$n" -lt 500 ] || { echo "net bench: $name never up" >&2; exit 1; }; sleep 0.01; done
	: >"$t/$name.ms"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		r=$(ctl status "$name" | sed -n 's/^restarts: //p')
		start=$(now)
		ctl kill "$name" KILL >/dev/null
		# The old listener is gone once the restart count moved.
		k=0
		until [ "$(ctl status "$name" | sed -n 's/^restarts: //p')" != "$r" ] && up "$name"; do
			k=$((k + 1))
			[ "$k" -lt 2000 ] || { echo "net bench: $name not back" >&2; cat "$t/sup.log" >&2; exit 1; }
		done
		echo $((($(now) - start) / 1000)) >>"$t/$name.ms"
	done
done
med() { sort -n "$1" | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }'; }
echo "crash to reachable again, median of 10, ms: veth $(med "$t/v.ms"), none $(med "$t/n.ms") (goal: veth <= none)"
