#!/bin/sh
# brig stats against a running `brig supervise`: the snapshot (--no-stream
# and stdout not a terminal), the live table on a terminal, NAME filters,
# usage errors. The host's cgroup tree has no cpu, memory or pids
# controller: memory and pids columns are "-" here, CPU % comes from
# cpu.stat, which every cgroup has. Real limits: tests/qemu/30-limits.sh.
# shellcheck disable=SC2317,SC2016,SC2034
. tests/lib.sh

# field NAME COLUMN: one column of NAME's row of the last snapshot.
field() {
	awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$T/stats.out"
}

t_stats() {
	sup_init
	sjail hog <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/sh -c 'while :; do :; done'
	EOF
	sjail idle <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep stats-$$
	EOF
	sjail off <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe sleep stats-off-$$
	autostart = no
	EOF
	sup_start "stats: the supervisor starts" || return
	await 10 state_is hog running
	await 10 state_is idle running
	bctl stats >"$T/stats.out" 2>"$T/stats.err"
	expect_eq "stats: not a terminal: one snapshot, exit 0" 0 "$?"
	expect_eq "stats: the header" "NAME STATE CPU% MEM MEM_MAX PIDS PIDS_MAX RESTARTS OOM" \
		"$(head -n 1 "$T/stats.out" | awk '{ $1 = $1; print }')"
	expect_eq "stats: one header, one row a jail" 4 "$(wc -l <"$T/stats.out")"
	expect_eq "stats: sorted by CPU, the hog first" hog "$(sed -n 2p "$T/stats.out" | awk '{ print $1 }')"
	hog=$(field hog 3)
	case $hog in
	[2-9][0-9].[0-9]% | 1[0-9][0-9].[0-9]%) ok "stats: the hog's CPU % ($hog)" ;;
	*) not_ok "stats: the hog's CPU % is at least 20% of a CPU" "got '$hog'" "$(cat "$T/stats.out")" ;;
	esac
	idle=$(field idle 3)
	case $idle in
	0.[0-9]% | [1-4].[0-9]%) ok "stats: the idle jail's CPU % ($idle)" ;;
	*) not_ok "stats: the idle jail's CPU % is near 0" "got '$idle'" "$(cat "$T/stats.out")" ;;
	esac
	expect_eq "stats: a stopped jail: state and - for every reading" "stopped - - - - -" \
		"$(awk '$1 == "off" { print $2, $3, $4, $5, $6, $7 }' "$T/stats.out")"
	expect_eq "stats: no memory/pids controller here: -" "- - - -" \
		"$(awk '$1 == "idle" { print $4, $5, $6, $7 }' "$T/stats.out")"
	expect_eq "stats: restarts and OOM kills" "0 0" \
		"$(awk '$1 == "idle" { print $8, $9 }' "$T/stats.out")"
	bctl stats --no-stream idle off >"$T/stats.out" 2>&1
	expect_eq "stats NAME...: only those jails" "idle off" \
		"$(sed 1d "$T/stats.out" | awk '{ print $1 }' | sort | tr '\n' ' ' | sed 's/ $//')"
	bctl stats --no-stream nosuch idle >"$T/stats.out" 2>&1
	expect_eq "stats: an unknown jail: exit 1" 1 "$?"
	check "stats: ... naming it" grep -q "brig: stats: no jail named 'nosuch'" "$T/stats.out"
	bctl stats --frob >"$T/stats.out" 2>&1
	expect_eq "stats: an unknown option: usage, exit 2" 2 "$?"
	# On a terminal: refreshed every second until interrupted.
	timeout -s INT 4 script -qfec "$BRIG --socket $SOCK stats" /dev/null >"$T/stats.tty" 2>&1
	frames=$(grep -c 'NAME .*CPU%' "$T/stats.tty")
	check "stats: on a terminal the table is redrawn ($frames frames in 4 s)" [ "$frames" -ge 2 ]
	check "stats: ... clearing the screen each time" grep -q "$(printf '\033\\[2J')" "$T/stats.tty"
	sup_stop
}

run_tests t_stats
