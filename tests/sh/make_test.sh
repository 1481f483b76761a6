#!/bin/sh
# Real GNU make with SHELL=uring-sh against the same make with dash.
# Both shells are reached through one symlink path, so messages that
# carry $0 match; each run gets a fresh copy of the fixture.
# usage: make_test.sh URING_SH FIXTURE_DIR [URING_SH_NAMED_SH]
# (the third: uring-sh reached through a file named sh, libexec/uspawn/sh)
ush=$1 fixture=$2 ush_sh=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
fails=0 count=0

# run NAME SORT SHELL_TARGET make-args...: output and status into $tmp/NAME
run() {
	name=$1 sort=$2 target=$3
	shift 3
	rm -rf "$tmp/w"
	cp -r "$fixture" "$tmp/w"
	ln -sf "$target" "$tmp/bin/sh"
	(cd "$tmp/w" && HOME_FOR_TEST=home make --no-print-directory "$@" > ../out 2>&1
	 echo "status $?" >> ../out)
	if [ "$sort" = sort ]; then sort "$tmp/out" > "$tmp/$name"; else mv "$tmp/out" "$tmp/$name"; fi
	(cd "$tmp/w" && find . -type f | sort | xargs cat) >> "$tmp/$name"
}

# compare LABEL SORT make-args...: dash vs uring-sh through $tmp/bin/sh
compare() {
	label=$1 sort=$2
	shift 2
	count=$((count + 1))
	run dash "$sort" /bin/dash SHELL="$tmp/bin/sh" "$@"
	run ush "$sort" "$ush" SHELL="$tmp/bin/sh" "$@"
	if cmp -s "$tmp/dash" "$tmp/ush"; then
		echo "ok   $label"
	else
		echo "FAIL $label"
		diff "$tmp/dash" "$tmp/ush" | head -20
		fails=$((fails + 1))
	fi
}

# default: make's own /bin/sh against SHELL=uring-sh (no $0 in these outputs)
compare_default() {
	label=$1 sort=$2
	shift 2
	count=$((count + 1))
	run dash "$sort" /bin/dash "$@"
	run ush "$sort" "$ush" SHELL="$ush" "$@"
	if cmp -s "$tmp/dash" "$tmp/ush"; then
		echo "ok   $label (vs default shell)"
	else
		echo "FAIL $label (vs default shell)"
		diff "$tmp/dash" "$tmp/ush" | head -20
		fails=$((fails + 1))
	fi
}

compare "all: @ and - prefixes, lists, redirections" nosort all
compare "-j2 jobs" sort -j2 jobs
compare "-k keep going" nosort -k keep
compare "-j2 -k keep going" sort -j2 -k keep
compare "failing recipe" nosort fail
compare "command not found" nosort notfound
compare "-j2 recursion with jobserver" sort -j2 recursive
compare "recursion without -j" nosort recursive
compare ".ONESHELL" nosort -f oneshell.mk
compare ".SHELLFLAGS=-ec failing" nosort -f shellflags.mk
compare ".SHELLFLAGS=-ec ok" nosort -f shellflags.mk ok
compare "-n dry run" nosort -n all
compare_default "failing recipe" nosort fail
compare_default "-k keep going" nosort -k fail k2
compare_default "-j2 jobs" sort -j2 jobs

# uring-sh under the file name sh against make's own /bin/sh: make skips
# the `:` lines and strips .ONESHELL's inner prefixes for both
# named NAME.mk INVOCATIONS: same output as make's /bin/sh, and uring-sh ran
# only that many times (the `:` lines never reach it)
named() {
	count=$((count + 1))
	run dash nosort /bin/dash -f "$1"
	rm -f "$tmp/stats"
	USPAWN_SH_STATS="$tmp/stats" run ush nosort "$ush_sh" SHELL="$ush_sh" -f "$1"
	if cmp -s "$tmp/dash" "$tmp/ush" && [ "$(grep -c '' "$tmp/stats")" -eq "$2" ]; then
		echo "ok   SHELL named sh: $1"
	else
		echo "FAIL SHELL named sh: $1 (uring-sh ran $(grep -c '' "$tmp/stats") times, want $2)"
		diff "$tmp/dash" "$tmp/ush" | head -20
		fails=$((fails + 1))
	fi
}
if [ -n "$ush_sh" ]; then
	named named.mk 1
	named named_colon.mk 2
fi

# the jobserver really reached the sub-make through uring-sh
run ush sort "$ush" SHELL="$tmp/bin/sh" -j2 recursive
count=$((count + 1))
if grep -q "a: jobserver" "$tmp/ush" && ! grep -q "jobserver unavailable" "$tmp/ush"; then
	echo "ok   sub-make sees the jobserver"
else
	echo "FAIL sub-make sees the jobserver"
	cat "$tmp/ush"
	fails=$((fails + 1))
fi
echo "$count make checks, $fails failed"
[ "$fails" -eq 0 ]
