#!/bin/sh
# Input and records as GNU parallel has them (issue 18, item 5): NUL bytes
# in the input without -0 are replaced with \0 and warned about once; the
# trace is UTF-8 JSON whatever bytes a command holds; the joblog's Exitval
# is -1 for a job uring-run killed, JobRuntime is %10.3f, Receive counts
# stdout bytes.
. "$TESTS/lib.sh"

# --- NUL in the input, without -0 ---
printf 'echo a\0b\necho c\0d\necho e\n' > "$T/a"
"$RUN" -j1 "$T/a" > "$T/o" 2> "$T/e"
check "NUL: status" 0 "$?"
check "NUL: output" "a0b c0d e" "$(tr '\n' ' ' < "$T/o" | sed 's/ $//')"
check "NUL: one warning" 1 "$(wc -l < "$T/e")"
grep -q "^uring-run: warning: $T/a: a NUL character in the input was replaced with \\\\0 (did you mean -0?)\$" "$T/e" ||
	fail "NUL warning: $(cat "$T/e")"
if command -v parallel > /dev/null; then
	parallel --will-cite -j1 < "$T/a" > "$T/p" 2> /dev/null
	cmp -s "$T/o" "$T/p" || fail "NUL: output differs from GNU parallel's: $(od -c "$T/o") vs $(od -c "$T/p")"
fi
# with -0 a NUL is the separator: no warning
printf 'echo a\0echo b\0' | "$RUN" -0 -j1 > "$T/o" 2> "$T/e"
check "-0: no warning" "" "$(cat "$T/e")"

# --- the trace is valid UTF-8 JSON, whatever the command's bytes ---
printf 'echo caf\351 > /dev/null\necho na\303\257ve > /dev/null\nprintf "\\001\\177" > /dev/null\n' > "$T/a"
"$RUN" -j1 --trace "$T/t.json" "$T/a" > /dev/null
python3 - "$T/t.json" <<'PY' || fail "trace: $(cat "$T/t.json")"
import json, sys
raw = open(sys.argv[1], "rb").read()
d = json.loads(raw.decode("utf-8"))          # strict UTF-8, strict JSON
names = [e["name"] for e in d["traceEvents"] if e["ph"] == "X"]
assert "echo caf\u00e9 > /dev/null" in names, names  # a Latin-1 byte as its character
assert "echo na\u00efve > /dev/null" in names, names  # UTF-8 kept as it is
PY

# --- joblog: the columns as parallel writes them ---
printf 'sleep 30\necho err >&2; echo a\nkill -9 $$\n' > "$T/a"
"$RUN" -j3 -k --timeout 0.5 --joblog "$T/log" "$T/a" > /dev/null 2>&1
check "timed out: Exitval -1, Signal 15" "-1	15" "$(awk -F'\t' '$1==1 {print $7 "\t" $8}' "$T/log")"
check "killed by itself: Exitval 0, Signal 9" "0	9" "$(awk -F'\t' '$1==3 {print $7 "\t" $8}' "$T/log")"
check "Receive: stdout bytes" 2 "$(awk -F'\t' '$1==2 {print $6}' "$T/log")"
awk -F'\t' 'NR>1 && $4 !~ /^ *[0-9]+\.[0-9][0-9][0-9]$/ {exit 1} NR>1 && length($4) < 10 {exit 1}' "$T/log" ||
	fail "JobRuntime is not %10.3f: $(cat "$T/log")"
# halt now: the jobs it stops are not in the joblog (parallel leaves them out too)
printf 'sleep 0.3; exit 1\nsleep 30\n' > "$T/a"
"$RUN" -j2 --halt now,fail=1 --joblog "$T/log" "$T/a" > /dev/null 2>&1
check "halt now: joblog" "1" "$(awk -F'\t' 'NR>1 {print $1}' "$T/log")"

done_testing
