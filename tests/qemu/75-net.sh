#!/bin/sh
# [net] in init mode (issue 10), one boot: [init] loads bridge.ko and
# veth.ko and creates br0 from `bridge = br0 10.55.0.1/24`; a web jail on
# veth is reached from the console with wget on its address; its service is
# killed, restarted by policy, and answers again on the same address in the
# same network namespace (the supervisor holds it at /run/brig/netns/web).
# shellcheck source=tests/qemu/lib.sh
. tests/qemu/lib.sh

qemu_setup

cfg=$T/cfg
extra=$T/extra
mkdir -p "$cfg/jails" "$extra/etc" "$extra/srv/www"
guest_lib "$extra"
echo "brig net page" >"$extra/srv/www/index.html"
cat >"$cfg/brig.ini" <<'EOI'
[init]
hostname = brig-net
modules = bridge veth
bridge = br0 10.55.0.1/24
console = /bin/sh /etc/console.sh
shutdown_timeout = 3s
EOI
cat >"$cfg/jails/web.ini" <<'EOI'
[jail]
exec = /bin/busybox httpd -f -p 80 -h /srv/www
[restart]
delay = 100ms
[security]
capabilities = cap_net_bind_service
[net]
mode = veth
bridge = br0
address = 10.55.0.2/24
gateway = 10.55.0.1
EOI
cat >"$extra/etc/console.sh" <<'EOI'
#!/bin/sh
. /etc/brig-test/lib.sh
get() { wget -O - http://10.55.0.2/index.html 2>/dev/null | grep -qx "brig net page"; }
# poll N CMD...: every 0.1 s, at most N tries.
poll() { n=$1; shift; while ! "$@"; do n=$((n - 1)); [ "$n" -gt 0 ] || return 1; sleep 0.1; done; }
check net-bridge sh -c 'ip -4 addr show br0 | grep -q "inet 10.55.0.1/24"'
check net-running wait_state web running 20
check net-wget poll 100 get
check net-status sh -c 'brig status web | grep -qx "address: 10.55.0.2/24" &&
	brig status web | grep -qx "host_if: vb-web" && ip link show vb-web | grep -q "master br0"'
ino=$(stat -L -c %i /run/brig/netns/web)
echo "=== net inode before: $ino"
brig kill web KILL
restarted() { [ "$(field web restarts)" = 1 ] && [ "$(field web state)" = running ]; }
check net-restarted poll 100 restarted
check net-same-ns sh -c "[ \"\$(stat -L -c %i /run/brig/netns/web)\" = $ino ] &&
	[ \"\$(brig exec web stat -L -c %i /proc/self/ns/net)\" = $ino ]"
check net-wget-again poll 100 get
check net-same-address sh -c 'brig exec web ip -4 addr show eth0 | grep -q "inet 10.55.0.2/24"'
poweroff
sleep 30
EOI

if qemu_image net "$cfg" "$extra"; then
	qemu_boot net
	expect_check net net-bridge "[init] bridge = br0 ...: made, addressed and up before the jails"
	expect_check net net-running "the veth jail runs"
	expect_check net net-wget "the console reaches the jail's web server on its address"
	expect_check net net-status "status shows the address and the host end, on br0"
	expect_check net net-restarted "the service, killed, is restarted by policy"
	expect_check net net-same-ns "... in the same network namespace"
	expect_check net net-wget-again "... and answers again on the same address"
	expect_check net net-same-address "... which eth0 still holds"
	expect_exit net "qemu exits after the poweroff"
	console_note net '=== net|web:'
fi

tap_done
