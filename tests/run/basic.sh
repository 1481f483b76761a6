#!/bin/sh
# Exit statuses, input handling, joblog, trace, halt, timeout, bad options.
. "$TESTS/lib.sh"

st() { "$RUN" "$@" > "$T/o" 2> "$T/e"; echo $?; }

# --- exit statuses (as xargs) ---
printf 'true\n' > "$T/a"; check "all ok" 0 "$(st -k "$T/a")"
printf 'true\nexit 3\n' > "$T/a"; check "exit 3" 123 "$(st -k "$T/a")"
printf 'exit 255\nexit 3\n' > "$T/a"; check "exit 255" 124 "$(st -k "$T/a")"
printf 'kill -9 $$\nexit 255\n' > "$T/a"; check "killed" 125 "$(st -k "$T/a")"
printf '%s/nonexec\n' "$T" > "$T/a"; : > "$T/nonexec"; chmod -x "$T/nonexec"
check "cannot run" 126 "$(st -k "$T/a")"
check "cannot run message" "/bin/sh: 1: $T/nonexec: Permission denied" "$(grep -v '^uring-run: job' "$T/e")"
printf 'no-such-command-xyz a b\nexit 255\n' > "$T/a"; check "not found" 127 "$(st -k "$T/a")"
check "not found message" "/bin/sh: 1: no-such-command-xyz: not found" "$(grep -v '^uring-run: job' "$T/e")"
# the same through the shell: identical
check "not found via sh" 127 "$(st -k --shell "$T/a")"
check "not found message via sh" "/bin/sh: 1: no-such-command-xyz: not found" "$(grep -v '^uring-run: job' "$T/e")"

# --- halting ---
printf 'exit 1\nsleep 0.5; touch %s/late\n' "$T" > "$T/a"
check "default halts soon" 123 "$(st -j1 "$T/a")"
[ -e "$T/late" ] && fail "default: a job started after the failure"
printf 'exit 1\ntouch %s/k\n' "$T" > "$T/a"
st -j1 -k "$T/a" > /dev/null; [ -e "$T/k" ] || fail "-k did not run every job"
printf 'sleep 0.1; exit 1\nsleep 30\n' > "$T/a"
s0=$(date +%s); check "halt now" 123 "$(st -j2 --halt now,fail=1 "$T/a")"
[ $(($(date +%s) - s0)) -lt 10 ] || fail "halt now did not stop the running job"
printf 'exit 1\nexit 1\ntouch %s/h3\n' "$T" > "$T/a"
st -j1 --halt soon,fail=2 "$T/a" > /dev/null; [ -e "$T/h3" ] && fail "halt soon,fail=2 ran a 3rd job"

# --- timeout ---
printf 'sleep 30\ntrap "" TERM; sleep 30\n' > "$T/a"
s0=$(date +%s); check "timeout" 125 "$(st -k -j2 --timeout 0.3 "$T/a")"
[ $(($(date +%s) - s0)) -lt 10 ] || fail "timeout did not kill (TERM then KILL)"

# --- input ---
printf 'echo a\n\n   \n\t\necho b' > "$T/a"   # blank lines skipped, last line unterminated
check "blank lines" "a b" "$("$RUN" -j1 "$T/a" | tr '\n' ' ' | sed 's/ $//')"
: > "$T/a"; check "empty input" 0 "$(st "$T/a")"
check "empty input output" "" "$(cat "$T/o" "$T/e")"
printf 'echo "x y"\0echo "two\nlines"\0' > "$T/a"
check "-0" "x y|two|lines" "$("$RUN" -0 -j1 "$T/a" | tr '\n' '|' | sed 's/|$//')"
printf 'echo 1\necho 2\n' | "$RUN" -j1 > "$T/o"; check "stdin" "1 2" "$(tr '\n' ' ' < "$T/o" | sed 's/ $//')"
# jobs must not read the lines: stdin is /dev/null for them
printf 'cat\necho after\n' | "$RUN" -j1 > "$T/o"; check "stdin of jobs" "after" "$(cat "$T/o")"
# shell syntax goes to the shell, results as sh -c
cat > "$T/a" <<'L'
X=1; echo "$X" 'q' $((2+3)) | tr 1 9
for i in a b; do printf '%s' $i; done; echo
echo   spaced    words
/bin/echo -e 'a\tb'
echo 'a\tb'
cd /; pwd
L
sh -c "$(sed -n 1p "$T/a")" > "$T/want"
for l in 2 3 4 5 6; do sh -c "$(sed -n ${l}p "$T/a")" >> "$T/want"; done
: > "$T/got"
for l in 1 2 3 4 5 6; do sed -n ${l}p "$T/a" | "$RUN" -j1 >> "$T/got"; done
cmp -s "$T/want" "$T/got" || fail "results differ from sh -c: $(diff "$T/want" "$T/got")"

# --- dry run ---
printf 'touch %s/dry\n' "$T" > "$T/a"
check "dry run" "touch $T/dry" "$("$RUN" -n "$T/a")"; [ -e "$T/dry" ] && fail "-n ran a job"

# --- joblog ---
printf 'true\nexit 3\nkill -TERM $$\necho hello\n' > "$T/a"
"$RUN" -j1 -k --joblog "$T/log" "$T/a" > /dev/null 2>&1
check "joblog header" "Seq	Host	Starttime	JobRuntime	Send	Receive	Exitval	Signal	Command" "$(head -1 "$T/log")"
check "joblog lines" 5 "$(wc -l < "$T/log")"
check "joblog exit 3" "3	0	exit 3" "$(awk -F'\t' '$1==2 {print $7 "\t" $8 "\t" $9}' "$T/log")"
check "joblog signal" "0	15" "$(awk -F'\t' '$1==3 {print $7 "\t" $8}' "$T/log")"
check "joblog receive" "6" "$(awk -F'\t' '$1==4 {print $6}' "$T/log")"
awk -F'\t' 'NR>1 && ($3 !~ /^[0-9]+\.[0-9][0-9][0-9]$/ || $4 !~ /^ *[0-9]+\.[0-9][0-9][0-9]$/ || $2 != ":" || NF != 9) {exit 1}' "$T/log" ||
	fail "joblog columns malformed: $(cat "$T/log")"

# --- trace ---
printf 'true\ntrue\necho "q\\"uote"\n' > "$T/a"
"$RUN" -j2 --trace "$T/trace.json" "$T/a" > /dev/null
if command -v python3 > /dev/null; then
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); x=[e for e in d["traceEvents"] if e["ph"]=="X"]; assert len(x)==3, x; assert all(e["tid"] in (1,2) for e in x)' "$T/trace.json" ||
		fail "trace is not the JSON expected"
fi
grep -c '"ph":"X"' "$T/trace.json" | grep -qx 3 || fail "trace: 3 jobs expected"

# --- bad options: one line, status 2 ---
for bad in "-j 0" "-j x" "--halt sometimes" "--halt now,fail=0" "--timeout -1" "--jobserver=tcp" "--frobnicate" "-Q" "--tag -u" "echo ::: a :::+ b" "-a"; do
	# shellcheck disable=SC2086
	"$RUN" $bad < /dev/null > "$T/o" 2> "$T/e"; s=$?
	check "status for '$bad'" 2 "$s"
	check "one line for '$bad'" 1 "$(wc -l < "$T/e")"
	grep -q '^uring-run: ' "$T/e" || fail "message for '$bad' does not name uring-run: $(cat "$T/e")"
done
# bad files: one line naming the file and why (issue 18.5), status 2, nothing run
check "missing file" 2 "$(st "$T/does-not-exist")"
check "missing file message" "uring-run: $T/does-not-exist: No such file or directory" "$(cat "$T/e")"
check "directory" 2 "$(st "$T")"
check "directory message" "uring-run: $T: Is a directory" "$(cat "$T/e")"
"$RUN" < "$T" > "$T/o" 2> "$T/e"
check "stdin a directory" 2 "$?"
check "stdin a directory message" "uring-run: standard input: Is a directory" "$(cat "$T/e")"
printf 'touch %s/ran\n' "$T" > "$T/a"
for opt in --joblog --trace; do
	check "$opt in a missing directory" 2 "$(st $opt "$T/no/such" "$T/a")"
	check "$opt in a missing directory: message" "uring-run: $T/no/such: No such file or directory" "$(cat "$T/e")"
	check "$opt a directory" 2 "$(st $opt "$T" "$T/a")"
	check "$opt a directory: message" "uring-run: $T: Is a directory" "$(cat "$T/e")"
done
[ -e "$T/ran" ] && fail "a job ran despite a bad file"
"$RUN" --help > "$T/o"; check "--help status" 0 "$?"
grep -q -- '--joblog' "$T/o" || fail "--help lacks --joblog"

# --- status line (forced: stderr is no terminal here) ---
printf 'true\nexit 1\n' > "$T/a"
"$RUN" -j1 -k --status "$T/a" > /dev/null 2> "$T/e"
grep -q '\[2/2\] 0 running, 1 failed' "$T/e" || fail "status line: $(cat -v "$T/e")"
"$RUN" -j1 -k "$T/a" > /dev/null 2> "$T/e"
check "no status line off a terminal" "uring-run: job 2 (exit 1): exit status 1" "$(cat "$T/e")"

# --- an O_NONBLOCK stdin still streams ---
if command -v python3 > /dev/null; then
	(sleep 0.3; echo 'echo late') | python3 -c 'import os,sys,fcntl; fcntl.fcntl(0, fcntl.F_SETFL, os.O_NONBLOCK); os.execv(sys.argv[1], sys.argv[1:])' "$RUN" -j1 > "$T/o"
	check "non-blocking stdin" late "$(cat "$T/o")"
fi

# --- memory stays flat: 1 000 000 lines stream through (-n: read, not run) ---
# (ASan's shadow memory alone is bigger: only measured in a plain build)
if [ -x /usr/bin/time ] && [ "${SANITIZED:-0}" != 1 ]; then
	yes /bin/true | head -n 1000000 > "$T/m"
	kb=$(/usr/bin/time -f %M "$RUN" -n "$T/m" 2>&1 > /dev/null | tail -1)
	[ "$kb" -le 16384 ] || fail "RSS for 1 000 000 lines: $kb KiB > 16 MiB"
	head -n 300 "$T/m" > "$T/m300"
	kb=$(/usr/bin/time -f %M "$RUN" -j2 "$T/m300" 2>&1 > /dev/null | tail -1)
	[ "$kb" -le 16384 ] || fail "RSS running 300 jobs: $kb KiB > 16 MiB"
fi

# --- no fd leaks into jobs ---
printf 'ls /proc/self/fd\n' > "$T/a"
# the same fds as a job of sh would see (the test may inherit some itself)
check "fds of a job" "$(sh -c 'ls /proc/self/fd' | tr '\n' ' ')" "$("$RUN" -j1 "$T/a" | tr '\n' ' ')"

# under WRAP_NORING the jobs inherit the seccomp filter: it was in force
if [ "${WRAP_NORING:-0}" = 1 ]; then
	printf 'grep ^Seccomp: /proc/self/status\n' > "$T/a"
	check "io_uring refused" "Seccomp: 2" "$("$RUN" -j1 "$T/a" | tr -s '\t' ' ')"
fi

done_testing
