#!/bin/sh
# [net] (SPEC 4, issue 10): veth jails on a bridge talk to each other and to
# the bridge's side, a `none` jail reaches nothing, a jail:NAME jail keeps
# NAME's network across NAME's crash and restart, a moved interface comes
# back, nothing is left after stop and reload removal, a missing bridge is
# an error naming it, and `brig run` with veth.
# The suite never touches the host's network: it makes its own namespace
# (ip netns add), a bridge there, and runs brig inside it through
# nsenter --net= (ip netns exec would remount /sys and hide the cgroups).
# shellcheck disable=SC2317,SC2016,SC2034
. tests/lib.sh

NS=brig-net-$$
BR=br0
HTTPD=

# NS's own cleanup, then the library's.
net_cleanup() {
	[ -z "$HTTPD" ] || kill "$HTTPD" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	cleanup
}

net_setup() {
	trap net_cleanup EXIT
	ip netns add "$NS" || return 1
	ip -n "$NS" link set lo up
	ip -n "$NS" link add "$BR" type bridge
	ip -n "$NS" addr add 10.77.0.1/24 dev "$BR"
	ip -n "$NS" link set "$BR" up
	ip -n "$NS" link add dum0 type veth peer name dum0p
	# Every brig of this suite runs in NS; the client talks through a
	# unix socket, which works from anywhere.
	REAL_BRIG=$BRIG
	BRIG=$T/brig
	printf '#!/bin/sh\nexec nsenter --net=/run/netns/%s %s "$@"\n' "$NS" "$REAL_BRIG" >"$BRIG"
	chmod +x "$BRIG"
	mkdir -p "$T/www" "$T/host"
	echo "jail web page" >"$T/www/index.html"
	echo "bridge side page" >"$T/host/index.html"
	nsenter --net="/run/netns/$NS" busybox httpd -f -p 10.77.0.1:8080 -h "$T/host" &
	HTTPD=$!
}
SUITE_SETUP=net_setup

inns() {
	ip -n "$NS" "$@"
}

# veth NAME ADDR [EXTRA...]: a jail on br0 at ADDR/24 that serves $T/www.
veth() {
	n=$1
	a=$2
	shift 2
	sjail "$n" <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/busybox httpd -f -p 8080 -h /mnt
	$*
	[mounts]
	bind = $T/www:/mnt
	[restart]
	delay = 50ms
	[net]
	mode = veth
	bridge = $BR
	address = $a/24
	address = fd77::${a##*.}/64
	gateway = 10.77.0.1
	EOF
}

fetch() {
	timeout 5 "$BRIG" --socket "$SOCK" exec "$1" wget -O - "$2" 2>/dev/null
}

netns_ino() {
	stat -L -c %i "$CONF/state/netns/$1" 2>/dev/null
}

t_veth() {
	sup_init
	veth web 10.77.0.2
	veth cli 10.77.0.3
	veth a-very-long-jail-name 10.77.0.4
	sup_start "veth: the supervisor starts" || return
	await 10 state_is web running
	await 10 state_is cli running
	check "veth: a jail reaches another on the bridge" \
		await 10 eval 'fetch cli http://10.77.0.2:8080/index.html | grep -qx "jail web page"'
	check "veth: ... over IPv6 too" \
		await 10 eval 'fetch cli "http://[fd77::2]:8080/index.html" | grep -qx "jail web page"'
	check "veth: a jail reaches the bridge's side" \
		eval 'fetch web http://10.77.0.1:8080/index.html | grep -qx "bridge side page"'
	check "veth: eth0 has the address, the default route goes via the gateway" \
		eval 'bctl exec web ip -4 addr show eth0 | grep -q "inet 10.77.0.2/24" &&
		      bctl exec web ip route | grep -q "default via 10.77.0.1 dev eth0"'
	check "veth: status shows the addresses and the host end" \
		eval '[ "$(jfield web address)" = "10.77.0.2/24 fd77::2/64" ] &&
		      [ "$(jfield web host_if)" = vb-web ]'
	hif=$(jfield a-very-long-jail-name host_if)
	check "veth: a long name's host end is short, stable and on the bridge ($hif)" \
		eval 'expr "$hif" : "vb-a-very\.[0-9a-f]\{5\}$" >/dev/null &&
		      inns link show "$hif" | grep -q "master $BR"'
	check "veth: the namespace is pinned at STATE/netns/NAME" \
		eval '[ "$(netns_ino web)" = "$(bctl exec web stat -L -c %i /proc/self/ns/net)" ]'
	bctl stop web >/dev/null
	check "veth: stop leaves no veth and no namespace behind" \
		await 10 eval '! inns link show vb-web 2>/dev/null && [ ! -e "$CONF/state/netns/web" ] &&
		      ! grep -q "$CONF/state/netns/web" /proc/self/mountinfo'
	rm "$CONF/jails/cli.ini"
	bctl reload >/dev/null 2>&1
	check "veth: removal on reload leaves no veth and no namespace behind" \
		await 10 eval '! inns link show vb-cli 2>/dev/null && [ ! -e "$CONF/state/netns/cli" ]'
	sup_stop
	check "veth: shutdown leaves no veth and no namespace behind" \
		await 10 eval '! inns link show | grep -q " vb-" && [ -z "$(ls "$CONF/state/netns")" ]'
}

t_none() {
	sup_init
	veth web 10.77.0.2
	sjail lone <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sleep 1000
	[net]
	mode = none
	EOF
	sup_start "none: the supervisor starts" || return
	await 10 state_is lone running
	await 10 eval 'fetch web http://10.77.0.1:8080/index.html >/dev/null'
	check "none: only loopback, up" \
		eval '[ "$(bctl exec lone ip -o link | awk -F": " "{ print \$2 }")" = lo ] &&
		      bctl exec lone ip -o link | grep -q "<LOOPBACK,UP"'
	check "none: it reaches nothing (the veth jail does: the control)" \
		eval '! fetch lone http://10.77.0.2:8080/index.html && ! fetch lone http://10.77.0.1:8080/index.html'
	sup_stop
}

t_shared() {
	sup_init
	veth web 10.77.0.2
	sjail side <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sleep 1000
	[net]
	mode = jail:web
	EOF
	sup_start "jail:NAME: the supervisor starts" || return
	await 10 state_is side running
	ino=$(netns_ino web)
	side=$(jfield side pid)
	check "jail:NAME: it is in NAME's namespace, sees its address" \
		eval '[ "$(bctl exec side stat -L -c %i /proc/self/ns/net)" = "$ino" ] &&
		      bctl exec side ip -4 addr show eth0 | grep -q "inet 10.77.0.2/24" &&
		      [ "$(jfield side address)" = "10.77.0.2/24 fd77::2/64" ]'
	check "jail:NAME: NAME's service on its loopback" \
		await 10 eval 'fetch side http://127.0.0.1:8080/index.html | grep -qx "jail web page"'
	kill -KILL "$(svc_pid web)"
	await 10 eval '[ "$(jfield web restarts)" = 1 ] && state_is web running'
	check "jail:NAME: NAME restarted by policy keeps its namespace and address" \
		eval '[ "$(netns_ino web)" = "$ino" ] &&
		      [ "$(bctl exec web stat -L -c %i /proc/self/ns/net)" = "$ino" ] &&
		      bctl exec web ip -4 addr show eth0 | grep -q "inet 10.77.0.2/24"'
	check "jail:NAME: the sharing jail was not touched and still reaches NAME" \
		eval '[ "$(jfield side pid)" = "$side" ] && [ "$(jfield side restarts)" = 0 ] &&
		      [ "$(bctl exec side stat -L -c %i /proc/self/ns/net)" = "$ino" ] &&
		      await 10 eval "fetch side http://127.0.0.1:8080/index.html >/dev/null" &&
		      fetch web http://10.77.0.1:8080/index.html >/dev/null'
	sup_stop
}

t_interface() {
	sup_init
	sjail port <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sleep 1000
	[net]
	interface = dum0
	address = 10.88.0.2/24
	EOF
	sup_start "interface: the supervisor starts" || return
	await 10 state_is port running
	check "interface: it is in the jail, up, with its address" \
		eval 'bctl exec port ip -4 addr show dum0 | grep -q "inet 10.88.0.2/24" &&
		      bctl exec port ip link show dum0 | grep -q "UP"'
	check "interface: it left the host" eval '! inns link show dum0 >/dev/null 2>&1'
	bctl stop port >/dev/null
	check "interface: back on the host after stop" await 10 inns link show dum0
	sup_stop
}

t_missing_bridge() {
	sup_init
	sjail nobr <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sleep 1000
	[net]
	mode = veth
	bridge = nobr0
	address = 10.77.0.9/24
	EOF
	sup_start "missing bridge: the supervisor starts" || return
	check "missing bridge: the error names it and the file:line" \
		await 10 eval 'grep -q "nobr.ini:6.*bridge .nobr0. does not exist" "$SUPLOG"'
	check "missing bridge: nothing left behind" \
		await 10 eval '! inns link show | grep -q " vb-" && [ ! -e "$CONF/state/netns/nobr" ]'
	sup_stop
}

t_system_bridge() {
	sup_init
	printf '[init]\nbridge = br9 10.99.0.1/24 fd99::1/64\n' >"$CONF/brig.ini"
	veth web 10.99.0.2
	sed -i 's/bridge = br0/bridge = br9/; s/gateway = 10.77.0.1/gateway = 10.99.0.1/' \
		"$CONF/jails/web.ini"
	sup_start "system bridge: the supervisor starts" || return
	await 10 state_is web running
	check "system bridge: made, addressed and up from brig.ini; the jail is on it" \
		eval 'inns addr show br9 | grep -q "inet 10.99.0.1/24" &&
		      inns addr show br9 | grep -q "fd99::1/64" &&
		      inns link show vb-web | grep -q "master br9"'
	sup_stop
	inns link del br9
}

# A host end left by a killed supervisor (or a pair whose namespace the
# kernel has not torn down yet) carries the jail's name: it is replaced.
t_stale() {
	sup_init
	inns link add vb-web type veth peer name stale0
	veth web 10.77.0.2
	sup_start "stale host end: the supervisor starts" || return
	check "stale host end: replaced, the jail runs and answers" \
		await 10 eval 'fetch web http://10.77.0.1:8080/index.html | grep -qx "bridge side page" &&
			      ! inns link show stale0 2>/dev/null'
	sup_stop
}

t_run() {
	jail runj <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'ip -4 addr show eth0; wget -O - http://10.77.0.1:8080/index.html'
	[net]
	mode = veth
	bridge = $BR
	address = 10.77.0.9/24
	EOF
	brun runj
	expect_rc "run veth: exits 0" 0
	check "run veth: eth0 has its address, the bridge's side answers" \
		eval 'grep -q "inet 10.77.0.9/24" "$OUT" && grep -qx "bridge side page" "$OUT"'
	check "run veth: nothing left behind (the pair goes with the namespace)" \
		await 10 eval '! inns link show | grep -q " vb-"'
	jail runs <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/true
	[net]
	mode = jail:web
	EOF
	brun runs
	expect_rc "run jail:NAME: refused" 125
	check "run jail:NAME: the error says why, with file:line" \
		grep -q "runs.ini:5.*needs the supervisor" "$ERR"
}

run_tests t_veth t_none t_shared t_interface t_missing_bridge t_system_bridge t_stale t_run
