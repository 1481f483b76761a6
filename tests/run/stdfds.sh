#!/bin/sh
# Closed standard fds at start (issue 17, item 2): uring-run (and uring-ninja)
# put /dev/null on 0, 1 and 2 before opening anything, as make and xargs do.
. "$TESTS/lib.sh"

printf 'echo hi\necho err >&2\n' > "$T/jobs.txt"

# stdin closed, lines from a file: the file must not become "stdin"
timeout 20 "$RUN" -j1 "$T/jobs.txt" <&- > "$T/o" 2> "$T/e"
check "stdin closed: status" 0 "$?"
check "stdin closed: stdout" hi "$(cat "$T/o")"
check "stdin closed: stderr" err "$(cat "$T/e")"
# stdin closed, lines from stdin: no lines, no hang on our own pipes
timeout 20 "$RUN" <&- > "$T/o" 2> "$T/e"
check "stdin closed, no file: status" 0 "$?"
check "stdin closed, no file: output" "" "$(cat "$T/o" "$T/e")"

# stdout and stderr closed: the joblog gets only its own lines
timeout 20 "$RUN" -j1 --joblog="$T/j.tsv" "$T/jobs.txt" >&- 2>&-
check "stdout+stderr closed: status" 0 "$?"
check "stdout+stderr closed: joblog lines" 3 "$(wc -l < "$T/j.tsv")"
grep -q -x -e hi -e err -e 'hierr' "$T/j.tsv" && fail "job output in the joblog: $(cat "$T/j.tsv")"
awk -F'\t' 'NR>1 && NF != 9 {exit 1}' "$T/j.tsv" || fail "joblog columns broken: $(cat "$T/j.tsv")"
# only stderr closed: the trace stays JSON
timeout 20 "$RUN" -j1 --trace="$T/t.json" "$T/jobs.txt" 2>&- > "$T/o"
check "stderr closed: stdout" hi "$(cat "$T/o")"
grep -q err "$T/t.json" && ! grep -q '"echo err >&2"' "$T/t.json" && fail "job output in the trace"
if command -v python3 > /dev/null; then
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/t.json" || fail "trace is no JSON: $(cat "$T/t.json")"
fi

# uring-ninja: ninja's .ninja_log must not land on a closed stdout
if [ -n "${NINJA_WRAP:-}" ] && command -v ninja > /dev/null; then
	# a sanitized uring-ninja under the unsanitized preload (as tests/ninja does)
	[ "${SANITIZED:-0}" = 1 ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	mkdir "$T/nb"
	printf 'rule r\n  command = echo built > $out; echo noise\nbuild out.txt: r\nbuild b.txt: r\n' > "$T/nb/build.ninja"
	timeout 60 "$NINJA_WRAP" -C "$T/nb" >&- 2> "$T/e"
	check "uring-ninja, stdout closed: status" 0 "$?"
	check "uring-ninja, stdout closed: built" built "$(cat "$T/nb/out.txt" 2> /dev/null)"
	grep -q -e '^\[' -e noise "$T/nb/.ninja_log" && fail "ninja's status lines went into .ninja_log: $(cat "$T/nb/.ninja_log")"
	head -1 "$T/nb/.ninja_log" | grep -q '^# ninja log' || fail ".ninja_log broken: $(cat "$T/nb/.ninja_log")"
fi

done_testing
