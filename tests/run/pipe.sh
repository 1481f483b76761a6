#!/bin/sh
# A closed stdout ends the run (issue 18, item 2): `uring-run ... | head -1`
# stops the jobs, starts no new one and exits 141 (128 + SIGPIPE), as a
# program killed by SIGPIPE would; write errors on stdout or on the joblog
# (/dev/full) stop the run with status 1 and one message naming the file.
. "$TESTS/lib.sh"

N=100000
# every job leaves a mark: far fewer than N must have run when head is gone
yes "echo x; echo >> $T/ran" | head -n $N > "$T/lines"

one() { # one MODE-OPTIONS...: run under head -1, status in $T/rc
	: > "$T/ran"
	{ timeout 300 "$RUN" -j2 "$@" "$T/lines"; echo $? > "$T/rc"; } | head -1 > "$T/o"
	check "$*: first line" x "$(cut -f2 "$T/o")"
	check "$*: status" 141 "$(cat "$T/rc")"
	ran=$(wc -l < "$T/ran")
	[ "$ran" -lt 5000 ] || fail "$*: $ran of $N jobs ran after the reader was gone"
}
one
one --line-buffer
one -u
one --tag
# -n prints without running: it stops too
{ timeout 300 "$RUN" -n "$T/lines"; echo $? > "$T/rc"; } | head -1 > "$T/o"
check "-n: status" 141 "$(cat "$T/rc")"
# a slow job still running when we find the reader gone is terminated
# (we find it at our next write, as xargs and parallel do)
printf 'echo first\nfor i in $(seq 600); do echo more; sleep 0.1; done\nsleep 60; echo >> %s/slow\n' "$T" > "$T/a"
{ timeout 300 "$RUN" -j3 --line-buffer "$T/a"; echo $? > "$T/rc"; } | head -1 > /dev/null
check "slow job: status" 141 "$(cat "$T/rc")"
[ -e "$T/slow" ] && fail "the slow job was not stopped"
pgrep -f "sleep 60; echo >> $T/slow" > /dev/null && fail "the slow job is still running"

# write errors: /dev/full
if [ -w /dev/full ]; then
	printf 'echo a\necho b\ntouch %s/late\n' "$T" > "$T/a"
	"$RUN" -j1 "$T/a" > /dev/full 2> "$T/e"
	check "stdout /dev/full: status" 1 "$?"
	check "stdout /dev/full: message" "uring-run: standard output: No space left on device" "$(cat "$T/e")"
	[ -e "$T/late" ] && fail "stdout /dev/full: jobs went on after the error"
	rm -f "$T/late"
	"$RUN" -j1 --joblog /dev/full "$T/a" > "$T/o" 2> "$T/e"
	check "joblog /dev/full: status" 1 "$?"
	check "joblog /dev/full: message" "uring-run: /dev/full: No space left on device" "$(cat "$T/e")"
	[ -e "$T/late" ] && fail "joblog /dev/full: jobs went on after the error"
	"$RUN" -j1 --trace /dev/full "$T/a" > "$T/o" 2> "$T/e"
	check "trace /dev/full: status" 1 "$?"
	check "trace /dev/full: message" "uring-run: /dev/full: No space left on device" "$(cat "$T/e")"
	"$RUN" -j1 --results /dev/full/r echo ::: a b > "$T/o" 2> "$T/e"
	check "--results unwritable: status" 1 "$?"
	check "--results unwritable: message" "uring-run: /dev/full/r/1/a/: Not a directory" "$(cat "$T/e")"
	"$RUN" -n "$T/a" > /dev/full 2> "$T/e"
	check "-n to /dev/full: status" 1 "$?"
fi

done_testing
