#!/bin/sh
# Each cross target's build/ARCH/brig under qemu-user against build/brig
# (x86_64): `brig check` of configs/ and of a directory full of errors,
# `brig check` of one clean file, `--help` and an unknown
# command print the same bytes and exit with the same status. A target
# whose binary is missing is a failure (make cross builds them all).
# Needs no root. Prints TAP lines for tests/run.sh.
# shellcheck source=tests/cross/lib.sh
. "$(dirname "$0")/lib.sh"

# A config dir with errors of every kind a file can have (none of them
# depends on the target: no signal or syscall names).
d=$tmp/conf
mkdir -p "$d/jails"
printf '[jail]\nexec = /bin/true\n' >"$d/jails/good.ini"
printf '[jail]\nexec = /bin/true\n\n[cgroup]\nmemroy.max = 16M\n' >"$d/jails/typo.ini"
printf '# first\n[jail]\nexec = bin/sh\ntype = daemon\n' >"$d/jails/two.ini"
printf '[jail]\nexec = /bin/true\nafter = nosuch\n' >"$d/jails/dangling.ini"
printf '[jail]\nexec = /bin/true\nafter = cyc-b\n' >"$d/jails/cyc-a.ini"
printf '[jail]\nexec = /bin/true\nafter = cyc-a\n' >"$d/jails/cyc-b.ini"
printf '[jail]\nexec = /bin/true\n[cgroup]\nmemory.max = 99999999999G\ncpu.max = 150%%\n' \
	>"$d/jails/sizes.ini"
printf '[jail]\nexec = /bin/true\n[restart]\ndelay = 5q\nstop_timeout = 99999999999h\n' \
	>"$d/jails/durations.ini"
printf '[init]\nhostname = box\nshutdown_timeout = 5q\n' >"$d/brig.ini"
awk 'BEGIN { printf "[jail]\nexec = /bin/"; for (i = 0; i < 5000; i++) printf "x"; printf "\n" }' \
	>"$d/jails/longline.ini"
printf '[jail]\nexec = /bin/true\n' >"$d/jails/bad name.ini"

# run BIN [RUNNER] OUT ARGS...: OUT gets the output and the exit status.
run() {
	r_bin=$1 r_runner=$2 r_out=$3
	shift 3
	# shellcheck disable=SC2086
	(cd "$top" && $r_runner "$r_bin" "$@") >"$r_out" 2>&1
	echo "exit $?" >>"$r_out"
}

for a in $CROSS_ARCHS; do
	q=$(qemu_user "$a")
	bin=$build/$a/brig
	if [ ! -x "$bin" ] || ! command -v "$q" >/dev/null; then
		not_ok "$a: build/$a/brig and $q are there (make cross, tests/deps.sh)"
		continue
	fi
	i=0
	for args in "check configs" "check $d" "check $d/jails/good.ini" "--help" \
		"frobnicate"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		run "$build/brig" "" "$tmp/x86.$i" $args
		# shellcheck disable=SC2086
		run "$bin" "$q" "$tmp/$a.$i" $args
		what="brig $(echo "$args" | sed "s|$tmp/||")"
		if cmp -s "$tmp/x86.$i" "$tmp/$a.$i"; then
			ok "$a: $what: same output and status as x86_64 ($(wc -l <"$tmp/$a.$i") lines)"
		else
			not_ok "$a: $what: same output and status as x86_64" \
				"$(diff "$tmp/x86.$i" "$tmp/$a.$i")"
		fi
	done
	# The negative control: the broken dir's output differs from configs/'s.
	if cmp -s "$tmp/$a.1" "$tmp/$a.2"; then
		not_ok "$a: the comparison can fail (configs/ and the broken dir differ)"
	else
		ok "$a: the comparison can fail (configs/ and the broken dir differ)"
	fi
done
tap_done
