#!/bin/sh
# brig run: the jail's filesystem view. Private /tmp, read-only and
# read-write binds, volumes, the read-only root, overlay roots, /dev, /proc.
# Tests are functions that run_tests calls by name.
# shellcheck disable=SC2317
. tests/lib.sh

t_private_tmp() {
	jail tmp <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "/bin/probe mount /tmp; /bin/probe write /tmp/brig-private-$$ x"
	EOF
	brun tmp
	expect_rc "tmp: the jail runs" 0
	check "tmp: /tmp is a tmpfs in the jail" grep -q '^mount /tmp tmpfs ' "$OUT"
	expect_line "tmp: /tmp is writable in the jail" "write ok"
	check "tmp: the host's /tmp is untouched" test ! -e "/tmp/brig-private-$$"
	check "tmp: the root's own /tmp dir is untouched" test -z "$(ls -A "$ROOTFS/tmp")"
}

t_ro_bind() {
	mkdir -p "$T/ro"
	echo hello >"$T/ro/file"
	jail robind <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "/bin/probe read /mnt/file; /bin/probe write /mnt/new; /bin/probe mount /mnt; mount -o remount,rw /mnt && echo remount-ok || echo remount-failed; /bin/probe write /mnt/new; exit 0"

	[mounts]
	bind = $T/ro:/mnt:ro
	EOF
	brun robind
	expect_rc "robind: the jail runs" 0
	expect_line "robind: the bind shows the host's file" "read hello"
	expect_line "robind: a write is refused (EROFS)" "write EROFS"
	check "robind: the mount is ro" grep -q '^mount /mnt [^ ]* ro[, ]' "$OUT"
	expect_line "robind: mount -o remount,rw fails" "remount-failed"
	check "robind: nothing was written on the host" test ! -e "$T/ro/new"
}

t_bind_defaults_to_ro() {
	mkdir -p "$T/rodef"
	jail robdef <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe write /mnt/new

	[mounts]
	bind = $T/rodef:/mnt
	EOF
	brun robdef
	expect_line "robdef: a bind without options is read-only" "write EROFS"
}

t_rw_bind() {
	mkdir -p "$T/rw"
	jail rwbind <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe write /data/from-jail written-inside

	[mounts]
	bind = $T/rw:/data:rw
	EOF
	brun rwbind
	expect_rc "rwbind: the jail runs" 0
	expect_line "rwbind: the write succeeds" "write ok"
	check "rwbind: the write shows on the host" grep -qsx written-inside "$T/rw/from-jail"
}

t_volume_persists() {
	jail vol1 <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe write /data/kept persisted

	[mounts]
	volume = store:/data
	EOF
	jail vol2 <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe read /data/kept

	[mounts]
	volume = store:/data
	EOF
	brun vol1
	expect_line "volume: the first run writes" "write ok"
	check "volume: it lives under \$BRIG_STATE_DIR/volumes/store" \
		grep -qsx persisted "$BRIG_STATE_DIR/volumes/store/kept"
	brun vol2
	expect_line "volume: a second run (another jail) reads it back" "read persisted"
}

t_root_readonly_by_default() {
	jail rootro <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "/bin/probe mount /; /bin/probe write /etc/from-jail"
	EOF
	brun rootro
	expect_line "rootro: writing to the root is refused (EROFS)" "write EROFS"
	check "rootro: / is mounted ro" grep -q '^mount / [^ ]* ro[, ]' "$OUT"
	check "rootro: the root dir is untouched" test ! -e "$ROOTFS/etc/from-jail"
}

t_root_writable() {
	cp -a "$ROOTFS" "$T/rootcopy"
	jail rootrw <<-EOF
	[jail]
	root = $T/rootcopy
	readonly_root = no
	exec = /bin/probe write /etc/from-jail rw-root
	EOF
	brun rootrw
	expect_line "rootrw: readonly_root = no lets the jail write" "write ok"
	check "rootrw: the write lands in the root dir" grep -qsx rw-root "$T/rootcopy/etc/from-jail"
}

have_overlay() {
	grep -qw overlay /proc/filesystems
}

t_overlay_tmpfs() {
	if ! have_overlay; then
		skip "overlay tmpfs" "no overlayfs in /proc/filesystems"
		return
	fi
	jail ovltmp <<-EOF
	[jail]
	root = $ROOTFS
	overlay = tmpfs
	exec = /bin/sh -c "/bin/probe read /etc/ovl; /bin/probe write /etc/ovl first; /bin/probe read /etc/ovl"
	EOF
	brun ovltmp
	expect_rc "ovltmp: the jail runs" 0
	expect_line "ovltmp: the root takes writes" "write ok"
	expect_line "ovltmp: and reads them back" "read first"
	check "ovltmp: the lower root dir is untouched" test ! -e "$ROOTFS/etc/ovl"
	brun ovltmp
	check "ovltmp: the write vanished with the jail" \
		grep -qx 'read ENOENT' "$OUT"
}

t_overlay_dir() {
	if ! have_overlay; then
		skip "overlay dir" "no overlayfs in /proc/filesystems"
		return
	fi
	mkdir -p "$T/ovl/upper" "$T/ovl/work"
	jail ovldir1 <<-EOF
	[jail]
	root = $ROOTFS
	overlay = $T/ovl
	exec = /bin/probe write /etc/ovl kept
	EOF
	jail ovldir2 <<-EOF
	[jail]
	root = $ROOTFS
	overlay = $T/ovl
	exec = /bin/probe read /etc/ovl
	EOF
	brun ovldir1
	expect_line "ovldir: the root takes writes" "write ok"
	check "ovldir: the write is in upper/" grep -qsx kept "$T/ovl/upper/etc/ovl"
	check "ovldir: the lower root dir is untouched" test ! -e "$ROOTFS/etc/ovl"
	brun ovldir2
	expect_line "ovldir: the write persists into the next run" "read kept"
}

t_dev_minimal() {
	jail dev <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "/bin/probe mount /dev; ls /dev; /bin/probe write /dev/null x"
	EOF
	brun dev
	expect_rc "dev: the jail runs" 0
	check "dev: /dev is a tmpfs" grep -q '^mount /dev tmpfs ' "$OUT"
	for n in null zero full random urandom tty pts shm fd stdin stdout stderr; do
		check "dev: /dev/$n exists" grep -qx "$n" "$OUT"
	done
	check "dev: no host device (e.g. vda, kmsg) is there" \
		sh -c "! grep -qx -e vda -e kmsg -e mem '$OUT'"
	expect_line "dev: /dev/null is writable" "write ok"
}

t_proc_is_the_jails() {
	jail proc <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c "/bin/probe mount /proc; /bin/probe pid"
	EOF
	brun proc
	check "proc: /proc is a fresh procfs" grep -q '^mount /proc proc ' "$OUT"
	hostinit=$(cat /proc/1/comm)
	init=$(field init)
	if [ -n "$init" ] && [ "$init" != "$hostinit" ]; then
		ok "proc: /proc/1 is the jail's init ($init), not the host's ($hostinit)"
	else
		not_ok "proc: /proc/1 is the jail's init, not the host's" "$(last_run)"
	fi
}

# The host's root (root unset): bound without its submounts; /run, /sys,
# /dev, /tmp are brig's. The probe is bound in at its own path.
t_host_root_view() {
	jail hview <<-EOF
	[jail]
	exec = /bin/sh -c "$PROBE mount /run; ls -A /run; $PROBE mount /sys; ls -A /sys /sys/fs; $PROBE mount /sys/fs/cgroup; $PROBE write /sys/x; grep ' /dev/shm ' /proc/self/mounts; exit 0"
	[mounts]
	bind = $(dirname "$PROBE"):$(dirname "$PROBE")
	EOF
	brun hview
	expect_rc "hview: the jail runs" 0
	check "hview: /run is a tmpfs of its own" grep -q '^mount /run tmpfs ' "$OUT"
	check "hview: ... and empty" sh -c "! sed -n '/^mount \/run /,/^mount \/sys /p' '$OUT' | grep -v '^mount'"
	check "hview: /sys is an empty read-only tmpfs without a network namespace" \
		grep -q '^mount /sys tmpfs ro[, ]' "$OUT"
	expect_line "hview: ... holding only fs/cgroup" "cgroup"
	check "hview: /sys/fs/cgroup is the jail's cgroup, read-only" \
		grep -q '^mount /sys/fs/cgroup cgroup2 ro[, ]' "$OUT"
	check "hview: /dev/shm has a size (16M)" grep -q ' /dev/shm tmpfs .*size=16384k' "$OUT"
	expect_line "hview: /sys takes no write" "write EROFS"
}

t_sys_with_netns() {
	jail sysnet <<-EOF
	[jail]
	root = $ROOTFS
	namespaces = pid mount uts ipc cgroup net
	exec = /bin/sh -c "/bin/probe mount /sys; ls /sys/class/net; /bin/probe mount /sys/fs/cgroup"
	EOF
	brun sysnet
	check "sysnet: with its own network namespace /sys is a read-only sysfs" \
		grep -q '^mount /sys sysfs ro[, ]' "$OUT"
	expect_line "sysnet: ... showing the jail's interfaces only (lo)" lo
	check "sysnet: ... and its own cgroup at /sys/fs/cgroup" \
		grep -q '^mount /sys/fs/cgroup cgroup2 ro[, ]' "$OUT"
}

# No mount point is made in a read-only root: a missing target is an
# error naming its line, and the root dir is left as it was.
t_ro_root_target() {
	mkdir -p "$T/src"
	jail rotgt <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 0
	[mounts]
	bind = $T/src:/brig-missing-$$
	EOF
	brun rotgt
	expect_rc "rotgt: a missing target in a read-only root is an error (125)" 125
	check "rotgt: ... naming its line" grep -qF "$T/rotgt.ini:5: error: jail rotgt: mount target /brig-missing-$$" "$ERR"
	check "rotgt: ... and nothing was made in the root dir" test ! -e "$ROOTFS/brig-missing-$$"
	check "rotgt: ... naming the three ways out" grep -qF \
		"does not exist in the read-only root: create it in the root, mount a tmpfs on a parent, or set overlay = tmpfs" "$ERR"
	check "rotgt: ... without an errno text" not_grep "No such file" "$ERR"
	jail rouser <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 0
	user = nosuchuser
	EOF
	brun rouser
	expect_rc "rouser: an unknown user is an error (125)" 125
	check "rouser: ... naming the passwd file it looked in" grep -qF \
		"$T/rouser.ini:4: error: jail rouser: user nosuchuser: no such user in $ROOTFS/etc/passwd" "$ERR"
	check "rouser: ... without an errno text" not_grep "No such file" "$ERR"
}
not_grep() { ! grep -q "$@"; }

# In a writable root of its own, missing targets (and their parents) are
# made, then removed once the jail is gone; what was there stays.
t_rw_root_targets() {
	[ -d "$T/rwroot" ] || cp -a "$ROOTFS" "$T/rwroot"
	mkdir -p "$T/src" "$T/rwroot/kept"
	echo f >"$T/srcfile"
	jail rwtgt <<-EOF
	[jail]
	root = $T/rwroot
	readonly_root = no
	exec = /bin/sh -c "ls -d /new/deeper /kept/sub && cat /afile"
	[mounts]
	bind = $T/src:/new/deeper
	bind = $T/src:/kept/sub
	bind = $T/srcfile:/afile
	EOF
	brun rwtgt
	expect_rc "rwtgt: missing targets in a writable root are made" 0
	expect_line "rwtgt: ... a file for a file" f
	check "rwtgt: they are removed once the jail is gone" \
		sh -c "test ! -e '$T/rwroot/new' && test ! -e '$T/rwroot/kept/sub' && test ! -e '$T/rwroot/afile'"
	check "rwtgt: a dir that was there stays" test -d "$T/rwroot/kept"
	check "rwtgt: ... and so does the rest of the root" test -x "$T/rwroot/bin/probe"
}

# The state dir and volumes/ are brig's alone.
t_state_modes() {
	jail smode <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 0
	[mounts]
	volume = smode:/data
	EOF
	rm -rf "$T/fresh-state"
	BRIG_STATE_DIR=$T/fresh-state brun smode
	expect_rc "smode: the jail runs" 0
	expect_eq "smode: a state dir brig makes is 0700" 700 "$(stat -c %a "$T/fresh-state")"
	expect_eq "smode: volumes/ is 0700" 700 "$(stat -c %a "$T/fresh-state/volumes")"
}

run_tests t_private_tmp t_ro_bind t_bind_defaults_to_ro t_rw_bind t_volume_persists \
	t_root_readonly_by_default t_root_writable t_overlay_tmpfs t_overlay_dir \
	t_dev_minimal t_proc_is_the_jails t_host_root_view t_sys_with_netns t_ro_root_target \
	t_rw_root_targets t_state_modes
