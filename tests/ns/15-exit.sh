#!/bin/sh
# brig run: exit statuses (brig(8), EXIT STATUS) and `-- ARG...`.
# Tests are functions that run_tests calls by name.
# shellcheck disable=SC2317
. tests/lib.sh

t_service_status() {
	for n in 0 1 42; do
		jail "exit$n" <<-EOF
		[jail]
		root = $ROOTFS
		exec = /bin/probe exit $n
		EOF
		brun "exit$n"
		expect_rc "exit: a service exiting $n makes brig run exit $n" "$n"
	done
}

t_killed_by_signal() {
	jail killed <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe die KILL
	EOF
	brun killed
	expect_rc "exit: a service killed by KILL makes brig run exit 137" 137
}

# The jail init must never die under its service: it once discarded the
# stack page its own madvise() call was returning through, and about one
# run in fifteen ended in SIGSEGV (139) instead of the service's code.
t_many_runs() {
	jail again <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 42
	EOF
	bad=0
	i=0
	while [ $i -lt 150 ]; do
		brun again
		[ "$RC" = 42 ] || bad="$bad $RC"
		i=$((i + 1))
	done
	expect_eq "exit: 150 runs in a row all end with the service's 42" 0 "$bad"
}

t_bad_config() {
	# Line 4 holds the unknown key.
	jail badcfg <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 0
	bogus_key = 1
	EOF
	brun badcfg
	expect_rc "exit: a bad config exits 125" 125
	check "exit: the error names FILE:LINE of the bad key" \
		grep -qF "$T/badcfg.ini:4:" "$ERR"
	check "exit: the error is one line" test "$(wc -l <"$ERR")" -eq 1
	check "exit: nothing ran (no output)" test ! -s "$OUT"
}

t_bad_value() {
	jail badval <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 0

	[security]
	rlimit.nofile = lots
	EOF
	brun badval
	expect_rc "exit: a bad value exits 125" 125
	check "exit: the error names FILE:LINE of the bad value" \
		grep -qF "$T/badval.ini:6:" "$ERR"
}

t_not_executable() {
	jail noexec <<-EOF
	[jail]
	root = $ROOTFS
	exec = /etc/passwd
	EOF
	brun noexec
	expect_rc "exit: a command that cannot be executed exits 126" 126
	check "exit: 126 comes with an error on stderr" test -s "$ERR"
}

t_missing_command() {
	jail nocmd <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/no-such-command
	EOF
	brun nocmd
	expect_rc "exit: a missing command exits 127" 127
	check "exit: 127 comes with an error on stderr" test -s "$ERR"
}

t_args_replace_exec() {
	jail args <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 3
	EOF
	brun args -- /bin/probe exit 7
	expect_rc "args: -- ARG... replaces the configured command" 7
	brun args -- /bin/probe hostname
	expect_rc "args: the replacement runs with its own arguments" 0
	expect_line "args: the replacement's output" "hostname args"
	brun args
	expect_rc "args: without -- the configured command runs" 3
	brun args -- probe exit 9
	expect_rc "args: a command without / is looked up in the jail's PATH (as exec does)" 9
	brun args -- brig-no-such-cmd
	expect_rc "args: a command not on the jail's PATH exits 127" 127
	check "args: ... naming it" grep -q "brig-no-such-cmd" "$ERR"
	jail argspath <<-EOF
	[jail]
	root = $ROOTFS
	exec = /bin/probe exit 3
	env = PATH=/nowhere
	EOF
	brun argspath -- probe exit 9
	expect_rc "args: the PATH searched is the jail's own (env = PATH=/nowhere: 127)" 127
}

run_tests t_service_status t_killed_by_signal t_many_runs t_bad_config t_bad_value \
	t_not_executable t_missing_command t_args_replace_exec
