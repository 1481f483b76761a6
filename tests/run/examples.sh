#!/bin/sh
# The demo of scripts/main.sh (issue 17, item 6): it exits 0 when uring-run
# did what it documents, and shows the failure handling without failing.
. "$TESTS/lib.sh"

sh "$SRC/examples/run/demo.sh" "$RUN" > "$T/o" 2> "$T/e"
check "demo: status" 0 "$?"
grep -q '^uring-run: job [0-9]* (ls /nonexistent-directory): exit status 2$' "$T/e" ||
	fail "demo: the failing job is not named: $(cat "$T/e")"
grep -q 'QUOTED AND PIPED' "$T/o" || fail "demo: jobs.txt's output: $(cat "$T/o")"
# the example jobs alone succeed, as the README runs them
"$RUN" -j2 "$SRC/examples/run/jobs.txt" > "$T/o" 2> "$T/e"
check "examples/run/jobs.txt: status" 0 "$?"
# the Makefile example under make's jobserver
make -s -j4 -f "$SRC/examples/run/Makefile" URING_RUN="$RUN" > "$T/o" 2> "$T/e"
check "examples/run/Makefile: status" 0 "$?"

done_testing
