#!/bin/sh
# A failure is never silent (issue 18, item 1; issue 17, item 3): the failing
# job is named (its line, or its number with --tag) with its status, signal or
# timeout, and what was not run because of it, on stderr, once.
. "$TESTS/lib.sh"

# the issue's reproducer: default halt (soon,fail=1) at -j1
printf 'echo 1\nexit 3\necho 3\n' | "$RUN" -j1 > "$T/o" 2> "$T/e"
check "status" 123 "$?"
check "stdout" 1 "$(cat "$T/o")"
check "stderr lines" 2 "$(wc -l < "$T/e")"
check "the failing job" "uring-run: job 2 (exit 3): exit status 3" "$(sed -n 1p "$T/e")"
check "what was skipped" "uring-run: stopped after 1 failure: 1 job not started (-k runs every line)" "$(sed -n 2p "$T/e")"

# from a file too, with lines left after a failing one
printf 'exit 4\necho a\necho b\n\necho c\n' > "$T/a"
"$RUN" -j1 "$T/a" > "$T/o" 2> "$T/e"
check "file: skipped" "uring-run: stopped after 1 failure: 3 jobs not started (-k runs every line)" "$(sed -n 2p "$T/e")"

# --tag: the message is tagged as the job's lines are, and names the job by number
printf 'echo 1\nexit 3\n' | "$RUN" -j1 --tag > "$T/o" 2> "$T/e"
check "--tag" "$(printf 'exit 3\turing-run: job 2: exit status 3')" "$(sed -n 1p "$T/e")"

# signals by name, as the shell says them; -k: every failure named once, no skip line
printf 'kill -SEGV $$\nkill -KILL $$\nexit 2\ntrue\n' > "$T/a"
"$RUN" -j1 -k "$T/a" > "$T/o" 2> "$T/e.raw"; s=$?; sed "s/ (core dumped)//" "$T/e.raw" > "$T/e"
check "-k status" 125 "$s"
check "-k stderr" "uring-run: job 1 (kill -SEGV \$\$): Segmentation fault
uring-run: job 2 (kill -KILL \$\$): Killed
uring-run: job 3 (exit 2): exit status 2" "$(cat "$T/e")"

# a timeout says so
printf 'sleep 30\n' > "$T/a"
"$RUN" --timeout 0.3 "$T/a" > "$T/o" 2> "$T/e"
check "timeout status" 125 "$?"
check "timeout" "uring-run: job 1 (sleep 30): timed out after 0.3 s" "$(cat "$T/e")"

# halt now: the jobs we stop are counted, not reported as failures
printf 'sleep 0.2; exit 1\nsleep 30\nsleep 30\necho never\n' > "$T/a"
"$RUN" -j3 --halt now,fail=1 "$T/a" > "$T/o" 2> "$T/e"
check "halt now" "uring-run: job 1 (sleep 0.2; exit 1): exit status 1
uring-run: stopped after 1 failure: 2 running jobs terminated, 1 job not started (-k runs every line)" "$(cat "$T/e")"

# halt now,success: the count is what halted the run, not the jobs it then stopped
printf 'sleep 0.2\nsleep 30\nsleep 30\necho never\n' > "$T/a"
"$RUN" -j3 --halt now,success=1 "$T/a" > "$T/o" 2> "$T/e"
check "halt now,success=1: status" 0 "$?"
check "halt now,success=1" "uring-run: stopped after 1 success: 2 running jobs terminated, 1 job not started" "$(cat "$T/e")"
printf 'exit 1\nsleep 0.3; exit 2\nsleep 0.3\nsleep 0.3\n' > "$T/a"
"$RUN" -j3 --halt soon,done=1 "$T/a" > "$T/o" 2> "$T/e"
check "halt soon,done=1" "uring-run: job 1 (exit 1): exit status 1
uring-run: job 2 (sleep 0.3; exit 2): exit status 2
uring-run: stopped after 1 finished job: 1 job not started" "$(cat "$T/e")"

# a long line is cut in the message
long=$(head -c 300 /dev/zero | tr '\0' y)
printf 'echo %s; exit 1\n' "$long" > "$T/a"
"$RUN" "$T/a" > "$T/o" 2> "$T/e"
[ "$(head -1 "$T/e" | wc -c)" -lt 200 ] || fail "long line not cut: $(cat "$T/e")"
grep -q '^uring-run: job 1 (echo yyy*\.\.\.): exit status 1$' "$T/e" || fail "long line: $(cat "$T/e")"

# success: nothing on stderr
printf 'true\necho ok\n' > "$T/a"
"$RUN" "$T/a" > "$T/o" 2> "$T/e"
check "success: stderr" "" "$(cat "$T/e")"

# a line longer than the kernel takes (issue 17.3): dash's message, status 126
python3 -c "print('echo '+'x'*200000)" > "$T/a"
"$RUN" "$T/a" > "$T/o" 2> "$T/e"
check "E2BIG, shell line: status" 126 "$?"
check "E2BIG, shell line: stderr lines" 1 "$(wc -l < "$T/e")"
grep -q '^uring-run: job 1 (echo xxx*\.\.\.): /bin/sh: Argument list too long$' "$T/e" || fail "E2BIG, shell line: $(cut -c1-300 "$T/e")"
# the issue's reproducer, from a pipe: the writer is gone at once, so nothing is said of the rest
# (uring-run waits up to 250 ms for the pipe's end: on a loaded machine the
# writer may be slower, and then a second line says the rest was not read)
python3 -c "print('echo '+'x'*200000)" | "$RUN" > "$T/o" 2> "$T/e"
check "E2BIG from a pipe: status" 126 "$?"
sed -n 1p "$T/e" | grep -q '^uring-run: job 1 (echo xxx*\.\.\.): /bin/sh: Argument list too long$' ||
	fail "E2BIG from a pipe: $(cut -c1-300 "$T/e")"
case $(sed -n 2p "$T/e") in
'' | "uring-run: stopped after 1 failure: the rest of the input not read"*) ;;
*) fail "E2BIG from a pipe: second line: $(sed -n 2p "$T/e")" ;;
esac
check "E2BIG from a pipe: stderr lines" 1 "$(($(wc -l < "$T/e") <= 2))"
# a writer that never stops: the rest is not counted for ever
timeout 20 sh -c "yes 'exit 1' | '$RUN' -j1" > "$T/o" 2> "$T/e"
check "endless input: status" 123 "$?"
check "endless input" "uring-run: stopped after 1 failure: the rest of the input not read (-k runs every line)" "$(sed -n 2p "$T/e")"
python3 -c "print('/bin/echo '+'x'*200000)" > "$T/a"
"$RUN" "$T/a" > "$T/o" 2> "$T/e"
check "E2BIG, command line: status" 126 "$?"
grep -q '^uring-run: job 1 (/bin/echo xxx*\.\.\.): .*Argument list too long$' "$T/e" || fail "E2BIG, command line: $(cut -c1-300 "$T/e")"

# --resume-failed: a line the joblog says is done is not counted as "not started"
printf 'echo a\nexit 1\necho c\n' > "$T/a"
"$RUN" -j1 -k --joblog "$T/jl" "$T/a" > "$T/o" 2> "$T/e"
"$RUN" -j1 --resume-failed --joblog "$T/jl" "$T/a" > "$T/o" 2> "$T/e"
check "--resume-failed: status" 123 "$?"
check "--resume-failed: stderr" "uring-run: job 2 (exit 1): exit status 1" "$(cat "$T/e")"
printf 'exit 1\necho b\necho c\nexit 1\n' > "$T/a"
rm -f "$T/jl"
"$RUN" -j1 -k --joblog "$T/jl" "$T/a" > "$T/o" 2> "$T/e"
"$RUN" -j1 --resume-failed --joblog "$T/jl" "$T/a" > "$T/o" 2> "$T/e"
check "--resume-failed: what is left" "uring-run: stopped after 1 failure: 1 job not started (-k runs every line)" "$(sed -n 2p "$T/e")"

done_testing
